package vec

// The kernels of norm_amd64.s; SumSquares and Scale check their lengths.

//go:noescape
func sumSquaresAVX2(v []float32) float64

//go:noescape
func scaleAVX2(dst, v []float32, s float32)
