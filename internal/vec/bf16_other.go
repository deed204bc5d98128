//go:build !amd64

package vec

func axpyBF16AVX2(a float32, x *byte, y *float32, n int) { panic(noAsm) }
