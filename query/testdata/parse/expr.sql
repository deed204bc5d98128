-- Precedence: OR < AND < NOT < comparison, LIKE, IN < + - < * / < unary minus.
SELECT a - b + c * 2;
SELECT a - (b + c) * 2;
SELECT a - (b - c), (a - b) - c;
SELECT -a * b, -(a * b), - - a;
SELECT a OR b AND c, (a OR b) AND c;
SELECT NOT a = b, (NOT a) = b;
SELECT NOT NOT a;
SELECT a = b = c, a = (b = c);
SELECT a + 1 LIKE 'x%' = TRUE;
SELECT a IN (1, 2 + 3) AND b NOT LIKE c + 1;
SELECT 1 - -1, 2 * -3, -[1, 2], -VECTOR(?) + [?];
