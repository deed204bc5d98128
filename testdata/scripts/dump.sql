-- .dump writes SQL that makes the tables again, with their ids, counts,
-- vectors and indexes; reading it into a new database gives the same rows.
-- args: -bail=false
-- mask: (?m)^(\| pets +\| hnsw +\| +\d+ \| +\d+ \|) +[0-9.]+ \|$ => $1 # |
CREATE TABLE pets (dim = 3, metric = 'euclidean');
INSERT INTO pets VALUES ('cat', 2, [0.1, 0.2, 0.3]), ('dog''s', 10, [0.1, 0.25, 0.3]), ('emu', [1, 2, 3]);
DELETE FROM pets WHERE word = 'cat';
INSERT INTO pets VALUES ('newt', [-1.5, 1e-7, 3e+38]);
CREATE INDEX ON pets USING hnsw WITH (m = 8, ef_construction = 32);
CREATE TABLE "odd ""name""" (dim = 2, type = 'float16');
INSERT INTO "odd ""name""" VALUES ('embeddb-dump-gap-x', [0.5, 0.25]), ('b', [1, 2]);
DELETE FROM "odd ""name""" WHERE word = 'b';
.dump
.dump pets
.output dump.sql
.dump
.output
.open copy.db
.output /dev/null
.read dump.sql
.output
.mode csv
SELECT id, word, count, vector FROM pets;
SELECT id, word, count, vector FROM "odd ""name""";
SELECT NEAREST([0, 0, 0], 3) FROM pets;
SHOW TABLES;
.indexes
.dump nosuch
