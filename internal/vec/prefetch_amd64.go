package vec

import (
	"os"
	"unsafe"
)

// usePrefetch turns the prefetching of rows on; EMBEDDB_NOASM=1 turns it
// off with the other assembly.
var usePrefetch = os.Getenv("EMBEDDB_NOASM") == ""

// prefetchRowsStride is in prefetch_amd64.s: PREFETCHT0 on every 64-byte
// line of the rowBytes bytes at base + idx[i]*stride.
//
//go:noescape
func prefetchRowsStride(base unsafe.Pointer, stride, rowBytes int, idx []uint32)
