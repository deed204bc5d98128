//go:build !nocolumnar

package columnar_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/internal/vec"
)

// table is a small table to write and read back.
type table struct {
	words  []string
	counts []int64
	vecs   []float32
	dim    int
}

func makeTable(n, dim int) table {
	t := table{dim: dim}
	for i := range n {
		t.words = append(t.words, fmt.Sprintf("w%d", i))
		t.counts = append(t.counts, int64(n-i))
		for j := range dim {
			t.vecs = append(t.vecs, float32(i)+float32(j)/8)
		}
	}
	return t
}

func write(t *testing.T, path string, tb table, opts columnar.WriteOptions) {
	t.Helper()
	w, err := columnar.Create(path, tb.dim, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	// Two calls, to cross a group boundary with GroupRows set.
	h := len(tb.words) / 2
	if err := w.Write(tb.words[:h], nil, tb.counts[:h], tb.vecs[:h*tb.dim]); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(tb.words[h:], nil, tb.counts[h:], tb.vecs[h*tb.dim:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// readAll reads a file into a table of float32 vectors.
func readAll(t *testing.T, path string, opts columnar.ReadOptions) (columnar.Header, table) {
	t.Helper()
	r, err := columnar.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	got := table{dim: h.Dim}
	err = r.Read(context.Background(), func(b *columnar.Batch) error {
		if b.Start != int64(len(got.words)) {
			return fmt.Errorf("batch starts at %d, want %d", b.Start, len(got.words))
		}
		got.words = append(got.words, b.Words...)
		if b.Counts != nil {
			got.counts = append(got.counts, b.Counts...)
		}
		v := make([]float32, len(b.Data)/h.Elem.Size())
		h.Elem.Decode(v, b.Data)
		got.vecs = append(got.vecs, v...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, got
}

func TestRoundTrip(t *testing.T) {
	tb := makeTable(2500, 7)
	for _, tc := range []struct {
		name string
		file string
		opts columnar.WriteOptions
		elem vec.Elem
	}{
		{"Parquet", "t.parquet", columnar.WriteOptions{}, vec.Float32},
		{"ParquetSmallGroups", "t.parquet", columnar.WriteOptions{GroupRows: 300, Compression: "snappy"}, vec.Float32},
		{"ParquetFloat16", "t.parquet", columnar.WriteOptions{Elem: vec.Float16, Compression: "none"}, vec.Float16},
		{"Arrow", "t.arrow", columnar.WriteOptions{GroupRows: 1000}, vec.Float32},
		{"ArrowZstd", "t.feather", columnar.WriteOptions{Compression: "zstd", Elem: vec.Float16}, vec.Float16},
		{"Spark", "model", columnar.WriteOptions{Format: columnar.Spark}, vec.Float32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			tc.opts.Metadata = map[string]string{columnar.MetaMetric: "dot"}
			write(t, path, tb, tc.opts)
			h, got := readAll(t, path, columnar.ReadOptions{})
			if h.Dim != tb.dim || h.Elem != tc.elem || h.Vector != "vector" || h.Key != "word" {
				t.Fatalf("header = %+v", h)
			}
			if !slices.Equal(got.words, tb.words) {
				t.Errorf("words differ: %v...", got.words[:3])
			}
			want := tb.vecs
			if tc.elem == vec.Float16 {
				want = rounded(tb.vecs, vec.Float16)
			}
			if !slices.Equal(got.vecs, want) {
				t.Errorf("vectors differ")
			}
			if tc.opts.Format == columnar.Spark {
				if got.counts != nil || h.Spark["vectorSize"] != float64(tb.dim) {
					t.Errorf("Spark: counts %v, params %v", got.counts != nil, h.Spark)
				}
				return
			}
			if !slices.Equal(got.counts, tb.counts) {
				t.Errorf("counts differ")
			}
			if h.Metadata[columnar.MetaMetric] != "dot" {
				t.Errorf("metadata = %v", h.Metadata)
			}
			if tc.opts.Format != columnar.Arrow && h.Rows != int64(len(tb.words)) && tc.file != "t.arrow" && tc.file != "t.feather" {
				t.Errorf("Rows = %d", h.Rows)
			}
		})
	}
}

func TestReader_Limit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	tb := makeTable(100, 3)
	write(t, path, tb, columnar.WriteOptions{GroupRows: 30})
	h, got := readAll(t, path, columnar.ReadOptions{Limit: 45})
	if h.Rows != 45 || len(got.words) != 45 || !slices.Equal(got.vecs, tb.vecs[:45*3]) {
		t.Fatalf("Rows %d, read %d", h.Rows, len(got.words))
	}
}

func TestWriter_Exists(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"t.parquet", "t.arrow", "model"} {
		path := filepath.Join(dir, name)
		if err := os.Mkdir(path, 0o755); err != nil && name == "model" {
			t.Fatal(err)
		}
		if name != "model" {
			os.Remove(path)
			os.WriteFile(path, []byte("old"), 0o644)
		}
		opts := columnar.WriteOptions{}
		if name == "model" {
			opts.Format = columnar.Spark
		}
		if _, err := columnar.Create(path, 3, opts); !errors.Is(err, fs.ErrExist) {
			t.Errorf("%s: Create = %v, want fs.ErrExist", name, err)
		}
		opts.Overwrite = true
		write(t, path, makeTable(4, 3), opts)
		if _, got := readAll(t, path, columnar.ReadOptions{}); len(got.words) != 4 {
			t.Errorf("%s: read %d rows after overwrite", name, len(got.words))
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestWriter_Abort(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []columnar.Format{columnar.Parquet, columnar.Arrow, columnar.Spark} {
		w, err := columnar.Create(filepath.Join(dir, "x"), 2, columnar.WriteOptions{Format: f})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write([]string{"a"}, nil, nil, []float32{1, 2}); err != nil {
			t.Fatal(err)
		}
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Abort left %v", entries)
	}
}

func TestWriter_Float16Range(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	w, err := columnar.Create(path, 2, columnar.WriteOptions{Elem: vec.Float16})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	w.Write([]string{"a", "b"}, nil, nil, []float32{1, 2, 3, 1e6})
	err = w.Close()
	var re *columnar.RowError
	if !errors.As(err, &re) || re.Row != 1 || !errors.Is(err, columnar.ErrRange) {
		t.Fatalf("Close = %v, want a range error at row 2", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed write left %s", path)
	}
}

func TestWriter_Empty(t *testing.T) {
	for _, name := range []string{"e.parquet", "e.arrow"} {
		path := filepath.Join(t.TempDir(), name)
		w, err := columnar.Create(path, 4, columnar.WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%s: Close = %v", name, err)
		}
		h, got := readAll(t, path, columnar.ReadOptions{})
		if h.Dim != 4 || len(got.words) != 0 {
			t.Errorf("%s: dim %d, %d rows", name, h.Dim, len(got.words))
		}
	}
}

// rounded returns v rounded to the element type e.
func rounded(v []float32, e vec.Elem) []float32 {
	b := make([]byte, len(v)*e.Size())
	e.Encode(b, v)
	out := make([]float32, len(v))
	e.Decode(out, b)
	return out
}

// le32 returns v as little-endian bytes.
func le32(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

var _ = le32
