//go:build !nocolumnar

package columnar

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// gotBatch is what a Read callback saw of one batch.
type gotBatch struct {
	start  int64
	words  []string
	counts []int64
	data   []byte
}

// readBatches reads path with at most decoders row groups decoded at
// once, on 4 Ps, stopping after stopAfter batches (0: never) with an
// error of its own; it returns the batches seen and Read's error.
func readBatches(t *testing.T, path string, decoders, stopAfter int) ([]gotBatch, error) {
	t.Helper()
	defer func(n, p int) { maxDecoders = n; runtime.GOMAXPROCS(p) }(maxDecoders, runtime.GOMAXPROCS(4))
	maxDecoders = decoders
	r, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if want := min(decoders, r.src.(*parquetSource).pr.NumRowGroups()); r.decoders() != want {
		t.Fatalf("%d decoders, want %d", r.decoders(), want)
	}
	var got []gotBatch
	err = r.Read(context.Background(), func(b *Batch) error {
		got = append(got, gotBatch{b.Start, slices.Clone(b.Words), slices.Clone(b.Counts), slices.Clone(b.Data)})
		if len(got) == stopAfter {
			return errStopHere
		}
		return nil
	})
	return got, err
}

var errStopHere = errors.New("stop here")

// writeSeq writes n rows of dim elements to a Parquet file of row groups
// of groupRows: words w0, w1, ..., counts 7 times the row, elements that
// count up from 0. It returns the words.
func writeSeq(t *testing.T, path string, n, dim, groupRows int) []string {
	t.Helper()
	w, err := Create(path, dim, WriteOptions{GroupRows: groupRows})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var words []string
	var counts []int64
	var vecs []float32
	for i := range n {
		words = append(words, "w"+strconv.Itoa(i))
		counts = append(counts, int64(7*i))
		for j := range dim {
			vecs = append(vecs, float32(i*dim+j))
		}
	}
	if err := w.Write(words, nil, counts, vecs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return words
}

// flatten joins batches into one, checking that each starts where the one
// before ended.
func flatten(t *testing.T, bs []gotBatch) gotBatch {
	t.Helper()
	var all gotBatch
	for i, b := range bs {
		if b.start != int64(len(all.words)) {
			t.Fatalf("batch %d starts at row %d, after %d rows", i, b.start, len(all.words))
		}
		all.words = append(all.words, b.words...)
		all.counts = append(all.counts, b.counts...)
		all.data = append(all.data, b.data...)
	}
	return all
}

// TestParquet_ParallelDecode reads a file of 17 row groups, each of
// several records, with one decoder and with four (whose records are a
// quarter the size): the rows, words, counts and vectors are the same, in
// the same order, and each batch starts where the one before ended.
func TestParquet_ParallelDecode(t *testing.T) {
	defer func(b int) { batchBytes = b }(batchBytes)
	batchBytes = 64 * 3 * 4 // records of 64 rows
	const n, dim = 5000, 3
	path := filepath.Join(t.TempDir(), "p.parquet")
	words := writeSeq(t, path, n, dim, 300)
	one, err := readBatches(t, path, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	four, err := readBatches(t, path, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) < 17*4 {
		t.Fatalf("%d batches, want records of 64 rows in 17 row groups", len(one))
	}
	a, b := flatten(t, one), flatten(t, four)
	if !slices.Equal(a.words, words) {
		t.Fatal("one decoder: the words differ from the file's")
	}
	if !slices.Equal(a.words, b.words) || !slices.Equal(a.counts, b.counts) || !slices.Equal(a.data, b.data) {
		t.Fatalf("four decoders: %d rows, not the %d rows one decoder read, in its order", len(b.words), len(a.words))
	}

	// A callback's error stops the read at once, in either way.
	for _, decoders := range []int{1, 4} {
		got, err := readBatches(t, path, decoders, 5)
		if !errors.Is(err, errStopHere) || len(got) != 5 {
			t.Errorf("%d decoders: Read = %v after %d batches, want the callback's error after 5", decoders, err, len(got))
		}
	}
}

// TestParquet_ParallelDecodeErrors reads a file whose row groups 3 and 6
// each hold a null vector: with four decoders, the one in row group 3 is
// reported, as with one, after the same rows.
func TestParquet_ParallelDecodeErrors(t *testing.T) {
	const groups, per = 8, 50
	bad := []int{3*per + 7, 6*per + 1}
	lens := slices.Repeat([]int{2}, groups*per)
	for _, i := range bad {
		lens[i] = -1
	}
	path := filepath.Join(t.TempDir(), "bad.parquet")
	writeLists(t, path, lens, per)
	oneGot, oneErr := readBatches(t, path, 1, 0)
	fourGot, fourErr := readBatches(t, path, 4, 0)
	var re *RowError
	if !errors.As(fourErr, &re) || re.Row != int64(bad[0]) || fourErr.Error() != oneErr.Error() {
		t.Fatalf("four decoders: Read = %v; one decoder: %v; want the null vector at row %d", fourErr, oneErr, bad[0])
	}
	rows := func(bs []gotBatch) (n int) {
		for _, b := range bs {
			n += len(b.words)
		}
		return n
	}
	if rows(oneGot) != 3*per || rows(fourGot) != 3*per {
		t.Errorf("rows before the error: %d with one decoder, %d with four, want %d", rows(oneGot), rows(fourGot), 3*per)
	}
}

// TestParquet_ParallelDecodeCancel cancels a read with four decoders from
// its callback: Read returns the context's error.
func TestParquet_ParallelDecodeCancel(t *testing.T) {
	defer func(n, p int) { maxDecoders = n; runtime.GOMAXPROCS(p) }(maxDecoders, runtime.GOMAXPROCS(4))
	defer func(b int) { batchBytes = b }(batchBytes)
	batchBytes = 1
	path := filepath.Join(t.TempDir(), "c.parquet")
	words := writeSeq(t, path, 1000, 2, 100)
	r, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := 0
	err = r.Read(ctx, func(b *Batch) error {
		if seen += len(b.Words); seen >= 300 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || seen >= len(words) {
		t.Errorf("Read = %v after %d rows, want context.Canceled before the end", err, seen)
	}
}

func mustCreate(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// writeLists writes rows of float32 lists of the lengths lens (-1: a null
// list) with Arrow's Parquet writer (which records each column chunk's
// null count), per rows a row group.
func writeLists(t *testing.T, path string, lens []int, per int64) {
	t.Helper()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "word", Type: arrow.BinaryTypes.String},
		{Name: "vector", Type: arrow.ListOf(arrow.PrimitiveTypes.Float32), Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	lb := b.Field(1).(*array.ListBuilder)
	vb := lb.ValueBuilder().(*array.Float32Builder)
	for i, n := range lens {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("w%d", i))
		if n < 0 {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		for j := range n {
			vb.Append(float32(i*10 + j))
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	props := parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(per))
	tbl := array.NewTableFromRecords(sc, []arrow.RecordBatch{rec})
	defer tbl.Release()
	if err := pqarrow.WriteTable(tbl, mustCreate(t, path), per, props, pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
}

// TestParquet_MetadataDim opens files of list vectors in several row
// groups whose metadata declare no nulls: with two decoders the dimension
// comes from the metadata, no record is read before Read, and the rows
// are those one decoder reads. Lists of two lengths that average the same
// in every row group fail at the first row of the other length.
func TestParquet_MetadataDim(t *testing.T) {
	defer func(n, p int) { maxDecoders = n; runtime.GOMAXPROCS(p) }(maxDecoders, runtime.GOMAXPROCS(2))
	dir := t.TempDir()
	even := filepath.Join(dir, "even.parquet")
	writeLists(t, even, slices.Repeat([]int{3}, 400), 100)
	for _, decoders := range []int{1, 2} {
		maxDecoders = decoders
		r, err := Open(even, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Header().Dim != 3 || (r.first == nil) != (decoders == 2) || r.dimMeta != (decoders == 2) {
			t.Errorf("%d decoders: dimension %d, a record read %v, from the metadata %v", decoders, r.Header().Dim, r.first != nil, r.dimMeta)
		}
		r.Close()
	}
	one, err := readBatches(t, even, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	two, err := readBatches(t, even, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := flatten(t, one), flatten(t, two); len(a.words) != 400 || !slices.Equal(a.words, b.words) || !slices.Equal(a.data, b.data) {
		t.Errorf("two decoders read %d rows, one %d: not the same", len(b.words), len(a.words))
	}

	ragged := filepath.Join(dir, "ragged.parquet")
	lens := make([]int, 400)
	for i := range lens {
		lens[i] = 2 + 2*(i%2) // 2, 4, 2, 4, ...: 3 a row on average
	}
	writeLists(t, ragged, lens, 100)
	_, err = readBatches(t, ragged, 2, 0)
	var re *RowError
	if !errors.As(err, &re) || re.Row != 0 || !strings.Contains(err.Error(), "has 2 elements where the file's metadata says 3") {
		t.Errorf("two decoders, lists of 2 and 4: Read = %v, want an error at row 0", err)
	}
	_, err = readBatches(t, ragged, 1, 0)
	if !errors.As(err, &re) || re.Row != 1 || !strings.Contains(err.Error(), "has 4 elements, the first had 2") {
		t.Errorf("one decoder, lists of 2 and 4: Read = %v, want an error at row 1", err)
	}
}
