-- CREATE INDEX and NEAREST through it; the answers match the exact search.
-- mask: (?m)^(\| w2v +\| hnsw +\| +\d+ \| +\d+ \|) +[0-9.]+ \|$ => $1 # |
-- mask: (?m)^(\| w2v +\| +\d+ \| +\d+ \| +\d+ \|) +[0-9.]+ \| +\d+ \|$ => $1 # | # |
TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 16, min_count = 1, workers = 1, seed = 1);
EXPLAIN SELECT NEAREST('learning', 4) FROM w2v;
SELECT NEAREST('learning', 4) FROM w2v;
CREATE INDEX ON w2v USING hnsw WITH (m = 16, ef_construction = 200);
SET ef_search = 64;
EXPLAIN SELECT NEAREST('learning', 4) FROM w2v;
SELECT NEAREST('learning', 4) FROM w2v;
SHOW TABLES;
.schema w2v
DROP INDEX ON w2v;
EXPLAIN SELECT NEAREST('learning', 4) FROM w2v;
