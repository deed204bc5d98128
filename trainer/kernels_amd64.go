package trainer

import "os"

// useAVX2 selects the assembly kernels: the CPU has AVX2 and FMA and the OS saves the YMM
// registers. EMBEDDB_NOASM=1 forces the pure-Go kernels (for tests and comparisons).
var useAVX2 = hasAVX2FMA() && os.Getenv("EMBEDDB_NOASM") == ""

func hasAVX2FMA() bool {
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
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0 // AVX2
}

//go:noescape
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

//go:noescape
func xgetbv() (eax, edx uint32)

//go:noescape
func dotRowsAVX2(x, m *float32, stride int, idx *int32, k int, out *float32)

//go:noescape
func updateRowsAVX2(x, m *float32, stride int, idx *int32, grad *float32, k int, w *float32)

//go:noescape
func sumRowsAVX2(m *float32, stride int, idx *int32, k int, scale float32, out *float32)

//go:noescape
func addRowsAVX2(m *float32, stride int, idx *int32, k int, v *float32)

//go:noescape
func axpyAVX2(a float32, x, y *float32, n int)

//go:noescape
func gemvAddAVX2(m *float32, stride int, idx *int32, grad *float32, k int, out *float32)

//go:noescape
func prefetchRowsAVX2(m *float32, stride int, idx *int32, k int)
