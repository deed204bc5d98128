-- The dot-commands in a script.
-- mask: Run Time: real [0-9.]+ => Run Time: real #
.help
.mode
.mode csv
.mode
.header on
SELECT 1 AS one, 'x' AS two;
.header off
SELECT 1 AS one, 'x' AS two;
.mode json
.timer on
SELECT 2 AS n;
.timer off
.read data/sub.sql
SELECT 'back' AS from_where;
  .mode table
  .header on
SELECT 'indented dot-commands work' AS note;
.quit
SELECT 'not run' AS note;
