-- Read by dotcommands.sql with .read: the settings carry over.
SELECT 'in sub.sql' AS from_where;
