//go:build !nocolumnar

package columnar_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/float16"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/embeddb/embeddb/db/columnar"
)

// foreign is a table as another tool writes it: integer keys, float64
// list vectors under other names, an extra column.
func foreign(t *testing.T, vecs [][]float64) arrow.RecordBatch {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "item_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "title", Type: arrow.BinaryTypes.String},
		{Name: "embedding", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64), Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	lb := b.Field(2).(*array.ListBuilder)
	vb := lb.ValueBuilder().(*array.Float64Builder)
	for i, v := range vecs {
		b.Field(0).(*array.Int32Builder).Append(int32(100 + i))
		b.Field(1).(*array.StringBuilder).Append("t")
		if v == nil {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		vb.AppendValues(v, nil)
	}
	return b.NewRecordBatch()
}

func writeParquet(t *testing.T, path string, rec arrow.RecordBatch) {
	t.Helper()
	writeParquetProps(t, path, rec, nil)
}

// writeParquetProps writes rec with Arrow's own Parquet writer.
func writeParquetProps(t *testing.T, path string, rec arrow.RecordBatch, props *parquet.WriterProperties) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(rec.Schema(), f, props, pqarrow.DefaultWriterProps())
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

func TestReader_Foreign(t *testing.T) {
	dir := t.TempDir()
	rec := foreign(t, [][]float64{{1, 2}, {3, 4}, {5, 6.5}})
	defer rec.Release()
	pq := filepath.Join(dir, "f.parquet")
	writeParquet(t, pq, rec)
	stream := filepath.Join(dir, "f.arrows")
	f, _ := os.Create(stream)
	sw := ipc.NewWriter(f, ipc.WithSchema(rec.Schema()))
	if err := sw.Write(rec); err != nil {
		t.Fatal(err)
	}
	sw.Close()
	f.Close()
	for _, path := range []string{pq, stream} {
		h, got := readAll(t, path, columnar.ReadOptions{Vector: "embedding", Key: "item_id"})
		if h.Dim != 2 || h.Key != "item_id" || !slices.Equal(h.Ignored, []string{"title"}) {
			t.Errorf("%s: header %+v", path, h)
		}
		if !slices.Equal(got.words, []string{"100", "101", "102"}) || !slices.Equal(got.vecs, []float32{1, 2, 3, 4, 5, 6.5}) {
			t.Errorf("%s: read %v %v", path, got.words, got.vecs)
		}
		// Without options the only list column is the vector, and no
		// column has a key name.
		if h, got := readAll(t, path, columnar.ReadOptions{}); h.Vector != "embedding" || h.Key != "" || got.words[0] != "" {
			t.Errorf("%s: default columns %+v", path, h)
		}
	}
}

func TestReader_BadRows(t *testing.T) {
	dir := t.TempDir()
	for name, vecs := range map[string][][]float64{
		"ragged": {{1, 2}, {3, 4, 5}},
		"null":   {{1, 2}, nil},
	} {
		rec := foreign(t, vecs)
		path := filepath.Join(dir, name+".parquet")
		writeParquet(t, path, rec)
		rec.Release()
		r, err := columnar.Open(path, columnar.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		err = r.Read(context.Background(), func(*columnar.Batch) error { return nil })
		r.Close()
		var re *columnar.RowError
		if !errors.As(err, &re) || re.Row != 1 || re.Column != "embedding" {
			t.Errorf("%s: Read = %v, want a RowError at row 2 of embedding", name, err)
		}
	}
}

func TestReader_NoVectorColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	rec := foreign(t, [][]float64{{1}})
	defer rec.Release()
	// Two list columns: the reader must be told which.
	lt := rec.Schema().Field(2).Type
	schema := arrow.NewSchema([]arrow.Field{rec.Schema().Field(0), rec.Schema().Field(1),
		{Name: "e1", Type: lt, Nullable: true}, {Name: "e2", Type: lt, Nullable: true}}, nil)
	two := array.NewRecordBatch(schema, append(rec.Columns(), rec.Column(2)), rec.NumRows())
	defer two.Release()
	writeParquet(t, path, two)
	_, err := columnar.Open(path, columnar.ReadOptions{})
	if !errors.Is(err, columnar.ErrNoColumn) || !strings.Contains(err.Error(), "WITH (vector = 'column')") {
		t.Errorf("Open = %v, want ErrNoColumn asking for the vector option", err)
	}
}

func TestReader_SparkParts(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	tb := makeTable(10, 4)
	write(t, a, tb, columnar.WriteOptions{Format: columnar.Spark})
	write(t, b, makeTable(3, 4), columnar.WriteOptions{Format: columnar.Spark})
	parts, _ := filepath.Glob(filepath.Join(b, "data", "part-*.parquet"))
	// Spark names parts in order; this one sorts after a's part-00000.
	if err := os.Rename(parts[0], filepath.Join(a, "data", "part-00001-x.snappy.parquet")); err != nil {
		t.Fatal(err)
	}
	h, got := readAll(t, a, columnar.ReadOptions{})
	if h.Rows != 13 || len(got.words) != 13 || got.words[10] != "w0" || !slices.Equal(got.vecs[:40], tb.vecs) {
		t.Errorf("Rows %d, read %d: %v", h.Rows, len(got.words), got.words)
	}
	os.WriteFile(filepath.Join(a, "metadata", "part-00000"), []byte(`{"class":"org.apache.spark.ml.feature.PCAModel","sparkVersion":"3.5.0"}`), 0o644)
	if _, err := columnar.Open(a, columnar.ReadOptions{}); !errors.Is(err, columnar.ErrFormat) || !strings.Contains(err.Error(), "PCAModel") {
		t.Errorf("a PCAModel directory: %v", err)
	}
}

// TestReader_ParquetShapes reads list columns as other writers lay them
// out: nullable lists of nullable elements (pyarrow's default, read with
// the null checks), float16 and float64 elements, and a null element,
// which is an error at its row.
func TestReader_ParquetShapes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		elem    arrow.DataType
		null    bool // row 2's second element is null
		wantErr string
	}{
		{name: "f32", elem: arrow.PrimitiveTypes.Float32},
		{name: "f64", elem: arrow.PrimitiveTypes.Float64},
		{name: "f16", elem: arrow.FixedWidthTypes.Float16},
		{name: "null", elem: arrow.PrimitiveTypes.Float32, null: true, wantErr: "element 1 is null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := arrow.NewSchema([]arrow.Field{
				{Name: "word", Type: arrow.BinaryTypes.String, Nullable: true},
				{Name: "vector", Type: arrow.ListOfField(arrow.Field{Name: "item", Type: tc.elem, Nullable: true}), Nullable: true},
			}, nil)
			b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
			defer b.Release()
			lb := b.Field(1).(*array.ListBuilder)
			for i := range 3 {
				b.Field(0).(*array.StringBuilder).Append(fmt.Sprint("w", i))
				lb.Append(true)
				for j := range 2 {
					v := float64(i) + float64(j)/2
					switch vb := lb.ValueBuilder().(type) {
					case *array.Float32Builder:
						if tc.null && i == 2 && j == 1 {
							vb.AppendNull()
						} else {
							vb.Append(float32(v))
						}
					case *array.Float64Builder:
						vb.Append(v)
					case *array.Float16Builder:
						vb.Append(float16.New(float32(v)))
					}
				}
			}
			rec := b.NewRecordBatch()
			defer rec.Release()
			path := filepath.Join(dir, tc.name+".parquet")
			writeParquet(t, path, rec)
			r, err := columnar.Open(path, columnar.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var words []string
			var data []byte
			err = r.Read(context.Background(), func(b *columnar.Batch) error {
				words = append(words, b.Words...)
				data = append(data, b.Data...)
				return nil
			})
			if tc.wantErr != "" {
				var re *columnar.RowError
				if !errors.As(err, &re) || re.Row != 2 || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Read = %v, want a RowError at row 3: %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			h := r.Header()
			got := make([]float32, len(data)/h.Elem.Size())
			h.Elem.Decode(got, data)
			if h.Dim != 2 || !slices.Equal(words, []string{"w0", "w1", "w2"}) || !slices.Equal(got, []float32{0, 0.5, 1, 1.5, 2, 2.5}) {
				t.Errorf("dim %d, words %v, vectors %v", h.Dim, words, got)
			}
		})
	}
}

