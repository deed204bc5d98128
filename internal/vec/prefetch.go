package vec

import "unsafe"

// Prefetching for graph walks. A walk of an HNSW graph computes the
// distances of a node's unvisited neighbours: rows scattered over memory,
// each one a cache miss. The batch kernels prefetch one row ahead, which
// overlaps two misses at a time; asking for every row first keeps as many
// misses in flight as the core allows (about ten), so that the rows arrive
// together. Prefetching never faults, but the functions below still keep
// to the slice they are given.

// PrefetchRows asks the caches for rows idx[i] of m (their first 512
// bytes), rows being rowLen elements long. Rows outside m are skipped. It does nothing where there
// is no assembly.
func PrefetchRows[E uint8 | uint32 | uint64 | float32](m []E, rowLen int, idx []uint32) {
	if !usePrefetch || len(idx) == 0 || rowLen <= 0 || len(m) == 0 {
		return
	}
	size := int(unsafe.Sizeof(m[0]))
	rows := uint32(len(m) / rowLen)
	for _, x := range idx {
		if x >= rows {
			return // never ask for memory outside m
		}
	}
	// The row's start is idx[i] times its whole length; only the bytes
	// asked for are capped.
	prefetchRowsStride(unsafe.Pointer(&m[0]), rowLen*size, min(rowLen*size, maxPrefetch), idx)
}

// maxPrefetch caps the bytes of a row that are prefetched: the first 8
// lines. A long row (6 KiB for 1,536 float32s) would otherwise issue a
// hundred prefetches, more than the core can keep in flight, and the
// kernel's sequential reads of the rest are streamed by the hardware.
const maxPrefetch = 512

// PrefetchRow asks the caches for row r of m, rows being rowLen elements
// long; as [PrefetchRows].
func PrefetchRow[E uint8 | uint32 | uint64 | float32](m []E, rowLen int, r uint32) {
	if !usePrefetch || rowLen <= 0 || (int(r)+1)*rowLen > len(m) {
		return
	}
	size := int(unsafe.Sizeof(m[0]))
	one := [1]uint32{r}
	prefetchRowsStride(unsafe.Pointer(&m[0]), rowLen*size, rowLen*size, one[:])
}

// PrefetchRowsStride asks the caches for the rowLen elements at
// idx[i]·stride of m, for every i: rows that overlap, as the compact int8
// codes the batch kernels read on into the next row (rowLen > stride).
// Like [PrefetchRows], it caps a row at maxPrefetch bytes and stops at the
// first row that does not lie inside m.
func PrefetchRowsStride[E uint8 | uint32 | uint64 | float32](m []E, stride, rowLen int, idx []uint32) {
	if !usePrefetch || len(idx) == 0 || rowLen <= 0 || stride <= 0 || len(m) < rowLen {
		return
	}
	size := int(unsafe.Sizeof(m[0]))
	last := uint32((len(m) - rowLen) / stride) // the last row that fits
	for _, x := range idx {
		if x > last {
			return // never ask for memory outside m
		}
	}
	prefetchRowsStride(unsafe.Pointer(&m[0]), stride*size, min(rowLen*size, maxPrefetch), idx)
}

// PrefetchRange asks the caches for m[lo:hi] (at most maxPrefetch bytes
// of it): a run of elements whose length varies, such as one node's
// bit-packed links.
func PrefetchRange[E uint8 | uint32 | uint64 | float32](m []E, lo, hi int) {
	if !usePrefetch || lo < 0 || hi > len(m) || lo >= hi {
		return
	}
	size := int(unsafe.Sizeof(m[0]))
	one := [1]uint32{0}
	prefetchRowsStride(unsafe.Pointer(&m[lo]), 1, min((hi-lo)*size, maxPrefetch), one[:])
}
