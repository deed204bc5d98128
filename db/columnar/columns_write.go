//go:build !nocolumnar

package columnar

import (
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// A table's own columns (WriteOptions.Columns) are written between count
// and vector, each optional (a NULL is a null), as Parquet's and Arrow's
// own types for their values: a reader that knows nothing of embeddb
// (DuckDB, pyarrow, LanceDB) sees VARCHAR, BIGINT, DOUBLE, BOOLEAN, and
// JSON for a JSON column.

// fixedNames are the columns every written table has.
var fixedNames = []string{"word", "id", "count", "vector"}

// checkFields checks the columns a writer is asked to write.
func checkFields(opts WriteOptions) error {
	if len(opts.Columns) > 0 && opts.Format == Spark {
		return fmt.Errorf("%w: Spark's Word2VecModel has no columns but word and vector", ErrInvalidOption)
	}
	seen := map[string]bool{}
	for _, n := range fixedNames {
		seen[n] = true
	}
	for _, f := range opts.Columns {
		if f.Name == "" || seen[f.Name] {
			return fmt.Errorf("%w: column name %q is empty or taken", ErrInvalidOption, f.Name)
		}
		seen[f.Name] = true
		if f.Type <= ValueUnsupported || f.Type > ValueJSON {
			return fmt.Errorf("%w: column %q has no type a file can hold", ErrInvalidOption, f.Name)
		}
	}
	return nil
}

// arrowType is the Arrow type of a column of values of type t.
func arrowType(t ValueType) arrow.DataType {
	switch t {
	case ValueInt:
		return arrow.PrimitiveTypes.Int64
	case ValueFloat:
		return arrow.PrimitiveTypes.Float64
	case ValueBool:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}

// jsonExtension is the Arrow canonical extension type name of JSON text
// stored as strings.
const jsonExtension = "arrow.json"

// arrowFields are the Arrow fields of the columns.
func arrowFields(cols []Field) []arrow.Field {
	out := make([]arrow.Field, len(cols))
	for i, f := range cols {
		out[i] = arrow.Field{Name: f.Name, Type: arrowType(f.Type), Nullable: true}
		if f.Type == ValueJSON {
			out[i].Metadata = arrow.NewMetadata([]string{"ARROW:extension:name", "ARROW:extension:metadata"}, []string{jsonExtension, ""})
		}
	}
	return out
}

// parquetFields are the Parquet schema nodes of the columns.
func parquetFields(cols []Field) ([]schema.Node, error) {
	opt := parquet.Repetitions.Optional
	out := make([]schema.Node, 0, len(cols))
	for _, f := range cols {
		var n schema.Node
		var err error
		switch f.Type {
		case ValueInt:
			n, err = schema.NewPrimitiveNodeLogical(f.Name, opt, schema.NewIntLogicalType(64, true), parquet.Types.Int64, -1, -1)
		case ValueFloat:
			n, err = schema.NewPrimitiveNode(f.Name, opt, parquet.Types.Double, -1, -1)
		case ValueBool:
			n, err = schema.NewPrimitiveNode(f.Name, opt, parquet.Types.Boolean, -1, -1)
		case ValueJSON:
			n, err = schema.NewPrimitiveNodeLogical(f.Name, opt, schema.JSONLogicalType{}, parquet.Types.ByteArray, -1, -1)
		default:
			n, err = schema.NewPrimitiveNodeLogical(f.Name, opt, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// checkColumns checks the values handed to WriteColumns for n rows.
func (w *Writer) checkColumns(n int, cols [][]any) error {
	if cols == nil {
		return nil
	}
	if len(cols) != len(w.opts.Columns) {
		return fmt.Errorf("%w: %d columns of values for %d columns", ErrInvalidOption, len(cols), len(w.opts.Columns))
	}
	for j, c := range cols {
		f := w.opts.Columns[j]
		if len(c) != n {
			return fmt.Errorf("%w: column %q has %d values for %d rows", ErrInvalidOption, f.Name, len(c), n)
		}
		for i, v := range c {
			if v != nil && !valueOf(f.Type, v) {
				return &RowError{Path: w.path, Row: w.queued + int64(len(w.words)+i), Column: f.Name, Err: ErrInvalidOption,
					Msg: fmt.Sprintf("a %T is not a %s value", v, f.Type)}
			}
		}
	}
	return nil
}

// valueOf reports whether v is a Go value of type t.
func valueOf(t ValueType, v any) bool {
	switch v.(type) {
	case string:
		return t == ValueString || t == ValueJSON
	case int64:
		return t == ValueInt
	case float64:
		return t == ValueFloat
	case bool:
		return t == ValueBool
	}
	return false
}

// appendColumns moves the values of the first n rows of cols to the group
// being filled (NULLs when cols is nil) and returns the rest of cols.
func (w *Writer) appendColumns(cols [][]any, n int) [][]any {
	if len(w.opts.Columns) == 0 {
		return cols
	}
	if w.cols == nil {
		w.cols = make([][]any, len(w.opts.Columns))
	}
	for j := range w.cols {
		if cols == nil {
			for range n {
				w.cols[j] = append(w.cols[j], nil)
			}
			continue
		}
		w.cols[j] = append(w.cols[j], cols[j][:n]...)
		cols[j] = cols[j][n:]
	}
	return cols
}

// columnArrays makes an Arrow array of each column's values.
func columnArrays(fields []Field, cols [][]any) []arrow.Array {
	out := make([]arrow.Array, len(fields))
	for j, f := range fields {
		b := array.NewBuilder(memory.DefaultAllocator, arrowType(f.Type))
		var vals []any
		if j < len(cols) {
			vals = cols[j]
		}
		b.Reserve(len(vals))
		for _, v := range vals {
			switch x := v.(type) {
			case nil:
				b.AppendNull()
			case string:
				b.(*array.StringBuilder).Append(x)
			case int64:
				b.(*array.Int64Builder).Append(x)
			case float64:
				b.(*array.Float64Builder).Append(x)
			case bool:
				b.(*array.BooleanBuilder).Append(x)
			}
		}
		out[j] = b.NewArray()
		b.Release()
	}
	return out
}

// writeParquetColumns writes the columns' values of one row group, each
// with definition level 1 for a value and 0 for a null.
func writeParquetColumns(rg file.SerialRowGroupWriter, fields []Field, cols [][]any) error {
	for j := range fields {
		cw, err := rg.NextColumn()
		if err != nil {
			return err
		}
		var vals []any
		if j < len(cols) {
			vals = cols[j]
		}
		if err := writeParquetColumn(cw, vals); err != nil {
			return err
		}
		if err := cw.Close(); err != nil {
			return err
		}
	}
	return nil
}

// writeParquetColumn writes one column chunk's values.
func writeParquetColumn(cw file.ColumnChunkWriter, vals []any) error {
	defs := make([]int16, len(vals))
	for i, v := range vals {
		if v != nil {
			defs[i] = 1
		}
	}
	var err error
	switch c := cw.(type) {
	case *file.ByteArrayColumnChunkWriter:
		strs := present[string](vals)
		out := make([]parquet.ByteArray, len(strs))
		for i, s := range strs {
			out[i] = unsafe.Slice(unsafe.StringData(s), len(s))
		}
		_, err = c.WriteBatch(out, defs, nil)
	case *file.Int64ColumnChunkWriter:
		_, err = c.WriteBatch(present[int64](vals), defs, nil)
	case *file.Float64ColumnChunkWriter:
		_, err = c.WriteBatch(present[float64](vals), defs, nil)
	case *file.BooleanColumnChunkWriter:
		_, err = c.WriteBatch(present[bool](vals), defs, nil)
	default:
		err = fmt.Errorf("columnar: unexpected column writer %T", cw)
	}
	return err
}

// present returns the values of vals that are not null, as T.
func present[T any](vals []any) []T {
	out := make([]T, 0, len(vals))
	for _, v := range vals {
		if x, ok := v.(T); ok {
			out = append(out, x)
		}
	}
	return out
}
