package index

//go:noescape
func dotAVX2(a, b []float32) float32

//go:noescape
func l2AVX2(a, b []float32) float32

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

//go:noescape
func dotBatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)

//go:noescape
func dotRowsAVX2(q []float32, rows []float32, dim int, out []float32)

//go:noescape
func l2BatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)

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

// dotBatch stores in out[i] the dot product of q with row idx[i] of base.
// The rows must be in range: the graph's invariants guarantee it.
func dotBatch(q, base []float32, idx []uint32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if hasAVX2 && len(q) >= 8 {
		checkRows(len(q), base, idx, out)
		dotBatchAVX2(q, base, idx, len(q), out)
		return
	}
	dotBatchGeneric(q, base, idx, out)
}

// l2Batch stores in out[i] the squared L2 distance of q and row idx[i].
func l2Batch(q, base []float32, idx []uint32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if hasAVX2 && len(q) >= 8 {
		checkRows(len(q), base, idx, out)
		l2BatchAVX2(q, base, idx, len(q), out)
		return
	}
	l2BatchGeneric(q, base, idx, out)
}

// checkRows panics if a row index is out of range, so that a broken
// invariant can never make the assembly read outside base.
func checkRows(dim int, base []float32, idx []uint32, out []float32) {
	rows := uint32(len(base) / dim)
	_ = out[len(idx)-1]
	for _, x := range idx {
		if x >= rows {
			panic("index: internal error: row out of range")
		}
	}
}

// dotRows stores in out[r] the dot product of q with row r of rows, rows
// being contiguous vectors of len(q) elements.
func dotRows(q, rows []float32, out []float32) {
	if len(out) == 0 {
		return
	}
	if len(rows) < len(out)*len(q) {
		panic("index: internal error: dotRows out of range")
	}
	if hasAVX2 && len(q) >= 8 {
		dotRowsAVX2(q, rows, len(q), out)
		return
	}
	dotRowsGeneric(q, rows, out)
}
