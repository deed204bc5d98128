//go:build !nocolumnar

package columnar_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/embeddb/embeddb/db/columnar"
)

// colFields are columns of every value type.
var colFields = []columnar.Field{
	{Name: "title", Type: columnar.ValueString},
	{Name: "year", Type: columnar.ValueInt},
	{Name: "score", Type: columnar.ValueFloat},
	{Name: "ok", Type: columnar.ValueBool},
	{Name: "meta", Type: columnar.ValueJSON},
}

// colValues are n rows of colFields' values, every fifth row NULL in each
// column (at a different row for each).
func colValues(n int) [][]any {
	cols := make([][]any, len(colFields))
	for j := range cols {
		cols[j] = make([]any, n)
		for i := range n {
			if (i+j)%5 == 0 {
				continue
			}
			switch colFields[j].Type {
			case columnar.ValueString:
				cols[j][i] = fmt.Sprintf("título %d", i)
			case columnar.ValueInt:
				cols[j][i] = int64(i*1000003) - 1<<40
			case columnar.ValueFloat:
				cols[j][i] = float64(i) / 3
			case columnar.ValueBool:
				cols[j][i] = i%2 == 0
			case columnar.ValueJSON:
				cols[j][i] = fmt.Sprintf(`{"i":%d}`, i)
			}
		}
	}
	return cols
}

