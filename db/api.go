package db

import (
	"context"

	"github.com/embeddb/embeddb/db/internal/exec"
	"github.com/embeddb/embeddb/db/internal/store"
)

// The types of the library API that the store defines: tables, rows,
// transactions, bulk loads and their options. They are aliases, so a value
// passes between the facade and the store unconverted; their documentation
// is the store's (see db/internal/store), summed up here.

// Options configures Open; a nil *Options means the defaults. Timeout is
// the busy timeout, how long Open and each statement wait for another
// process's lock (0: 2 seconds; negative: not at all); ReadOnly opens
// without writing; Exclusive keeps the file locked from Open to Close; Busy
// is told when a statement starts to wait; NoSync skips fsync on
// commit; MmapSize presizes the memory map; MemoryLimit bounds what one
// statement may hold (0: no limit).
type Options = store.Options

// Row is one row of a table: id, word, count and vector, and the values
// of the table's user columns by name in Cols. To insert, set the columns
// wanted (the others take their defaults); reads fill every column.
type Row = store.Row

// Column is a user column of a table (TableSpec.Columns, TableInfo.Columns).
type Column = store.Column

// ColType is the type of a user column.
type ColType = store.ColType

// ColumnTypeError reports a value of the wrong type for a user column.
type ColumnTypeError = store.ColumnTypeError

// The user column types; their values in Go are string, int64, float64,
// bool and string (JSON text), nil for NULL.
const (
	ColText    = store.ColText
	ColInteger = store.ColInteger
	ColReal    = store.ColReal
	ColBoolean = store.ColBoolean
	ColJSON    = store.ColJSON
)

// TableSpec describes a table to create.
type TableSpec = store.TableSpec

// TableInfo describes a table: what DESCRIBE shows.
type TableInfo = store.TableInfo

// IndexInfo describes a table's saved index.
type IndexInfo = store.IndexInfo

// Tx is a transaction, valid only inside the function given to View or
// Update.
type Tx = store.Tx

// BulkWriter loads a table of many rows and publishes it at once.
type BulkWriter = store.BulkWriter

// BulkOptions configures BulkLoad; nil means the defaults.
type BulkOptions = store.BulkOptions

// ElemType is how a table stores the elements of its vectors.
type ElemType = store.ElemType

// The element types.
const (
	Float32  = store.Float32  // IEEE 754 single precision, 4 bytes
	Float16  = store.Float16  // IEEE 754 half precision, 2 bytes
	BFloat16 = store.BFloat16 // bfloat16 (the upper half of a float32), 2 bytes
)

// ParseElemType parses an element type name: float32 (f32), float16 (f16,
// half) or bfloat16 (bf16), in any case.
func ParseElemType(s string) (ElemType, error) { return store.ParseElemType(s) }

// DimensionError reports a vector whose length is not the table's dimension.
type DimensionError = store.DimensionError

// InternalError reports a panic recovered while a statement ran: a bug in
// embeddb. The statement's transaction was rolled back.
type InternalError = store.InternalError

// Rows is the result of a statement, read a row at a time with Next, in the
// manner of database/sql; it must be closed. See the executor's Rows
// (db/internal/exec) for its methods.
type Rows = exec.Rows

// Result is a statement's result read in full: what Exec returns.
type Result = exec.Result

// Progress reports how far a long statement (TRAIN, IMPORT, CREATE INDEX)
// has come; see WithProgress.
type Progress = exec.Progress

// WithProgress returns a context that makes the long statements run with
// it report their progress to fn.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return exec.WithProgress(ctx, fn)
}
