-- Flags as a script sees them: -echo prints each input before it runs,
-- -line sets the mode, -nullvalue the text of NULL, -separator that of
-- list mode, -header the column names; -bail=false goes on after an error.
-- args: -echo -line -nullvalue (none) -separator ; -header -bail=false
SELECT 1 AS a, NULL AS b;
.mode list
SELECT 1 AS a, NULL AS b;
SELECT * FROM nosuch;
.show
