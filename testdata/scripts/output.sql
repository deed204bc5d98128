-- .output, .once and their pipes. Files get vectors in full.
-- args: -bail=false
CREATE TABLE pets (dim = 12);
INSERT INTO pets VALUES ('cat', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
.vectors short
.output out.txt
SELECT 'to the file' AS s;
.vectors auto
SELECT VECTOR('cat') AS v FROM pets;
.output
.print back on standard output
.shell cat out.txt
.once once.txt
SELECT 'once' AS s;
SELECT 'after once, on standard output' AS s;
.system cat once.txt
.once once.txt
.print a dot-command's output goes to the .once file too
SELECT 'and the .once ended' AS s;
.shell cat once.txt
.output '|tr a-z A-Z'
SELECT 'piped through tr' AS s;
.output stdout
SELECT 'standard output again' AS s;
.output no/such/dir/x.txt
.output test.db
.once ./test.db
SELECT COUNT(*) AS still_there FROM pets;
.shell exit 3
.once
