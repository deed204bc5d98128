package index

import "unsafe"

// adviseHugePages asks for huge pages under the arrays a walk reads at
// random (hugepage_linux.go says why). An array already advised where it
// lies now is skipped, so that many small Adds cost no system calls; one
// that grew into new memory is advised again. The caller holds the write
// lock (or the only reference).
func (h *HNSW) adviseHugePages() {
	if !hugePages {
		return
	}
	var words []uint64
	if h.packed != nil {
		words = h.packed.words
	}
	now := [...]uintptr{at(h.vecs), at(h.codes8), at(h.codes1), at(h.links0), at(words)}
	if now == h.advised {
		return
	}
	h.advised = now
	adviseHuge(h.vecs)
	adviseHuge(h.codes8)
	adviseHuge(h.codes1)
	adviseHuge(h.links0)
	adviseHuge(words)
}

// at is the address of s's first element (0 for none), to tell whether an
// array has moved.
func at[E any](s []E) uintptr {
	if cap(s) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(unsafe.SliceData(s)))
}

// hugePages turns adviseHugePages on (benchmarks compare both).
var hugePages = true
