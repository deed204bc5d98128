package vec

// Kernels over padded matrices, for the training loops. A padded matrix m
// stores row r in m[r*stride : r*stride+stride], stride a positive multiple
// of 8, the values past the vector size zero, so that the assembly runs
// whole 8-wide vectors and needs no tail. On amd64 with AVX2 and FMA they
// run in padded_amd64.s (rows taken four at a time); elsewhere, or with
// EMBEDDB_NOASM=1, in the Go code below. The two orders of summation differ,
// so results are the same bit for bit only on the same kind of machine.
//
// For speed the wrappers check nothing: callers guarantee that stride is a
// multiple of 8, that every row index is in range, and that x, v, out and
// work hold at least stride values and g at least len(idx).

// PaddedDot sets out[t] = x · m[idx[t]] for every t.
func PaddedDot(x, m []float32, stride int, idx []int32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		paddedDotAVX2(&x[0], &m[0], stride, &idx[0], len(idx), &out[0])
		return
	}
	paddedDotGo(x, m, stride, idx, out)
}

// PaddedUpdate does, for each t in order: work += g[t]·m[idx[t]];
// m[idx[t]] += g[t]·x. (work accumulates each row's value from before that
// row's own update; a repeated row sees its earlier updates.)
func PaddedUpdate(x, m []float32, stride int, idx []int32, g []float32, work []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		paddedUpdateAVX2(&x[0], &m[0], stride, &idx[0], &g[0], len(idx), &work[0])
		return
	}
	paddedUpdateGo(x, m, stride, idx, g, work)
}

// PaddedSum sets out = scale · Σ_t m[idx[t]] (out = 0 when idx is empty).
func PaddedSum(m []float32, stride int, idx []int32, scale float32, out []float32) {
	if useAVX2 && len(idx) > 0 {
		paddedSumAVX2(&m[0], stride, &idx[0], len(idx), scale, &out[0])
		return
	}
	paddedSumGo(m, stride, idx, scale, out)
}

// PaddedAdd adds v to every row m[idx[t]].
func PaddedAdd(m []float32, stride int, idx []int32, v []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		paddedAddAVX2(&m[0], stride, &idx[0], len(idx), &v[0])
		return
	}
	paddedAddGo(m, stride, idx, v)
}

// PaddedGemvAdd sets out += Σ_t g[t]·m[idx[t]]. out must not alias a row of
// m.
func PaddedGemvAdd(m []float32, stride int, idx []int32, g []float32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		paddedGemvAddAVX2(&m[0], stride, &idx[0], &g[0], len(idx), &out[0])
		return
	}
	paddedGemvAddGo(m, stride, idx, g, out)
}

// PaddedPrefetch hints that the rows m[idx[t]] will be read soon. It is a
// no-op without the assembly.
func PaddedPrefetch(m []float32, stride int, idx []int32) {
	if useAVX2 && len(idx) > 0 {
		paddedPrefetchAVX2(&m[0], stride, &idx[0], len(idx))
	}
}

// Axpy sets y += a·x over the first n values, n a multiple of 8.
func Axpy(a float32, x, y []float32, n int) {
	if useAVX2 && n > 0 {
		axpyAVX2(a, &x[0], &y[0], n)
		return
	}
	axpyGo(a, x, y, n)
}

func paddedDotGo(x, m []float32, stride int, idx []int32, out []float32) {
	for t, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		out[t] = dotGo(x[:stride], row)
	}
}

func paddedUpdateGo(x, m []float32, stride int, idx []int32, g []float32, work []float32) {
	x, work = x[:stride], work[:stride]
	for t, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		gt := g[t]
		for i := range row {
			v := row[i]
			work[i] += gt * v
			row[i] = v + gt*x[i]
		}
	}
}

func paddedSumGo(m []float32, stride int, idx []int32, scale float32, out []float32) {
	out = out[:stride]
	clear(out)
	for _, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		for i, v := range row {
			out[i] += v
		}
	}
	if scale != 1 {
		for i := range out {
			out[i] *= scale
		}
	}
}

func paddedAddGo(m []float32, stride int, idx []int32, v []float32) {
	v = v[:stride]
	for _, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		for i, x := range v {
			row[i] += x
		}
	}
}

func paddedGemvAddGo(m []float32, stride int, idx []int32, g []float32, out []float32) {
	out = out[:stride]
	for t, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		gt := g[t]
		for i, v := range row {
			out[i] += gt * v
		}
	}
}

func axpyGo(a float32, x, y []float32, n int) {
	x, y = x[:n], y[:n]
	for i, v := range x {
		y[i] += a * v
	}
}
