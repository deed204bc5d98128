// Package store keeps embeddb's tables in one bbolt file: the layout
// (layout.go, keyspace.go), tables and their metadata (table.go,
// tableapi.go), row and vector chunks (rows.go), the words index
// (wordindex.go, wordsort.go), blobs (blob.go), value checksums
// (checksum.go), transactions (tx.go, explicit.go), the locks that share
// the file between processes (lock.go, share.go), the bulk writer (bulk.go), the caches
// derived from a table (cache.go, tokens.go), and the file-level work:
// CHECK (check.go, pagecheck.go, precheck.go), BACKUP and VACUUM (admin.go,
// compact.go). It is the only package that imports bbolt.
//
// The SQL engine (package exec) reaches a table through a *Table's
// methods (Dim, Rows, Index, ForEachRow, LookupID, WordID, Insert, ...)
// and the package's functions on a *Tx (OpenTable, TableNames, HasTable),
// never through the stored metadata or a bbolt bucket. The types of the
// library API (Tx, Row, TableSpec, TableInfo, BulkWriter, Options and the
// error sentinels) are defined here and re-exported by package db.
//
// # Concurrency
//
// A *DB is safe for concurrent use: reads run in parallel with each other
// and with the one writer bbolt allows; Vacuum holds the gate exclusively
// while it swaps the file. A Table handle belongs to the transaction that
// opened it. Between processes the file is shared as sqlite shares it:
// each transaction takes the process's locks (lock.go, which explains the
// design; share.go), and an explicit transaction (explicit.go) holds the
// writer's lock from BEGIN to COMMIT.
package store
