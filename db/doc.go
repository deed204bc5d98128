// Package db is embeddb's engine and the library's front door: it opens the
// database file, keeps tables of embeddings in it, and runs statements of
// the embeddb language against them.
//
// # Basics
//
// Open a file (it is created if missing) and run statements:
//
//	d, err := db.Open("words.db", nil)
//	...
//	defer d.Close()
//	_, err = d.Exec(ctx, "TRAIN w2v FROM 'corpus.txt' WITH (sg = 1)")
//	rows, err := d.Query(ctx, "SELECT NEAREST(?, ?) FROM w2v", "python", 5)
//
// Exec runs a script and returns the last statement's result; Query runs
// one statement and returns its rows, which must be closed; Prepare parses
// once for many runs; Run takes a statement parsed with package query.
// Beside the language, tables can be used directly: CreateTable, Insert,
// Replace, Delete, Lookup, LookupID, and View/Update for transactions of
// several operations (Tx.ForEach, Tx.ScanVectors). BulkLoad writes millions
// of rows and publishes them at once. Check verifies the file, Backup copies
// it while it is in use, Vacuum and VacuumInto compact it.
//
// A table holds rows (id, word, count, vector) of one dimension. Ids are
// given in order and never reused; REPLACE gives a row a new id. Vectors
// are float32, or float16/bfloat16 as stored (an LLM's embedding matrix
// keeps its bfloat16), always read as float32.
//
// # Errors
//
// Errors match with errors.Is against the sentinels in errors.go (ErrNoTable,
// ErrNoWord, ErrTableExists, ErrLocked, ErrNotDatabase, ErrCorrupt,
// ErrTooLarge, ...) and errors.As against *DimensionError. Errors of
// statements are *query.Error values that carry the line and column of the
// part of the statement at fault, wrapping the sentinel.
//
// # Layout
//
// This package is the front door only. Beneath it, a statement is parsed by
// package query, bound and planned by db/internal/plan (the tree of
// operators EXPLAIN prints), and run by db/internal/exec against
// db/internal/store, which keeps the tables in the bbolt file and is the
// only package that imports bbolt. ARCHITECTURE.md at the top of the
// repository follows a statement through them.
//
// # Concurrency
//
// A *DB is safe for concurrent use. Reads run in parallel with each other
// and with the one write that bbolt allows at a time; a reader sees the
// database as it was when its transaction began, never half a change. A
// Tx, a Rows and a BulkWriter belong to one goroutine. Across processes the file
// is shared as sqlite shares it: a process holds a lock only while a
// statement or transaction runs (shared to read, exclusive to write), waits
// up to Options.Timeout for another's and then gets ErrLocked, and sees
// their commits at its next statement; Options.Exclusive keeps the file to
// one process from Open to Close.
//
// # Durability
//
// Every statement is atomic: it takes effect entirely or not at all, also
// if it fails, is cancelled through its context, or the process is killed.
// Large writes (TRAIN, IMPORT, CREATE INDEX) span several bbolt
// transactions under a hidden table id and are published by the last; the
// next writable Open removes what a killed process left. Commits are synced
// to disk unless Options.NoSync.
//
// # Caveats
//
// bbolt files do not shrink: dropping a table frees pages for reuse, and
// VACUUM gives the space back. Queries cache what they derive from a table
// (the matrix for exact search, the loaded index graph, the tokenizer) and
// rebuild it after the table changes, so the first NEAREST after a write to
// a large table without an index pays for a full read. SET applies to the
// whole *DB, not to a session. Byte slices from bbolt are valid only inside
// their transaction; everything this package returns is a copy.
package db
