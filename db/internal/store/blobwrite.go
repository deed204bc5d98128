package store

import (
	"encoding/binary"
	"runtime"
)

// Writing a large blob (a FastText model's n-gram matrix and training state: 800 MB each for
// a million words and two million buckets) is a pass over its bytes at every step: filling
// the parts, sealing each, bbolt's copy into its pages, the write to the file. These keep
// the passes to the ones that cannot be avoided: a part is allocated with room for its
// checksum, so sealing it appends in place instead of copying it (a fifth of an IMPORT's
// CPU went to that copy), and a bulk load's blob is committed a flush at a time on another
// goroutine while the next parts fill, so copying and writing overlap on two cores.

// newPart returns an empty blob part with room for its checksum trailer: one a committed
// flush freed, or a new one. Reusing parts keeps a blob's memory to a few flushes' worth
// whatever its size: allocating each anew had the kernel fault in and zero 1.6 GB of fresh
// pages for a 1M-word .bin's blobs (a fifth of the IMPORT's CPU went to page faults), as the
// collector, with gigabytes of matrices live, runs too rarely to hand the memory back.
func (w *BlobWriter) newPart() []byte {
	if n := len(w.free); n > 0 {
		p := w.free[n-1][:0]
		w.free = w.free[:n-1]
		return p
	}
	return make([]byte, 0, blobPart+sumLen)
}

// flushedParts is the outcome of an asynchronous flush: its error, and its parts, free for
// reuse once the transaction has committed (bbolt reads a value when it commits, not when
// it is Put).
type flushedParts struct {
	err   error
	parts [][]byte
}

// sealOwned is seal for a value nobody else holds and that stays unchanged until the
// transaction ends: the checksum is appended in place when there is room.
func sealOwned(key, v []byte) []byte {
	if cap(v)-len(v) < sumLen {
		return seal(key, v)
	}
	return binary.LittleEndian.AppendUint32(v, valueSum(key, v))
}

// flushAsync commits parts on another goroutine, after the flush before it; its error
// surfaces at the next flush, wait or Close. The parts go back to the free list only when
// wait has seen their commit end, so the caller may go on filling others at once.
//
// After each full flush's commit that goroutine runs the collector: a collection per
// blobFlush (64 MiB) written, off the filling goroutine's path, and none for a blob that
// fits in one flush, or for the last, partial flush of any (no commit follows to reuse
// what it frees). Measured on the IMPORT of a 1,000,000-word, 2,000,000-bucket .bin (Zen 3,
// scripts/compare_fasttext_bin.py alternating both builds): 8.3-10.1 s against 12.3-13.4 s
// without, system time 3.5-4.6 s against 6.8-8.3 s, peak RSS 2.9 GB against 4.2 GB.
func (w *BlobWriter) flushAsync(parts [][]byte) error {
	if err := w.wait(); err != nil {
		return err
	}
	done := make(chan flushedParts, 1)
	w.inflight = done
	full := len(parts)*blobPart >= blobFlush
	go func() {
		err := w.commitParts(parts)
		if full {
			// bbolt copied the flush into page buffers it allocated for this commit,
			// garbage now. Collect them, so the next commit's buffers reuse their
			// memory: left to the collector's own pace (at twice a heap that holds the
			// model's matrices) every commit faulted in fresh pages, and on a 1M-word
			// .bin (2 GB of blobs) the kernel's page faults took more than a quarter of
			// the IMPORT's time.
			runtime.GC()
		}
		done <- flushedParts{err, parts}
	}()
	return nil
}

// wait waits for the flush in flight, if any, and returns the first error of any flush.
func (w *BlobWriter) wait() error {
	if w.inflight != nil {
		f := <-w.inflight
		w.inflight = nil
		if f.err != nil && w.err == nil {
			w.err = f.err
		}
		if f.err == nil {
			w.free = append(w.free, f.parts...)
		}
	}
	return w.err
}
