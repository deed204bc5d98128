-- EXPORT and IMPORT: a round trip through word2vec text and binary files
-- gives back the same words and the same vectors, bit for bit.
-- args: -bail=false
-- mask: (?m)^(w2v,26,17,8),[0-9.]+,[0-9]+$ => $1,#,#
-- mask: (?m),[0-9.]+$ => ,#
.mode csv
.header on
TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 8, min_count = 1, workers = 1, seed = 1);
EXPORT w2v TO 'w2v.txt' WITH (format = 'word2vec');
EXPORT w2v TO 'w2v.bin' WITH (format = 'word2vec', binary = true);
IMPORT fromtext FROM 'w2v.txt' WITH (format = 'word2vec');
IMPORT frombin FROM 'w2v.bin' WITH (format = 'word2vec', binary = true);
SELECT COUNT(*) AS n FROM fromtext;
SELECT COUNT(*) AS n FROM frombin;
SELECT word, vector FROM w2v WHERE word IN ('python', 'language', 'ai') ORDER BY word;
SELECT word, vector FROM fromtext WHERE word IN ('python', 'language', 'ai') ORDER BY word;
SELECT word, vector FROM frombin WHERE word IN ('python', 'language', 'ai') ORDER BY word;
SELECT SIMILARITY('python', 'language') AS s FROM w2v;
SELECT SIMILARITY('python', 'language') AS s FROM fromtext;
SELECT SIMILARITY('python', 'language') AS s FROM frombin;
.mode table
.schema fromtext
-- A bad file fails the IMPORT, naming the line, and leaves no table behind.
IMPORT broken FROM 'data/broken.txt' WITH (format = 'word2vec');
SELECT COUNT(*) FROM broken;
