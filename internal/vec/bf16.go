package vec

import "encoding/binary"

// AxpyBFloat16 adds a times the little-endian bfloat16 elements of x to y:
// len(y) elements, read from the first 2*len(y) bytes of x, which need not
// be aligned (bbolt gives no alignment). It is how a sum of stored rows of
// an LLM's embedding matrix is made without decoding each row first.
func AxpyBFloat16(a float32, x []byte, y []float32) {
	n := len(y)
	_ = x[:2*n] // one bounds check, before any write
	i := 0
	if useAVX2 && n >= 8 {
		i = n &^ 7
		axpyBF16AVX2(a, &x[0], &y[0], i)
	}
	for ; i < n; i++ {
		y[i] += a * BFloat16ToFloat32(binary.LittleEndian.Uint16(x[2*i:]))
	}
}
