-- A table made by hand: CREATE, INSERT, SELECT, DELETE.
CREATE TABLE pets (dim = 3);
INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]);
INSERT INTO pets (word, vector) VALUES ('emu', [0.9, -0.1, 0.05]);
SELECT * FROM pets;
SELECT COUNT(*) FROM pets;
SELECT word FROM pets WHERE word LIKE '%o%';
SELECT NEAREST('cat', 2) FROM pets;
INSERT OR REPLACE INTO pets VALUES ('emu', [0.8, 0, 0.1]);
SELECT word, vector FROM pets WHERE word = 'emu';
DELETE FROM pets WHERE word = 'cat';
SELECT word FROM pets ORDER BY word;
.tables
.schema pets
DROP TABLE pets;
.tables
