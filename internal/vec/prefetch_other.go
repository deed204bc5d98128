//go:build !amd64

package vec

import "unsafe"

const usePrefetch = false

func prefetchRowsStride(base unsafe.Pointer, stride, rowBytes int, idx []uint32) { panic(noAsm) }
