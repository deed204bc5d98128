package driver

import (
	"context"
	sqldriver "database/sql/driver"
	"io"
	"reflect"

	"github.com/embeddb/embeddb/db"
)

// rows streams a result to database/sql. The first row is read ahead, so
// that ColumnTypes can tell each column's type before Scan.
type rows struct {
	ctx   context.Context // the query's: cancelling it ends the rows
	r     *db.Rows
	ahead []any // the row read ahead, or nil
	types []any // a sample value of each column, from the first row
}

var (
	_ sqldriver.RowsColumnTypeScanType         = (*rows)(nil)
	_ sqldriver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ sqldriver.RowsColumnTypeNullable         = (*rows)(nil)
)

func newRows(ctx context.Context, r *db.Rows) *rows {
	rs := &rows{ctx: ctx, r: r, types: make([]any, len(r.Columns()))}
	if r.Next() {
		rs.ahead = r.Values()
		copy(rs.types, rs.ahead)
	}
	return rs
}

func (r *rows) Columns() []string { return r.r.Columns() }

func (r *rows) Close() error { return r.r.Close() }

// Next copies the next row into dest: vectors as a fresh []float32, float32
// numbers as float64 (database/sql's type for floats).
func (r *rows) Next(dest []sqldriver.Value) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	row := r.ahead
	r.ahead = nil
	if row == nil {
		if !r.r.Next() {
			if err := r.r.Err(); err != nil {
				return err
			}
			return io.EOF
		}
		row = r.r.Values()
	}
	for i, v := range row {
		switch x := v.(type) {
		case float32:
			dest[i] = float64(x)
		case []float32:
			dest[i] = append([]float32(nil), x...)
		default:
			dest[i] = v
		}
	}
	return nil
}

// ColumnTypeDatabaseTypeName names the column's type: INTEGER, FLOAT
// (float32), DOUBLE, TEXT, BOOLEAN or VECTOR; empty when the result has no
// rows or the first row's value is NULL.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	switch r.types[i].(type) {
	case int64:
		return "INTEGER"
	case float32:
		return "FLOAT"
	case float64:
		return "DOUBLE"
	case string:
		return "TEXT"
	case bool:
		return "BOOLEAN"
	case []float32:
		return "VECTOR"
	}
	return ""
}

// ColumnTypeScanType returns the Go type a column scans into best.
func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	switch r.types[i].(type) {
	case int64:
		return reflect.TypeFor[int64]()
	case float32:
		return reflect.TypeFor[float32]()
	case float64:
		return reflect.TypeFor[float64]()
	case string:
		return reflect.TypeFor[string]()
	case bool:
		return reflect.TypeFor[bool]()
	case []float32:
		return reflect.TypeFor[[]float32]()
	}
	return reflect.TypeFor[any]()
}

// ColumnTypeNullable reports that any column may hold NULL: the language's
// expressions can yield it.
func (r *rows) ColumnTypeNullable(int) (nullable, ok bool) { return true, true }
