//go:build !amd64

package vec

// Without amd64 assembly the portable kernels always run. The constants let
// the compiler drop the assembly branches; the stubs below are never called.
const (
	cpuAVX2 = false
	useAVX2 = false
)

func dotAVX2(a, b []float32) float32                                                 { panic(noAsm) }
func l2AVX2(a, b []float32) float32                                                  { panic(noAsm) }
func dotBatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32) { panic(noAsm) }
func l2BatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)  { panic(noAsm) }
func dotRowsAVX2(q []float32, rows []float32, dim int, out []float32)                { panic(noAsm) }
func paddedDotAVX2(x, m *float32, stride int, idx *int32, k int, out *float32)       { panic(noAsm) }
func paddedSumAVX2(m *float32, stride int, idx *int32, k int, scale float32, out *float32) {
	panic(noAsm)
}
func paddedAddAVX2(m *float32, stride int, idx *int32, k int, v *float32) { panic(noAsm) }
func axpyAVX2(a float32, x, y *float32, n int)                            { panic(noAsm) }
func paddedPrefetchAVX2(m *float32, stride int, idx *int32, k int)        { panic(noAsm) }

func paddedUpdateAVX2(x, m *float32, stride int, idx *int32, grad *float32, k int, w *float32) {
	panic(noAsm)
}

func paddedGemvAddAVX2(m *float32, stride int, idx *int32, grad *float32, k int, out *float32) {
	panic(noAsm)
}

const noAsm = "vec: internal error: assembly kernel called without assembly"
