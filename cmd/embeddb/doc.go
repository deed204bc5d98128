// Command embeddb is the embeddb shell: an interactive REPL, a batch-script
// runner and a one-shot query tool for embeddb database files, in the
// manner of the sqlite3 shell.
//
// Usage:
//
//	embeddb [flags] [DBFILE] [SQL]
//
// With SQL it runs it and exits. Without, it reads statements from standard
// input when that is not a terminal (embeddb words.db < train.sql), and
// opens the REPL when it is. -f FILE runs a script instead (repeatable).
// With no DBFILE (or ""), the database is a temporary file, deleted at
// exit; a note on standard error says so.
//
// Flags: -f FILE, -bail (stop at the first error: the default for scripts;
// -bail=false goes on), -mode table|csv|tsv|json, -header, -noheader,
// -readonly, -check FILE (print ok or the problems found, exit status 1 on
// problems), -version, -help. Flags may come before or after DBFILE and
// SQL. The exit status is 1 after any error, 0 otherwise.
//
// # Input
//
// A statement ends at a ';' outside strings and comments and may span
// lines; the last one of a script may leave out its ';'. A line starting
// with '.' (outside an unfinished statement) is a dot-command: .help,
// .tables, .schema [TABLE], .mode [MODE], .header on|off, .timer on|off,
// .bail on|off, .read FILE, .quit (.exit).
//
// # Output
//
// Results go to standard output: table mode draws a box (numbers aligned
// right, column names by default), csv and tsv write RFC 4180 records
// (column names only with -header), and json writes one object per row,
// keyed by column name. Numbers are printed in the shortest form that reads
// back to the same float32 (or float64) value, and vectors in full, except
// that the REPL's table mode shortens them to their first and last values
// and their length. NULL is NULL in a table, an empty field in csv/tsv and
// null in json.
//
// Errors go to standard error, once each, with their place: in a script
// "train.sql:3:14: message", in the REPL or an SQL argument
// "error: 1:14: message", followed by the line and a caret under the spot.
//
// # REPL
//
// The REPL edits lines with github.com/peterh/liner. An unfinished
// statement continues on the next line under the prompt "...>". Tab
// completes keywords, function names, table names, dot-commands, file
// names inside FROM '...' and TO '...', and words of the current table
// inside other strings (NEAREST('pyt<Tab>). History is kept in
// embeddb/history under the user's configuration directory. Ctrl-C stops
// the running statement (a TRAIN, IMPORT or CREATE INDEX that is stopped
// leaves the database as it was) or clears the input; Ctrl-D leaves.
// TRAIN, IMPORT, EXPORT and CREATE INDEX draw a progress bar on standard
// error when it is a terminal.
//
// # Concurrency
//
// The command runs one statement at a time. Several processes may read one
// database file opened with -readonly; a writer excludes everyone else, and
// a second writer gets "database is locked" after a short wait.
//
// # Caveats
//
// liner has no multi-line editing: a statement typed on several lines is
// kept in the history as one line when that does not change its meaning
// (a -- comment would swallow the rest), else line by line. The REPL needs
// standard input and output to be terminals; with only standard input one,
// input is read as a script. Prompts carry no colour, as liner requires.
package main
