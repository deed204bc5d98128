//go:build !nocolumnar

package columnar

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/float16"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// parquetLogicalKey is the metadata key under which the Parquet reader
// puts a column's logical type (Parquet's name for it) in the Arrow
// field it makes, for fieldType.
const parquetLogicalKey = "PARQUET:logical_type"

// fieldType classifies an Arrow field as a table column's values: its
// type, or ValueUnsupported.
func fieldType(f arrow.Field) ValueType {
	ext := ""
	if i := f.Metadata.FindKey("ARROW:extension:name"); i >= 0 {
		ext = f.Metadata.Values()[i]
	}
	if i := f.Metadata.FindKey(parquetLogicalKey); i >= 0 {
		ext = f.Metadata.Values()[i]
	}
	typ := f.Type
	if et, ok := typ.(arrow.ExtensionType); ok { // arrow.json, when registered
		ext, typ = et.ExtensionName(), et.StorageType()
	}
	if dt, ok := typ.(*arrow.DictionaryType); ok { // pandas' categoricals, in Feather
		typ = dt.ValueType
		if !arrow.IsBaseBinary(typ.ID()) || typ.ID() == arrow.BINARY || typ.ID() == arrow.LARGE_BINARY {
			return ValueUnsupported
		}
	}
	switch typ.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		switch strings.ToUpper(ext) {
		case strings.ToUpper(jsonExtension), "JSON":
			return ValueJSON
		case "", "STRING", "ENUM":
			return ValueString
		}
		return ValueUnsupported // Parquet's binary (no logical type), BSON or the like
	case arrow.BOOL:
		return ValueBool
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return ValueFloat
	}
	if arrow.IsInteger(typ.ID()) {
		if ext != "" && ext != "None" && !strings.HasPrefix(ext, "Int(") {
			return ValueUnsupported // Parquet's DATE, TIME, TIMESTAMP, DECIMAL in integers
		}
		return ValueInt
	}
	return ValueUnsupported
}

// chooseFields asks ReadOptions.Columns which of the other columns to
// read, and checks its answer: each a column of the file, of a type a
// table can hold.
func (r *Reader) chooseFields(sc *arrow.Schema) error {
	r.hdr.Fields = nil
	if r.opts.Columns == nil || r.hdr.Format == Spark || len(r.hdr.Ignored) == 0 {
		return nil
	}
	others := make([]Field, 0, len(r.hdr.Ignored))
	for _, name := range r.hdr.Ignored {
		i := sc.FieldIndices(name)[0]
		f := sc.Field(i)
		others = append(others, Field{Name: name, Type: fieldType(f), FileType: fileTypeName(f)})
	}
	names, err := r.opts.Columns(others)
	if err != nil {
		return err
	}
	var idx []int
	for _, name := range names {
		k := slices.IndexFunc(others, func(f Field) bool { return f.Name == name })
		if k < 0 {
			return fmt.Errorf("%w: %s has no column %q besides the vector, key and count", ErrNoColumn, r.path, name)
		}
		if others[k].Type == ValueUnsupported {
			return fmt.Errorf("%w: %s: column %q is %s, which a table column cannot hold", ErrFormat, r.path, name, others[k].FileType)
		}
		if slices.ContainsFunc(r.hdr.Fields, func(f Field) bool { return f.Name == name }) {
			continue
		}
		r.hdr.Fields = append(r.hdr.Fields, others[k])
		idx = append(idx, sc.FieldIndices(name)[0])
	}
	r.hdr.Ignored = slices.DeleteFunc(r.hdr.Ignored, func(n string) bool { return slices.Contains(names, n) })
	if len(r.hdr.Ignored) == 0 {
		r.hdr.Ignored = nil
	}
	if ps, ok := r.src.(*parquetSource); ok {
		ps.extra = idx
	}
	return nil
}

// fileTypeName names a field's type for messages: Parquet's logical type
// where the Parquet reader recorded one, else Arrow's.
func fileTypeName(f arrow.Field) string {
	if i := f.Metadata.FindKey(parquetLogicalKey); i >= 0 {
		// Parquet's logical type where it says more than the Arrow type:
		// Date, Timestamp(...), Decimal(...), JSON.
		switch lt := f.Metadata.Values()[i]; {
		case lt == "None", lt == "String", strings.HasPrefix(lt, "Int("):
		case lt == "JSON":
			return "json"
		default:
			name, _, _ := strings.Cut(lt, "(") // Timestamp(isAdjustedToUTC=..., ...)
			return strings.ToLower(name)
		}
	}
	if i := f.Metadata.FindKey("ARROW:extension:name"); i >= 0 {
		return f.Metadata.Values()[i]
	}
	if s, ok := f.Type.(*arrow.StructType); ok && s.NumFields() == 0 {
		return "a nested column"
	}
	return f.Type.String()
}

