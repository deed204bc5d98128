// Package driver is embeddb's database/sql driver. Importing it registers
// the driver "embeddb":
//
//	import (
//		"database/sql"
//		_ "github.com/embeddb/embeddb/driver"
//	)
//
//	sqldb, err := sql.Open("embeddb", "words.db?mode=ro&timeout=5s")
//	rows, err := sqldb.QueryContext(ctx, "SELECT NEAREST(?, ?) FROM w2v", "python", 5)
//
// The data source name is a file path, optionally followed by "?" and
// parameters: mode=ro (read only) or rw (the default), timeout (how long
// Open waits for another process's lock, a Go duration such as 5s),
// nosync=true and memory_limit (bytes). A "file:" prefix is allowed, as
// sqlite's drivers allow it.
//
// Statements are embeddb's language, with ? placeholders. Vectors are
// passed as []float32 (or []float64) arguments and scanned into
// *[]float32; similarities and other float32 results arrive as float64,
// which scans into *float32 without loss.
//
// Each [sql.DB] opens the file once, through its [Connector], and its
// connections share it; closing the sql.DB closes the file. Opening the
// same file twice in one process waits for the lock and then fails, as
// two processes would: share one sql.DB.
//
// # Transactions
//
// Every statement is atomic on its own: a TRAIN, IMPORT or INSERT that
// fails changes nothing. embeddb's language has no BEGIN and COMMIT, so
// BeginTx returns [ErrTxUnsupported]; group writes in one statement (an
// INSERT of many rows), or use package db's Update for several operations.
//
// # Concurrency
//
// A *sql.DB over this driver is safe for concurrent use: readers never wait
// for a writer, and writes are serialised by the engine.
package driver
