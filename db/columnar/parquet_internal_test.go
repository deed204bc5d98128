//go:build !nocolumnar

package columnar

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestParquet_SmallBatches reads with records of 16 rows, fewer than a
// row group and not dividing it, so that levels read past a record wait
// for the next one, across pages and row groups.
func TestParquet_SmallBatches(t *testing.T) {
	defer func(b int) { batchBytes = b }(batchBytes)
	batchBytes = 1
	const n, dim = 1000, 5
	path := filepath.Join(t.TempDir(), "s.parquet")
	w, err := Create(path, dim, WriteOptions{GroupRows: 333})
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	var vecs []float32
	for i := range n {
		words = append(words, "w"+strconv.Itoa(i))
		for j := range dim {
			vecs = append(vecs, float32(i*dim+j))
		}
	}
	if err := w.Write(words, nil, nil, vecs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var gotWords []string
	var got []float32
	batches := 0
	err = r.Read(context.Background(), func(b *Batch) error {
		batches++
		gotWords = append(gotWords, b.Words...)
		v := make([]float32, len(b.Words)*dim)
		r.Header().Elem.Decode(v, b.Data)
		got = append(got, v...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if batches < n/16 || !slices.Equal(gotWords, words) || !slices.Equal(got, vecs) {
		t.Errorf("%d batches; words equal %v, vectors equal %v", batches, slices.Equal(gotWords, words), slices.Equal(got, vecs))
	}
}
