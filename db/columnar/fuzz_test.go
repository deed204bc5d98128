//go:build !nocolumnar

package columnar_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/internal/vec"
)

// FuzzReader feeds arbitrary bytes to the Parquet and Arrow IPC readers:
// they must return an error or rows of the header's shape, never panic.
func FuzzReader(f *testing.F) {
	dir := f.TempDir()
	tb := makeTable(20, 3)
	for i, opts := range []columnar.WriteOptions{
		{Format: columnar.Parquet, GroupRows: 7},
		{Format: columnar.Parquet, Elem: vec.Float16, Compression: "none"},
		{Format: columnar.Arrow},
		{Format: columnar.Arrow, Compression: "lz4"},
		{Format: columnar.Spark},                                     // its data file: a Parquet List<float>
		{Format: columnar.Parquet, GroupRows: 8, Columns: colFields}, // a table's own columns, NULLs among them
		{Format: columnar.Arrow, GroupRows: 8, Columns: colFields},
	} {
		path := filepath.Join(dir, string(rune('a'+i)))
		w, err := columnar.Create(path, tb.dim, opts)
		if err != nil {
			f.Fatal(err)
		}
		var cols [][]any
		if opts.Columns != nil {
			cols = colValues(len(tb.words))
		}
		if err := w.WriteColumns(tb.words, nil, tb.counts, tb.vecs, cols); err != nil {
			f.Fatal(err)
		}
		if err := w.Close(); err != nil {
			f.Fatal(err)
		}
		if opts.Format == columnar.Spark {
			m, _ := filepath.Glob(filepath.Join(path, "data", "*.parquet"))
			path = m[0]
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// Parquet as DuckDB writes it: optional columns, nullable elements.
	for _, name := range []string{"duckdb.parquet", "duckdb_f64.parquet"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "columnar", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("ARROW1\x00\x00"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every other column a table can hold is read too.
		all := func(others []columnar.Field) ([]string, error) {
			var names []string
			for _, f := range others {
				if f.Type != columnar.ValueUnsupported {
					names = append(names, f.Name)
				}
			}
			return names, nil
		}
		r, err := columnar.NewReader(bytes.NewReader(data), "fuzz", columnar.ReadOptions{Limit: 10000, Columns: all})
		if err != nil {
			return
		}
		defer r.Close()
		h := r.Header()
		if h.Dim < 1 || h.Elem.Size() == 0 {
			t.Fatalf("header %+v", h)
		}
		r.Read(context.Background(), func(b *columnar.Batch) error {
			if len(b.Data) != len(b.Words)*h.Dim*h.Elem.Size() || (b.Counts != nil && len(b.Counts) != len(b.Words)) {
				t.Fatalf("batch of %d words, %d counts, %d bytes; dim %d", len(b.Words), len(b.Counts), len(b.Data), h.Dim)
			}
			if len(b.Columns) != len(h.Fields) {
				t.Fatalf("batch of %d columns, header %d", len(b.Columns), len(h.Fields))
			}
			for j, c := range b.Columns {
				if len(c) != len(b.Words) {
					t.Fatalf("column %s has %d values for %d rows", h.Fields[j].Name, len(c), len(b.Words))
				}
			}
			return nil
		})
	})
}
