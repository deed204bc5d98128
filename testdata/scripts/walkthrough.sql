-- The walkthrough (testdata/walkthrough.sql) with one worker and a seed, so
-- that training gives the same vectors on every run.
-- mask: (?m)^(\| w2v +\| +\d+ \| +\d+ \| +\d+ \|) +[0-9.]+ \| +\d+ \|$ => $1 # | # |

TRAIN w2v FROM 'train-data.txt'
  WITH (vector_size = 100, window = 5, min_count = 1, workers = 1, sg = 1, seed = 1);

SELECT NEAREST('python', 5) FROM w2v;
SELECT SIMILARITY('python', 'language') FROM w2v;
SELECT VECTOR('python') FROM w2v;
