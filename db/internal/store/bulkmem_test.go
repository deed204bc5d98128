package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"unsafe"
)

// What a BulkWriter holds in memory between calls is its own buffers
// (ownBytes) and the sorted batches its sorter keeps before it spills them
// (sortedBytes).

// ownBytes is what w itself holds: the vector and row chunks buffered,
// being filled or free for reuse, the words not yet handed to the sorter,
// and the map of words for Duplicates "first". After wait it depends on
// the rows appended alone.
func (w *BulkWriter) ownBytes() int {
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
	return n + len(w.seen)*wordEntryBytes
}

// sortedBytes is what the sorter holds of sorted batches. It rises a
// batch at a time and drops to nothing at each spill, on the sorter's own
// goroutine: what a moment finds depends on the machine's timing.
func (w *BulkWriter) sortedBytes() int {
	if w.sorter == nil {
		return 0
	}
	return int(w.sorter.held.Load())
}

// TestBulkWriter_MemoryBounded loads a table over hundreds of flushes and
// spilled runs of the words' sort, and checks after every Append that what
// the writer holds stays under a bound set by the flush and run sizes
// alone, and that what it holds besides the sorter's batches (which the
// bound covers) is no larger in the load's second half than in its first:
// nothing kept per row outlives the flush that writes the row.
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
			// Words of one width, so that a batch of them holds as many
			// bytes in both halves of the load.
			words[i] = fmt.Sprintf("w%06d", done+i)
		}
		if err := w.Append(words, nil, vecs); err != nil {
			t.Fatal(err)
		}
		w.wait() // the flush in flight hands its buffers back
		own := w.ownBytes()
		if h := own + w.sortedBytes(); h > bound {
			t.Fatalf("after %d rows the writer holds %d bytes, over %d", done+batch, h, bound)
		}
		// The sorter's part is left out of the halves: it is bounded
		// above, and where a moment finds it on its rise to a spill is
		// timing (one batch apart, the two halves failed under load).
		if done < rows/2 {
			firstHalf = max(firstHalf, own)
		} else {
			secondHalf = max(secondHalf, own)
		}
	}
	// Allow one batch of words: they go to the sorter a batch at a time.
	if slack := wordSortBatch * (wordEntryBytes + 8); secondHalf > firstHalf+slack {
		t.Errorf("the writer held up to %d bytes in the load's second half, %d in its first", secondHalf, firstHalf)
	}
	t.Logf("besides the sorter's batches, held at most %d bytes in the load's first half, %d in its second", firstHalf, secondHalf)
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
