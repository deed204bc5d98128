// Command embeddb is the embeddb shell: an interactive REPL, a batch-script
// runner and a one-shot query tool for embeddb database files, in the
// manner of the sqlite3 shell.
//
// Usage:
//
//	embeddb [flags] [DBFILE] [SQL...]
//
// With SQL it runs it and exits (each argument in turn, as sqlite3 does;
// an argument may be a dot-command). Without, it reads statements from standard
// input when that is not a terminal (embeddb words.db < train.sql), and
// opens the REPL when it is. -f FILE runs a script instead (repeatable).
// With no DBFILE (or ""), the database is a temporary file, deleted at
// exit; a note on standard error says so.
//
// The flags are sqlite3's: -f FILE, -cmd COMMAND (both repeatable),
// -init FILE (run at start instead of ~/.embeddbrc, which is run when it
// exists), -batch, -interactive, -bail (stop at the first error: the
// default for scripts; -bail=false goes on), -echo, -mode MODE and a flag
// per mode (-table, -box, -markdown, -column, -list, -line, -csv, -tsv or
// -tabs, -json, -jsonl, -quote), -separator SEP, -nullvalue TEXT, -header,
// -noheader; and -readonly, -memory-limit SIZE, -check FILE (print ok or
// the problems found, exit status 1 on problems), -version, -help. Flags
// may come before or after DBFILE and SQL. In a script or an SQL argument
// any error makes the exit status 1; typed input (the REPL, -interactive)
// ends with 0.
//
// # Input
//
// A statement ends at a ';' outside strings and comments and may span
// lines; the last one of a script may leave out its ';'. A line starting
// with '.' (outside an unfinished statement) is a dot-command, spelt and
// behaving as in sqlite3: .output [FILE], .once FILE (a FILE of |cmd is a
// pipe), .dump [TABLE], .import [--csv|--json] [--skip N] FILE TABLE,
// .open [--readonly] [--new] [FILE], .tables, .schema [TABLE], .indexes
// [TABLE], .databases, .mode [MODE] [TABLE], .header on|off, .separator
// SEP, .nullvalue TEXT, .width N..., .vectors full|short|auto|N, .echo
// on|off, .changes on|off, .timer on|off, .bail on|off, .timeout MS,
// .backup FILE (.save), .print TEXT..., .shell CMD (.system), .show,
// .read FILE, .help [COMMAND], .quit (.exit).
//
// .dump writes SQL that makes each table again (CREATE TABLE), inserts its
// rows in id order (stand-in rows, deleted at the end, keep the ids of
// deleted rows) and builds its index: embeddb a.db .dump | embeddb b.db
// copies a database through text. A trained table comes back as a created
// one: its training state and a tokenizer are not SQL.
//
// # Output
//
// Results go to standard output, or to the file or pipe of .output and
// .once. The column modes (table, box, markdown, column) align values in
// columns, numbers to the right, with column names unless -noheader; list
// separates values with "|", line writes "name = value" lines, csv and tsv
// write RFC 4180 records, json one array of objects (as sqlite3), jsonl
// one object a line, quote SQL literals and insert INSERT statements.
// Numbers are printed in the shortest form that reads back to the same
// float32 (or float64) value. Vectors are shortened to their first and
// last values and their length when results go to a terminal, in every
// mode, and written in full to files and pipes; .vectors changes that.
// NULL is NULL in the column modes and empty in the others, unless
// .nullvalue says otherwise.
//
// Errors go to standard error, once each, with their place: in a script
// "train.sql:3:14: message", in the REPL or an SQL argument
// "error: 1:14: message", followed by the line and a caret under the spot.
//
// # REPL
//
// The REPL edits lines with github.com/peterh/liner. An unfinished
// statement continues on the next line under the prompt "...>". Tab
// completes keywords, function names (with their "("), table names,
// dot-commands and their arguments, file names inside FROM '...' and
// TO '...', and words of the current table inside other strings
// (NEAREST('pyt<Tab>). History is kept in
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
