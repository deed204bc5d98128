INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]);
INSERT OR REPLACE INTO pets (word, vector) VALUES ('dog', [0.1, 0.25, 0.3]), (?, ?);
insert or replace into pets values ('bird', [-1, -2e-3, 4]);
DELETE FROM pets;
DELETE FROM pets WHERE word = 'cat' OR count < 5;
