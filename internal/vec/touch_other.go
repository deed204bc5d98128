//go:build !amd64

package vec

import "unsafe"

func touchAVX2(p unsafe.Pointer, n, ahead int) uint64 { panic(noAsm) }
