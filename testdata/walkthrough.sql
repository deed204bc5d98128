-- The walkthrough: train Word2Vec on five sentences and ask it three things.
-- Run it with:  go run ./cmd/embeddb -f testdata/walkthrough.sql
-- (paths are relative to the directory you run it from: the repository root).

TRAIN w2v FROM 'testdata/train-data.txt'
  WITH (vector_size = 100, window = 5, min_count = 1, workers = 4, sg = 1);

SELECT NEAREST('python', 5) FROM w2v;
SELECT SIMILARITY('python', 'language') FROM w2v;
SELECT VECTOR('python') FROM w2v;
