package store

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"unsafe"
)

// heldBytes is about what w holds in memory between calls: the vector
// and row chunks buffered, being filled or free for reuse, the words not
// yet handed to the sorter, the map of words for Duplicates "first", and
// the sorted batches the sorter keeps before it spills them.
func (w *BulkWriter) heldBytes() int {
	n := cap(w.chunk) + cap(w.rowChunk)*int(unsafe.Sizeof(rowEntry{})) + cap(w.words)*wordEntryBytes
	for _, c := range w.chunks {
		n += cap(c)
	}
	for _, c := range w.free {
		n += cap(c)
	}
	for _, c := range w.rowBufs {
		n += cap(c)
	}
	n += len(w.seen) * wordEntryBytes
	if w.sorter != nil {
		n += int(w.sorter.held.Load())
	}
	return n
}

// TestBulkWriter_MemoryBounded loads a table over hundreds of flushes and
// spilled runs of the words' sort, and checks after every Append that what
// the writer holds stays under a bound set by the flush and run sizes
// alone, and that it is no larger in the load's second half than in its
// first: nothing kept per row outlives the flush that writes the row.
// (The peak heap of whole IMPORTs is measured by the db package's
// BenchmarkImport_PeakHeap.)
func TestBulkWriter_MemoryBounded(t *testing.T) {
	defer func(f, b int) { bulkFlush, wordSortBatch = f, b }(bulkFlush, wordSortBatch)
	bulkFlush, wordSortBatch = 256<<10, 1000
	withWordKnobs(t, 100_000, 20_000, 64)
	d, err := Open(filepath.Join(t.TempDir(), "m.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const dim, batch = 8, 500
	rows := 200 * bulkFlush / (4 * dim) / batch * batch // 200 flushes
	w, err := d.BulkLoad(context.Background(), "t", TableSpec{Dim: dim}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	// A flush holds at most bulkFlush bytes and one more chunk of each
	// kind; the writer holds the one being filled and, once the one in
	// flight has committed, its buffers for reuse.
	chunk := w.meta.ChunkRows*w.meta.rowBytes() + sumLen
	bound := 2*(bulkFlush+2*chunk) + wordRunBytes + 2*wordSortBatch*wordEntryBytes
	words, vecs := make([]string, batch), make([]float32, batch*dim)
	var firstHalf, secondHalf int
	for done := 0; done < rows; done += batch {
		for i := range words {
			words[i] = "w" + strconv.Itoa(done+i)
		}
		if err := w.Append(words, nil, vecs); err != nil {
			t.Fatal(err)
		}
		w.wait() // the flush in flight hands its buffers back
		h := w.heldBytes()
		if h > bound {
			t.Fatalf("after %d rows the writer holds %d bytes, over %d", done+batch, h, bound)
		}
		if done < rows/2 {
			firstHalf = max(firstHalf, h)
		} else {
			secondHalf = max(secondHalf, h)
		}
	}
	// The sorter's batches arrive at points that differ from one run of
	// the words to the next: allow one batch of words.
	if slack := wordSortBatch * (wordEntryBytes + 8); secondHalf > firstHalf+slack {
		t.Errorf("the writer held up to %d bytes in the load's second half, %d in its first", secondHalf, firstHalf)
	}
	if w.flushes < 150 {
		t.Fatalf("%d flushes", w.flushes)
	}
	info, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != int64(rows) {
		t.Fatalf("%d rows committed, want %d", info.Rows, rows)
	}
	if w.free != nil || w.chunks != nil {
		t.Error("the committed writer still holds chunk buffers")
	}
}