// fillColumns puts the first n rows of the columns read into b.Columns.
func (r *Reader) fillColumns(b *Batch, rec arrow.RecordBatch, n int) error {
	b.Columns = nil
	if len(r.hdr.Fields) == 0 {
		return nil
	}
	b.Columns = make([][]any, len(r.hdr.Fields)) // the callback may keep them
	for j, f := range r.hdr.Fields {
		col := column(rec, f.Name)
		if col == nil || col.Len() < n {
			return fmt.Errorf("%w: %s: a batch lacks rows of column %q", ErrFormat, r.path, f.Name)
		}
		vals := make([]any, n)
		for i := range n {
			v, err := valueAt(col, i)
			if err != nil {
				return &RowError{Path: r.path, Row: r.done + int64(i), Column: f.Name, Msg: err.Error(), Err: ErrFormat}
			}
			vals[i] = v
		}
		b.Columns[j] = vals
	}
	return nil
}

// valueAt returns row i of col as a Go value: string, int64, float64,
// bool, or nil for a null. Strings are copied: they would otherwise keep
// the record's buffers alive.
func valueAt(col arrow.Array, i int) (any, error) {
	if col.IsNull(i) {
		return nil, nil
	}
	if e, ok := col.(array.ExtensionArray); ok {
		col = e.Storage()
	}
	if d, ok := col.(*array.Dictionary); ok {
		return valueAt(d.Dictionary(), d.GetValueIndex(i))
	}
	switch c := col.(type) {
	case *array.String:
		return strings.Clone(c.Value(i)), nil
	case *array.LargeString:
		return strings.Clone(c.Value(i)), nil
	case *array.StringView:
		return strings.Clone(c.Value(i)), nil
	case *array.Boolean:
		return c.Value(i), nil
	case *array.Float16:
		return float64(c.Value(i).Float32()), nil
	case *array.Float32:
		return float64(c.Value(i)), nil
	case *array.Float64:
		return c.Value(i), nil
	case *array.Uint64:
		if c.Value(i) > math.MaxInt64 {
			return nil, fmt.Errorf("%d is beyond a 64-bit signed integer", c.Value(i))
		}
	}
	if arrow.IsInteger(col.DataType().ID()) {
		return intAt(col, i), nil
	}
	return nil, fmt.Errorf("cannot read values of type %s", col.DataType())
}

// otherBuilder is the Arrow builder of a Parquet column of booleans or
// floats: a table's own columns.
func otherBuilder(cr file.ColumnChunkReader) array.Builder {
	switch cr.(type) {
	case *file.BooleanColumnChunkReader:
		return array.NewBooleanBuilder(memory.DefaultAllocator)
	case *file.Float32ColumnChunkReader, *file.FixedLenByteArrayColumnChunkReader: // float16
		return array.NewFloat32Builder(memory.DefaultAllocator)
	}
	return array.NewFloat64Builder(memory.DefaultAllocator)
}

// readOther is readPage for the column readers otherBuilder serves.
func (c *flatColumn) readOther(n int64, defs []int16) (int64, int, error) {
	switch cr := c.cr.(type) {
	case *file.BooleanColumnChunkReader:
		c.bools = grow(c.bools, int(n))
		return cr.ReadBatchInPage(n, c.bools, defs, nil)
	case *file.Float32ColumnChunkReader:
		c.f32 = grow(c.f32, int(n))
		return cr.ReadBatchInPage(n, c.f32, defs, nil)
	case *file.Float64ColumnChunkReader:
		c.f64 = grow(c.f64, int(n))
		return cr.ReadBatchInPage(n, c.f64, defs, nil)
	case *file.FixedLenByteArrayColumnChunkReader:
		if cr.Descriptor().TypeLength() != 2 {
			break
		}
		flba := make([]parquet.FixedLenByteArray, n)
		lv, nv, err := cr.ReadBatchInPage(n, flba, defs, nil)
		c.f32 = grow(c.f32, nv)
		for i, h := range flba[:nv] {
			if len(h) != 2 {
				return 0, 0, fmt.Errorf("a float16 of %d bytes", len(h))
			}
			c.f32[i] = float16.FromBits(binary.LittleEndian.Uint16(h)).Float32()
		}
		return lv, nv, err
	}
	return 0, 0, fmt.Errorf("cannot read %s values", c.cr.Type())
}

// appendOther is append for the builders otherBuilder makes.
func (c *flatColumn) appendOther(b array.Builder, v int) {
	switch b := b.(type) {
	case *array.BooleanBuilder:
		b.Append(c.bools[v])
	case *array.Float32Builder:
		b.Append(c.f32[v])
	case *array.Float64Builder:
		b.Append(c.f64[v])
	}
}
