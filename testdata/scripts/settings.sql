-- The settings commands: .show, .echo, .print, .changes, .databases,
-- .timeout, .indexes, .vectors, .help COMMAND, .open.
-- args: -bail=false
-- mask: (?m)^(\| pets +\| hnsw +\| +\d+ \| +\d+ \|) +[0-9.]+ \|$ => $1 # |
-- mask: (filename|main): /\S+/ => $1: DIR/
.show
.print hello "two words" 'and more'
.echo on
SELECT 1 AS one;
.print echoed
.echo off
CREATE TABLE pets (dim = 12);
.changes on
INSERT INTO pets VALUES ('cat', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), ('dog', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
DELETE FROM pets WHERE word = 'dog';
SELECT COUNT(*) AS n FROM pets;
.changes off
.databases
.timeout 100
.nullvalue -
.width 4 -5
.vectors 4
.show
.width
.vectors
SELECT VECTOR('cat') AS v FROM pets;
.vectors short
SELECT VECTOR('cat') AS v FROM pets;
.vectors full
SELECT VECTOR('cat') AS v FROM pets;
.vectors 0
.vectors auto
.vectors
.indexes
CREATE INDEX ON pets USING hnsw;
.indexes
.indexes pets
.backup copy.db
.open copy.db
.indexes
.save test.db
.indexes nosuch
.help .dump
.help mode
.help nosuch
.open --readonly test.db
.databases
INSERT INTO pets VALUES ('emu', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
.open
.databases
.tables
.open --new test.db
.tables
.open data/bad.csv
.open --new data/bad.csv
.shell head -1 data/bad.csv
.tables
.open --bogus
.width x
.timeout soon
.quit now
