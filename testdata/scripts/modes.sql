-- Every output mode on the same rows, as sqlite3 prints them (the column
-- modes align numbers to the right, as the table mode always has).
-- args: -bail=false
CREATE TABLE pets (dim = 3);
INSERT INTO pets VALUES ('cat', 2, [0.1, 0.2, 0.3]), ('dog''s', 10, [0.1, 0.25, 0.3]);
.mode box
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
.mode markdown
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
.mode column
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
.mode list
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
.mode line
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
SELECT 1 AS a_long_column_name, 2 AS b;
.mode tsv
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
.mode json
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
SELECT word FROM pets WHERE word = 'nobody';
.mode jsonl
SELECT word, count, vector, NULL AS n FROM pets ORDER BY word;
.mode quote
SELECT word, count, vector, NULL AS n, TRUE AS b FROM pets ORDER BY word;
.mode insert
SELECT word, count, vector FROM pets ORDER BY word;
.mode insert pets
SELECT word, vector FROM pets ORDER BY word;
-- The header: on in the column modes unless turned off, off in the others
-- unless turned on.
.header on
.mode list
SELECT word, count FROM pets ORDER BY word;
.mode quote
SELECT word, count FROM pets ORDER BY word;
.mode insert pets
SELECT word, count, vector FROM pets ORDER BY word;
.header off
.mode box
SELECT word, count FROM pets ORDER BY word;
-- .nullvalue, .separator and .width
.header on
.nullvalue (null)
.mode list
.separator ;
SELECT word, NULL AS n FROM pets ORDER BY word;
.separator \t
SELECT word, NULL AS n FROM pets ORDER BY word;
.mode table
SELECT word, NULL AS n FROM pets ORDER BY word;
.mode column
.width 3 -8 6
SELECT word, count, vector FROM pets ORDER BY word;
.mode box
SELECT word, count, vector FROM pets ORDER BY word;
.width
SELECT word, count FROM pets ORDER BY word;
.mode
.mode tabs
.mode
.mode xml
.mode csv pets
