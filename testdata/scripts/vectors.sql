-- Vector arithmetic, the vector functions, ORDER BY, LIMIT and OFFSET.
CREATE TABLE v (dim = 4);
INSERT INTO v VALUES
  ('king',  [0.9, 0.8, 0.1, 0.3]),
  ('man',   [0.8, 0.1, 0.1, 0.2]),
  ('woman', [0.1, 0.1, 0.9, 0.2]),
  ('queen', [0.2, 0.8, 0.9, 0.3]),
  ('apple', [0.1, 0.1, 0.1, 0.9]);

-- king - man + woman: the analogy, with the query words left out.
SELECT NEAREST(VECTOR('king') - VECTOR('man') + VECTOR('woman'), 2) FROM v;
SELECT VECTOR('king') - VECTOR('man') AS diff FROM v;
SELECT [1, 2, 3] * 2 AS doubled, [1, 2] + [3, 4] AS sum, 1 / 3 AS third, 2.5e-7 AS small, 1e30 AS big;
SELECT DOT(VECTOR('king'), VECTOR('queen')) AS dot, NORM(VECTOR('apple')) AS norm,
       COSINE(VECTOR('king'), VECTOR('queen')) AS cosine, DIM(VECTOR('king')) AS dim FROM v;
SELECT NEAREST([0.9, 0.8, 0.1, 0.3], 3) FROM v;

SELECT word, SIMILARITY(word, 'king') AS s FROM v ORDER BY s DESC;
SELECT word, SIMILARITY(word, 'king') AS s FROM v ORDER BY s DESC LIMIT 2 OFFSET 1;
SELECT word FROM v ORDER BY word LIMIT 3;

-- The same in the other modes: vectors in full, numbers that read back.
.mode csv
.header on
SELECT word, vector FROM v ORDER BY word LIMIT 2;
.mode tsv
SELECT word, vector FROM v ORDER BY word LIMIT 2;
.mode json
SELECT word, vector, SIMILARITY(word, 'king') AS s FROM v ORDER BY word LIMIT 2;
