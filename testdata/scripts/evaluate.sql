-- EVALUATE on a tiny analogy file and a tiny similarity file made from the
-- walkthrough's words.
-- mask: (?m)^(\| w2v +\| +\d+ \| +\d+ \| +\d+ \|) +[0-9.]+ \| +\d+ \|$ => $1 # | # |
TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 16, min_count = 1, workers = 1, seed = 1);
EVALUATE w2v WITH (analogies = 'data/questions.txt');
EVALUATE w2v WITH (pairs = 'data/pairs.tsv');