// TestReader_SmallPages reads a file whose pages hold a few rows each, and
// end inside rows, so that the rows of a batch span many pages.
func TestReader_SmallPages(t *testing.T) {
	const n, dim = 5000, 7
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "word", Type: arrow.BinaryTypes.String},
		{Name: "vector", Type: arrow.ListOf(arrow.PrimitiveTypes.Float32)},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	lb := b.Field(1).(*array.ListBuilder)
	var want []float32
	for i := range n {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprint("w", i))
		lb.Append(true)
		for j := range dim {
			v := float32(i*dim + j)
			lb.ValueBuilder().(*array.Float32Builder).Append(v)
			want = append(want, v)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "p.parquet")
	writeParquetProps(t, path, rec, parquet.NewWriterProperties(
		parquet.WithDataPageSize(100), parquet.WithBatchSize(10), parquet.WithMaxRowGroupLength(3000)))
	h, got := readAll(t, path, columnar.ReadOptions{})
	if h.Dim != dim || len(got.words) != n || got.words[n-1] != fmt.Sprint("w", n-1) || !slices.Equal(got.vecs, want) {
		t.Errorf("dim %d, %d words, vectors equal: %v", h.Dim, len(got.words), slices.Equal(got.vecs, want))
	}
}

// TestReader_ParquetUint32Count: Parquet keeps a UINT_32 in an INT32's
// bits, so a count of 2^31 or more must be widened unsigned, not read as a
// negative number.
func TestReader_ParquetUint32Count(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "word", Type: arrow.BinaryTypes.String},
		{Name: "count", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "vector", Type: arrow.FixedSizeListOf(2, arrow.PrimitiveTypes.Float32)},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	counts := []uint32{7, 1 << 31, math.MaxUint32}
	lb := b.Field(2).(*array.FixedSizeListBuilder)
	for i, c := range counts {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprint("w", i))
		b.Field(1).(*array.Uint32Builder).Append(c)
		lb.Append(true)
		lb.ValueBuilder().(*array.Float32Builder).AppendValues([]float32{1, float32(i)}, nil)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "u32.parquet")
	writeParquet(t, path, rec)
	r, err := columnar.Open(path, columnar.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []int64
	if err := r.Read(context.Background(), func(b *columnar.Batch) error {
		got = append(got, b.Counts...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []int64{7, 1 << 31, math.MaxUint32}; !slices.Equal(got, want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
}
