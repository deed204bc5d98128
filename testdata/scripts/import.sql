-- .import reads CSV and JSON (Lines or one array), as the modes write them.
-- args: -bail=false
CREATE TABLE pets (dim = 3);
INSERT INTO pets VALUES ('cat', 2, [0.1, 0.2, 0.3]), ('dog', 10, [0.1, 0.25, 0.3]);
.mode csv
.header on
.once all.csv
SELECT * FROM pets;
.import all.csv fromcsv
.header off
.once plain.csv
SELECT word, vector FROM pets;
.import plain.csv plain
.once counts.csv
SELECT word, count, vector FROM pets;
.import counts.csv counts
.mode jsonl
.once pets.jsonl
SELECT word, count, vector FROM pets;
.import pets.jsonl fromjsonl
.mode json
.once pets.json
SELECT word, count, vector FROM pets;
.import pets.json fromjson
.import --skip 1 --csv data/values.csv values
.mode table
.header on
SELECT word, count, vector FROM fromcsv;
SELECT word, count, vector FROM plain;
SELECT word, count, vector FROM counts;
SELECT word, count, vector FROM fromjsonl;
SELECT word, count, vector FROM fromjson;
SELECT word, count, vector FROM "values";
-- Errors leave the table as it was.
.import data/bad.csv pets
.import data/values.csv pets
.import all.csv pets
.import missing.csv pets
.import --skip x all.csv pets
.import all.csv
SELECT COUNT(*) AS n FROM pets;
