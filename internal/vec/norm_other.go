//go:build !amd64

package vec

func sumSquaresAVX2(v []float32) float64    { panic(noAsm) }
func scaleAVX2(dst, v []float32, s float32) { panic(noAsm) }
