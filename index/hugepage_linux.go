//go:build linux

package index

import (
	"syscall"
	"unsafe"
)

// Huge pages. A graph walk reads rows scattered over the whole index: each
// one on a different 4 KiB page, so each one also misses the TLB and costs
// a page walk, whatever the row's size. Backing the index's large arrays
// with 2 MiB pages lets the TLB cover them (1,536 entries then map 3 GiB).
// Linux gives them only to memory that asks (transparent_hugepage =
// madvise, a common default): adviseHuge asks, and collapses the pages
// already in use at once (MADV_COLLAPSE, Linux 6.1) rather than waiting
// for khugepaged. Both are hints: where the kernel refuses, nothing
// changes but speed.

const (
	madvHugepage = 14 // MADV_HUGEPAGE
	madvCollapse = 25 // MADV_COLLAPSE
)

// hugeMin is the smallest array worth advising: below a few huge pages
// the TLB covers it anyway.
const hugeMin = 4 << 20

// adviseHuge asks for huge pages under the whole 2 MiB pages of s.
func adviseHuge[E any](s []E) {
	if cap(s) == 0 {
		return
	}
	var e E
	n := uintptr(cap(s)) * unsafe.Sizeof(e)
	if n < hugeMin {
		return
	}
	const page = 2 << 20
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + n) &^ (page - 1)
	if hi <= lo {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(s))
	b := unsafe.Slice((*byte)(unsafe.Add(p, lo-start)), hi-lo)
	// Errors are ignored: an old kernel, THP turned off, or no huge page
	// free leave the memory as it was.
	_ = syscall.Madvise(b, madvHugepage)
	_ = syscall.Madvise(b, madvCollapse)
}
