//go:build !nocolumnar

package columnar

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
)

// pagePool is the memory.Allocator of one Parquet source's page buffers:
// the buffers a row group's column readers free when they close are handed
// to the next row group's instead of being allocated anew. arrow-go reads
// a page whole, compressed and then decompressed, into buffers its page
// reader makes for each column chunk; DuckDB writes a column chunk as one
// page (95 MB of buffers for 122,880 rows of 100 float32s), so a file of a
// million rows had 680 MB of them allocated, faulted in, zeroed and
// collected (reusing them takes a tenth off the IMPORT's CPU: 2.7 CPU-s
// against 2.96, on a shared machine). A new large buffer gets an eighth more room than asked, so
// that the next row group's page, a little larger, fits in it.
//
// A reused buffer is handed out as it was left, not zeroed: every large
// buffer arrow-go's page reader asks for is filled whole before it is read
// (the compressed bytes by io.ReadFull of their length; a decompressed page
// is refused unless its length is the header's), and zeroing them was a
// pass over 850 MB for a million rows of 100 float32s from DuckDB, 5% of
// the IMPORT's CPU.
type pagePool struct {
	mu   sync.Mutex // a buffer may be freed by a finalizer
	free [][]byte
}

const (
	poolMin  = 256 << 10 // smaller buffers are left to Go's allocator
	poolKeep = 4
)

// readProps returns the reader properties of one Parquet source, with a
// pool of its own.
func readProps() *parquet.ReaderProperties {
	props := parquet.NewReaderProperties(&pagePool{})
	// Read pages as they are needed, not a whole column chunk at once:
	// a row group written by another tool may hold gigabytes.
	props.BufferedStreamEnabled = true
	props.BufferSize = 1 << 20
	return props
}

// Allocate returns size bytes: the smallest free buffer that holds them,
// as it was left, or new (zeroed) ones.
func (p *pagePool) Allocate(size int) []byte {
	if size < poolMin {
		return memory.DefaultAllocator.Allocate(size)
	}
	p.mu.Lock()
	best := -1
	for i, b := range p.free {
		if cap(b) >= size && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	var b []byte
	if best >= 0 {
		b = p.free[best]
		p.free[best] = p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
	}
	p.mu.Unlock()
	if b == nil {
		return memory.DefaultAllocator.Allocate(size + size/8)[:size]
	}
	return b[:size]
}

// Reallocate resizes b to size bytes, keeping its contents; in place when
// it has the room, as Go's allocator in arrow-go does. Bytes past len(b)
// are not zeroed (see pagePool).
func (p *pagePool) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		return b[:size]
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

// Free keeps b for a later Allocate if it is large, in place of the
// smallest kept buffer when poolKeep are.
func (p *pagePool) Free(b []byte) {
	if cap(b) < poolMin {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < poolKeep {
		p.free = append(p.free, b[:cap(b)])
		return
	}
	small := 0
	for i, f := range p.free {
		if cap(f) < cap(p.free[small]) {
			small = i
		}
	}
	if cap(b) > cap(p.free[small]) {
		p.free[small] = b[:cap(b)]
	}
}
