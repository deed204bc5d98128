-- args: -bail=false
-- Every error is printed once, with its line and column and a caret, and
-- the script goes on (-bail=false); the exit status is 1.
-- mask: (?m)^(\| w2v +\| +\d+ \| +\d+ \| +\d+ \|) +[0-9.]+ \| +\d+ \|$ => $1 # | # |
TRAIN w2v FROM 'train-data.txt' WITH (min_count = 1, workers = 1, seed = 1, vector_size = 8);
CREATE TABLE pets (dim = 3);

SELECT * FROM nosuch;
SELECT NEAREST('pythn', 3) FROM w2v;
SELECT NEAREST('python' 3) FROM w2v;
SELEC 1;
SELECT word
  FROM w2v
 WHERE wrod = 'python';
SELECT 1 AS one; SELECT 'two' AS two FROM nosuch; SELECT 3 AS three;
INSERT INTO pets VALUES ('cat', [0.1, 0.2]);
CREATE TABLE pets (dim = 3);
TRAIN w2v FROM 'train-data.txt';
TRAIN w3 FROM 'missing.txt';
TRAIN w4 FROM 'train-data.txt' WITH (vector_sise = 10);
.mode xml
.nosuch
.read missing.sql
SELECT 'still going' AS status;
SELECT 'unterminated
