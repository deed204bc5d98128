package exec

import (
	"errors"
	"fmt"
	"math"
	"reflect"
)

// Rows is the result of a statement: named columns and rows of values,
// read one at a time with Next, in the manner of database/sql.
//
// Values are nil (NULL), int64, float32, float64, string, bool or
// []float32 (a vector). float32 is the type of similarities and of vector
// elements; float64 that of arithmetic on numbers written in the query.
//
// Rows must be closed (Close is idempotent); some results hold a read
// transaction open until then. A Rows is not safe for concurrent use.
type Rows struct {
	cols []string
	// Either the rows are all here...
	rows [][]any
	// ...or they come from next, which returns nil at the end.
	next    func() ([]any, error)
	release func()

	cur    []any
	i      int
	err    error
	closed bool
}

// newRows returns a materialised result.
func newRows(cols []string, rows [][]any) *Rows {
	return &Rows{cols: cols, rows: rows, i: -1}
}

// Columns returns the names of the columns.
func (r *Rows) Columns() []string { return r.cols }

// Next advances to the next row, returning false at the end or on error
// (see Err).
func (r *Rows) Next() bool {
	if r.closed || r.err != nil {
		return false
	}
	if r.next != nil {
		row, err := r.next()
		if err != nil || row == nil {
			r.err = err
			r.Close()
			return false
		}
		r.cur = row
		return true
	}
	r.i++
	if r.i >= len(r.rows) {
		r.cur = nil
		return false
	}
	r.cur = r.rows[r.i]
	return true
}

// Values returns the current row's values. The slice is the caller's.
func (r *Rows) Values() []any { return append([]any(nil), r.cur...) }

// Err returns the error that ended the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close releases the result's resources. It is safe to call more than once.
func (r *Rows) Close() error {
	if !r.closed {
		r.closed = true
		if r.release != nil {
			r.release()
		}
	}
	return nil
}

// All reads every remaining row and closes r.
func (r *Rows) All() ([][]any, error) {
	defer r.Close()
	if r.next == nil && !r.closed && r.i == -1 && r.err == nil {
		// Not read yet: the rows are the caller's, as they would be
		// copied out, and Close leaves none here for Next.
		out := r.rows
		r.rows = nil
		if len(out) == 0 {
			out = nil // as a loop that read nothing would give
		}
		return out, nil
	}
	var out [][]any
	if n := len(r.rows) - r.i - 1; r.next == nil && !r.closed && n > 0 {
		out = make([][]any, 0, n)
	}
	for r.Next() {
		out = append(out, r.cur)
	}
	return out, r.Err()
}

// Scan copies the current row's values into dest, one pointer per column:
// *any, *string, *int, *int64, *uint32, *float32, *float64, *bool or
// *[]float32. Numbers convert between the numeric types where no
// information is lost (an integral float64 into *int64, for instance).
func (r *Rows) Scan(dest ...any) error {
	if r.cur == nil {
		return errors.New("db: Scan called without a current row")
	}
	if len(dest) != len(r.cur) {
		return fmt.Errorf("db: Scan: %d destinations for %d columns", len(dest), len(r.cur))
	}
	for i, d := range dest {
		if err := scanValue(d, r.cur[i]); err != nil {
			return fmt.Errorf("db: Scan column %d (%s): %w", i, r.cols[i], err)
		}
	}
	return nil
}

func scanValue(dest, v any) error {
	switch d := dest.(type) {
	case *any:
		*d = v
		return nil
	case *string:
		if s, ok := v.(string); ok {
			*d = s
			return nil
		}
	case *[]float32:
		if s, ok := v.([]float32); ok {
			*d = append([]float32(nil), s...)
			return nil
		}
	case *bool:
		if b, ok := v.(bool); ok {
			*d = b
			return nil
		}
	case *float64:
		if f, ok := toFloat(v); ok {
			*d = f
			return nil
		}
	case *float32:
		if f, ok := toFloat(v); ok {
			*d = float32(f)
			return nil
		}
	case *int64:
		if n, ok := toInt(v); ok {
			*d = n
			return nil
		}
	case *int:
		if n, ok := toInt(v); ok {
			*d = int(n)
			return nil
		}
	case *uint32:
		if n, ok := toInt(v); ok && n >= 0 && n <= math.MaxUint32 {
			*d = uint32(n)
			return nil
		}
	default:
		// The type, not dest itself, goes to Errorf: a dest given to fmt
		// would escape, and every caller's Scan would then allocate the
		// variable it scans into (a string and a float32 per NEAREST row).
		return fmt.Errorf("unsupported destination %s", typeName(reflect.TypeOf(dest)))
	}
	return fmt.Errorf("cannot store %s in %s", describeValue(v), reflect.TypeOf(dest).Elem())
}

// typeName is t's name as %T prints it ("<nil>" for nil).
func typeName(t reflect.Type) string {
	if t == nil {
		return "<nil>"
	}
	return t.String()
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), true
		}
	case float32:
		if float64(x) == math.Trunc(float64(x)) && math.Abs(float64(x)) < 1<<63 {
			return int64(x), true
		}
	}
	return 0, false
}

// describeValue names a value's type for messages: "a string", "a vector".
func describeValue(v any) string {
	switch v.(type) {
	case nil:
		return "NULL"
	case int64:
		return "an integer"
	case float32, float64:
		return "a number"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []float32:
		return "a vector"
	}
	return fmt.Sprintf("a %T", v)
}

// Result is a statement's result read in full: what Exec returns.
type Result struct {
	Columns []string
	Rows    [][]any
}
