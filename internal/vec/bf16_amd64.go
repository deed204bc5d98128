package vec

// axpyBF16AVX2 is in bf16_amd64.s; n must be a positive multiple of 8.
//
//go:noescape
func axpyBF16AVX2(a float32, x *byte, y *float32, n int)
