CREATE TABLE pets (dim = 3);
UPSERT INTO pets VALUES ('cat', [1, 2, 3]);
