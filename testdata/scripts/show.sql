-- SHOW TABLES and DESCRIBE, with the times masked.
-- mask: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ => YYYY-MM-DDTHH:MM:SSZ
-- mask: (?m)^(source\.words_per_sec,)\d+$ => $1#
-- mask: (?m)^(\| w2v +\| +\d+ \| +\d+ \| +\d+ \|) +[0-9.]+ \| +\d+ \|$ => $1 # | # |
TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 8, min_count = 1, workers = 1, seed = 1);
CREATE TABLE pets (dim = 3, metric = euclidean);
SHOW TABLES;
DESCRIBE pets;
.mode csv
.header on
DESCRIBE w2v;
.mode table
.schema
