// Package exec is embeddb's SQL engine: it runs a parsed statement against
// the store. Engine.Run dispatches a statement to its handler (engine.go);
// a SELECT is planned by package plan and its plan run by the executor
// (run.go), which pushes rows from the leaf operators up through Filter,
// Project, Sort and Limit, and measures each operator for EXPLAIN ANALYZE
// (explain.go). Expressions are evaluated by expr.go (the function table is
// scope.call); NEAREST's query vector and search are in nearest.go.
//
// The long statements each live in a file of their own and bind their
// options into a typed value before anything runs: TRAIN (train.go,
// trainArgs), IMPORT and EXPORT (importexport.go, fileOpts), CREATE INDEX
// (indexstmt.go, index.Options), EVALUATE (evaluate.go). DDL, INSERT,
// DELETE, SET and the file statements (BACKUP, VACUUM, CHECK) are in
// ddl.go, insert.go, settings.go and adminstmt.go.
//
// Results are *Rows (rowset.go), re-exported by package db.
package exec
