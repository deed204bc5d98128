TRAIN w2v FROM 'a.txt' WITH (sg = 1)
SELECT NEAREST('python', 5) FROM w2v;