// readColumns reads a file with every other column and returns the header
// and the columns' values.
func readColumns(t *testing.T, path string) (columnar.Header, [][]any) {
	t.Helper()
	r, err := columnar.Open(path, columnar.ReadOptions{Columns: func(others []columnar.Field) ([]string, error) {
		var names []string
		for _, f := range others {
			if f.Name != "id" {
				names = append(names, f.Name)
			}
		}
		return names, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	got := make([][]any, len(h.Fields))
	err = r.Read(context.Background(), func(b *columnar.Batch) error {
		for j := range got {
			got[j] = append(got[j], b.Columns[j]...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, got
}

func TestWriter_Columns_RoundTrip(t *testing.T) {
	tb := makeTable(300, 3)
	want := colValues(300)
	for _, opts := range []columnar.WriteOptions{
		{Format: columnar.Parquet, GroupRows: 128},
		{Format: columnar.Arrow, GroupRows: 100},
	} {
		t.Run(opts.Format.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t."+opts.Format.String())
			opts.Columns = colFields
			w, err := columnar.Create(path, tb.dim, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			// Two calls of uneven length, to split the values across
			// groups as the rows are.
			part := func(lo, hi int) [][]any {
				out := make([][]any, len(want))
				for j := range want {
					out[j] = append([]any(nil), want[j][lo:hi]...)
				}
				return out
			}
			if err := w.WriteColumns(tb.words[:77], nil, tb.counts[:77], tb.vecs[:77*3], part(0, 77)); err != nil {
				t.Fatal(err)
			}
			if err := w.WriteColumns(tb.words[77:], nil, tb.counts[77:], tb.vecs[77*3:], part(77, 300)); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			h, got := readColumns(t, path)
			if !reflect.DeepEqual(h.Fields, []columnar.Field{
				{Name: "title", Type: columnar.ValueString, FileType: h.Fields[0].FileType},
				{Name: "year", Type: columnar.ValueInt, FileType: h.Fields[1].FileType},
				{Name: "score", Type: columnar.ValueFloat, FileType: h.Fields[2].FileType},
				{Name: "ok", Type: columnar.ValueBool, FileType: h.Fields[3].FileType},
				{Name: "meta", Type: columnar.ValueJSON, FileType: h.Fields[4].FileType},
			}) {
				t.Fatalf("fields %+v", h.Fields)
			}
			if len(h.Ignored) != 1 || h.Ignored[0] != "id" {
				t.Errorf("ignored %v, want [id]", h.Ignored)
			}
			for j := range want {
				for i := range want[j] {
					if got[j][i] != want[j][i] {
						t.Fatalf("column %s row %d = %#v, want %#v", colFields[j].Name, i, got[j][i], want[j][i])
					}
				}
			}
		})
	}
}

func TestWriter_Columns_Errors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		opts columnar.WriteOptions
	}{
		{"Taken", columnar.WriteOptions{Columns: []columnar.Field{{Name: "count", Type: columnar.ValueInt}}}},
		{"Untyped", columnar.WriteOptions{Columns: []columnar.Field{{Name: "x"}}}},
		{"Spark", columnar.WriteOptions{Format: columnar.Spark, Columns: []columnar.Field{{Name: "x", Type: columnar.ValueInt}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := columnar.Create(filepath.Join(dir, c.name+".parquet"), 2, c.opts)
			if !errors.Is(err, columnar.ErrInvalidOption) {
				t.Fatalf("Create = %v, want ErrInvalidOption", err)
			}
		})
	}
	t.Run("WrongValue", func(t *testing.T) {
		w, err := columnar.Create(filepath.Join(dir, "v.parquet"), 2, columnar.WriteOptions{Columns: colFields[1:2]})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		err = w.WriteColumns([]string{"a"}, nil, nil, []float32{1, 2}, [][]any{{"1999"}})
		if err == nil || !strings.Contains(err.Error(), `column "year": a string is not a int64 value`) {
			t.Fatalf("WriteColumns = %v", err)
		}
	})
}

func TestReader_Columns_Unsupported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.arrow")
	writeArrowWithTimestamp(t, path)
	var seen []columnar.Field
	all := func(others []columnar.Field) ([]string, error) {
		seen = others
		var names []string
		for _, f := range others {
			names = append(names, f.Name)
		}
		return names, nil
	}
	_, err := columnar.Open(path, columnar.ReadOptions{Columns: all})
	if !errors.Is(err, columnar.ErrFormat) || !strings.Contains(err.Error(), `column "at" is timestamp[ms, tz=UTC], which a table column cannot hold`) {
		t.Fatalf("Open = %v, want an error naming column at and its type", err)
	}
	if len(seen) != 2 || seen[0].Type != columnar.ValueInt || seen[1].Type != columnar.ValueUnsupported {
		t.Errorf("others = %+v", seen)
	}
	// Leaving it out reads the rest.
	r, err := columnar.Open(path, columnar.ReadOptions{Columns: func([]columnar.Field) ([]string, error) { return []string{"n"}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if h := r.Header(); len(h.Fields) != 1 || len(h.Ignored) != 1 || h.Ignored[0] != "at" {
		t.Errorf("header fields %v, ignored %v", h.Fields, h.Ignored)
	}
	if _, err := columnar.Open(path, columnar.ReadOptions{Columns: func([]columnar.Field) ([]string, error) {
		return []string{"nope"}, nil
	}}); !errors.Is(err, columnar.ErrNoColumn) || !strings.Contains(err.Error(), `no column "nope"`) {
		t.Fatalf("Open = %v, want ErrNoColumn naming nope", err)
	}
	stop := errors.New("stop")
	if _, err := columnar.Open(path, columnar.ReadOptions{Columns: func([]columnar.Field) ([]string, error) { return nil, stop }}); !errors.Is(err, stop) {
		t.Fatalf("Open = %v, want the chooser's error", err)
	}
}

// writeArrowWithTimestamp writes an Arrow IPC file of two rows: word,
// vector (FixedSizeList<float32>[2]), n (int32) and at (a timestamp).
func writeArrowWithTimestamp(t *testing.T, path string) {
	t.Helper()
	ts := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "word", Type: arrow.BinaryTypes.String},
		{Name: "vector", Type: arrow.FixedSizeListOf(2, arrow.PrimitiveTypes.Float32)},
		{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "at", Type: ts, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a", "b"}, nil)
	lb := b.Field(1).(*array.FixedSizeListBuilder)
	vb := lb.ValueBuilder().(*array.Float32Builder)
	for i := range 2 {
		lb.Append(true)
		vb.AppendValues([]float32{float32(i), 1}, nil)
	}
	b.Field(2).(*array.Int32Builder).AppendValues([]int32{7, 0}, []bool{true, false})
	b.Field(3).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{1, 2}, nil)
	writeRecord(t, path, sc, b.NewRecordBatch())
}

// TestReader_Columns_Dictionary reads a column of dictionary-encoded
// strings (pandas' categoricals in Feather) as strings.
func TestReader_Columns_Dictionary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.arrow")
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "word", Type: arrow.BinaryTypes.String},
		{Name: "vector", Type: arrow.FixedSizeListOf(1, arrow.PrimitiveTypes.Float32)},
		{Name: "lang", Type: dt, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a", "b", "c"}, nil)
	lb := b.Field(1).(*array.FixedSizeListBuilder)
	for i := range 3 {
		lb.Append(true)
		lb.ValueBuilder().(*array.Float32Builder).Append(float32(i))
	}
	db := b.Field(2).(*array.BinaryDictionaryBuilder)
	db.AppendString("en")
	db.AppendNull()
	db.AppendString("en")
	writeRecord(t, path, sc, b.NewRecordBatch())
	h, got := readColumns(t, path)
	if len(h.Fields) != 1 || h.Fields[0].Type != columnar.ValueString {
		t.Fatalf("fields %+v", h.Fields)
	}
	if want := []any{"en", nil, "en"}; !reflect.DeepEqual(got[0], want) {
		t.Errorf("lang = %v, want %v", got[0], want)
	}
}

// writeRecord writes one record to an Arrow IPC file and releases it.
func writeRecord(t *testing.T, path string, sc *arrow.Schema, rec arrow.RecordBatch) {
	t.Helper()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(sc))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReader_Columns_ParquetFloat16 reads an optional float16 column of a
// Parquet file (FIXED_LEN_BYTE_ARRAY(2) with the Float16 logical type).
func TestReader_Columns_ParquetFloat16(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.parquet")
	req, opt := parquet.Repetitions.Required, parquet.Repetitions.Optional
	word, _ := schema.NewPrimitiveNodeLogical("word", req, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)
	list, _ := schema.ListOfWithName("vector", schema.NewFloat32Node("element", req, -1), req, -1)
	half, _ := schema.NewPrimitiveNodeLogical("h", opt, schema.Float16LogicalType{}, parquet.Types.FixedLenByteArray, 2, -1)
	root, err := schema.NewGroupNode("schema", req, schema.FieldList{word, list, half}, -1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	pw := file.NewParquetWriter(f, root)
	rg, err := pw.AppendRowGroupChecked()
	if err != nil {
		t.Fatal(err)
	}
	cw, _ := rg.NextColumn()
	cw.(*file.ByteArrayColumnChunkWriter).WriteBatch([]parquet.ByteArray{parquet.ByteArray("a"), parquet.ByteArray("b")}, nil, nil)
	cw.Close()
	cw, _ = rg.NextColumn()
	cw.(*file.Float32ColumnChunkWriter).WriteBatch([]float32{1, 2}, []int16{1, 1}, []int16{0, 0})
	cw.Close()
	cw, _ = rg.NextColumn()
	// 1.5 as float16 is 0x3e00; the second row is null.
	cw.(*file.FixedLenByteArrayColumnChunkWriter).WriteBatch([]parquet.FixedLenByteArray{{0x00, 0x3e}}, []int16{1, 0}, nil)
	cw.Close()
	rg.Close()
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	h, got := readColumns(t, path)
	if len(h.Fields) != 1 || h.Fields[0].Type != columnar.ValueFloat {
		t.Fatalf("fields %+v", h.Fields)
	}
	if want := []any{1.5, nil}; !reflect.DeepEqual(got[0], want) {
		t.Errorf("h = %v, want %v", got[0], want)
	}
}
