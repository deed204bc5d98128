package vec

import "os"

// cpuAVX2 reports whether the CPU has AVX2 and FMA and the OS saves the YMM
// registers, so the assembly kernels can run. Tests use it to compare the
// assembly with the portable code even when EMBEDDB_NOASM is set.
var cpuAVX2 = detectAVX2()

// useAVX2 selects the assembly kernels, once, at start-up. EMBEDDB_NOASM=1
// forces the portable Go kernels everywhere (for tests and comparisons).
var useAVX2 = cpuAVX2 && os.Getenv("EMBEDDB_NOASM") == ""

func detectAVX2() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state saved by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// The kernels of dist_amd64.s take slices and read len(a) elements of each.

//go:noescape
func dotAVX2(a, b []float32) float32

//go:noescape
func l2AVX2(a, b []float32) float32

//go:noescape
func dotBatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)

//go:noescape
func l2BatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)

//go:noescape
func dotRowsAVX2(q []float32, rows []float32, dim int, out []float32)

// The kernels of padded_amd64.s take pointers and counts; the wrappers in
// padded.go take slices.

//go:noescape
func paddedDotAVX2(x, m *float32, stride int, idx *int32, k int, out *float32)

//go:noescape
func paddedUpdateAVX2(x, m *float32, stride int, idx *int32, grad *float32, k int, w *float32)

//go:noescape
func paddedSumAVX2(m *float32, stride int, idx *int32, k int, scale float32, out *float32)

//go:noescape
func paddedAddAVX2(m *float32, stride int, idx *int32, k int, v *float32)

//go:noescape
func axpyAVX2(a float32, x, y *float32, n int)

//go:noescape
func paddedGemvAddAVX2(m *float32, stride int, idx *int32, grad *float32, k int, out *float32)

//go:noescape
func paddedPrefetchAVX2(m *float32, stride int, idx *int32, k int)
