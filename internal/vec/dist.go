package vec

// Distance kernels over vectors of any length, for the index. On amd64 with
// AVX2 and FMA, vectors of 8 or more elements go to dist_amd64.s: four 8-wide
// fused multiply-add accumulators over blocks of 32 elements, then 8-, 4- and
// 1-wide tails. Shorter vectors, other CPUs and EMBEDDB_NOASM=1 use the Go
// code below: four scalar accumulators, summed as (s0+s1)+(s2+s3). The two
// round differently, so a result is the same bit for bit only on the same
// kind of machine.

// Dot returns the dot product of a and b[:len(a)]. b must hold at least
// len(a) elements.
func Dot(a, b []float32) float32 {
	if useAVX2 && len(a) >= 8 {
		return dotAVX2(a, b[:len(a)])
	}
	return dotGo(a, b)
}

// SquaredL2 returns the squared Euclidean distance of a and b[:len(a)]. b
// must hold at least len(a) elements.
func SquaredL2(a, b []float32) float32 {
	if useAVX2 && len(a) >= 8 {
		return l2AVX2(a, b[:len(a)])
	}
	return l2Go(a, b)
}

// DotBatch stores in out[i] the dot product of q with row idx[i] of base,
// base holding rows of len(q) elements. It panics if a row is out of range
// or out is shorter than idx, so that the assembly never reads outside base.
func DotBatch(q, base []float32, idx []uint32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 && len(q) >= 8 {
		checkRows(len(q), base, idx, out)
		dotBatchAVX2(q, base, idx, len(q), out)
		return
	}
	dotBatchGo(q, base, idx, out)
}

// SquaredL2Batch stores in out[i] the squared Euclidean distance of q and
// row idx[i] of base; as [DotBatch].
func SquaredL2Batch(q, base []float32, idx []uint32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 && len(q) >= 8 {
		checkRows(len(q), base, idx, out)
		l2BatchAVX2(q, base, idx, len(q), out)
		return
	}
	l2BatchGo(q, base, idx, out)
}

// DotRows stores in out[r] the dot product of q with row r of rows, rows
// being len(out) contiguous vectors of len(q) elements (an exact scan). It
// panics if rows is too short.
func DotRows(q, rows []float32, out []float32) {
	if len(out) == 0 {
		return
	}
	if len(rows) < len(out)*len(q) {
		panic("vec: internal error: DotRows out of range")
	}
	if useAVX2 && len(q) >= 8 {
		dotRowsAVX2(q, rows, len(q), out)
		return
	}
	dotRowsGo(q, rows, out)
}

// checkRows panics if a row index is out of range, so that a broken
// invariant can never make the assembly read outside base.
func checkRows(dim int, base []float32, idx []uint32, out []float32) {
	rows := uint32(len(base) / dim)
	_ = out[len(idx)-1]
	for _, x := range idx {
		if x >= rows {
			panic("vec: internal error: row out of range")
		}
	}
}

// dotGo is the portable dot product of a and b[:len(a)], with four
// accumulators so that the loop is not bound by the latency of one addition.
func dotGo(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// l2Go is the portable squared Euclidean distance of a and b[:len(a)].
func l2Go(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		d0, d1, d2, d3 := a[i]-b[i], a[i+1]-b[i+1], a[i+2]-b[i+2], a[i+3]-b[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// The portable batch kernels call the dispatching kernels per row, as the
// index always has: with AVX2 they only run for vectors shorter than 8,
// which then take the Go path anyway.

func dotBatchGo(q, base []float32, idx []uint32, out []float32) {
	dim := len(q)
	for i, x := range idx {
		out[i] = Dot(q, base[int(x)*dim:int(x)*dim+dim])
	}
}

func l2BatchGo(q, base []float32, idx []uint32, out []float32) {
	dim := len(q)
	for i, x := range idx {
		out[i] = SquaredL2(q, base[int(x)*dim:int(x)*dim+dim])
	}
}

func dotRowsGo(q, rows []float32, out []float32) {
	dim := len(q)
	for r := range out {
		out[r] = Dot(q, rows[r*dim:r*dim+dim])
	}
}
