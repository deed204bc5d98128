package index

//go:noescape
func dotAVX2(a, b []float32) float32

//go:noescape
func l2AVX2(a, b []float32) float32

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

//go:noescape
func prefetch(p *float32)

// hasAVX2 reports whether the CPU and the OS support AVX2 with FMA.
var hasAVX2 = detectAVX2()

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
	return ebx7&(1<<5) != 0
}

// dotKernel is the dot product of a and b[:len(a)].
func dotKernel(a, b []float32) float32 {
	if hasAVX2 && len(a) >= 8 {
		return dotAVX2(a, b)
	}
	return dotGeneric(a, b)
}

// l2Kernel is the squared Euclidean distance of a and b[:len(a)].
func l2Kernel(a, b []float32) float32 {
	if hasAVX2 && len(a) >= 8 {
		return l2AVX2(a, b)
	}
	return l2Generic(a, b)
}

// prefetchVec asks the CPU to start loading the first 128 bytes of v.
func prefetchVec(v []float32) {
	if len(v) > 0 {
		prefetch(&v[0])
	}
}
