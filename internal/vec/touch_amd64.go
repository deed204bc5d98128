package vec

import "unsafe"

// touchAVX2 is in touch_amd64.s: the XOR of the n bytes at p as 8-byte
// words, prefetching ahead bytes on; n is a positive multiple of 128.
//
//go:noescape
func touchAVX2(p unsafe.Pointer, n, ahead int) uint64
