//go:build !amd64

package vec

import "unsafe"

const usePrefetch = false

func prefetchRows(base unsafe.Pointer, rowBytes int, idx []uint32) { panic(noAsm) }

func prefetchRowsStride(base unsafe.Pointer, stride, rowBytes int, idx []uint32) { panic(noAsm) }
