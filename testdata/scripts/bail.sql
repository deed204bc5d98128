-- In a script the first error stops it (-bail is the default).
SELECT 'before' AS status;
SELECT * FROM nosuch;
SELECT 'after' AS status;
