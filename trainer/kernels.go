package trainer

// Vector kernels of the training loops. Every matrix row is stride float32s long, stride a
// multiple of 8 (rows are zero-padded past the vector size), so the kernels need no tail
// handling. On amd64 with AVX2 and FMA they run in assembly (kernels_amd64.s); elsewhere, or
// when the CPU lacks those features, in the Go code below. Callers guarantee that every row
// index is in range and that x, out and work hold at least stride values.

// dotRows sets out[t] = x · m[idx[t]] for every t.
func dotRows(x, m []float32, stride int, idx []int32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		dotRowsAVX2(&x[0], &m[0], stride, &idx[0], len(idx), &out[0])
		return
	}
	for t, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		out[t] = dotGo(x[:stride], row)
	}
}

// updateRows does, for each t in order: work += g[t]·m[idx[t]]; m[idx[t]] += g[t]·x.
// (work accumulates each row's value from before that row's own update.)
func updateRows(x, m []float32, stride int, idx []int32, g []float32, work []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		updateRowsAVX2(&x[0], &m[0], stride, &idx[0], &g[0], len(idx), &work[0])
		return
	}
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

// sumRows sets out = scale · Σ_t m[idx[t]].
func sumRows(m []float32, stride int, idx []int32, scale float32, out []float32) {
	if useAVX2 && len(idx) > 0 {
		sumRowsAVX2(&m[0], stride, &idx[0], len(idx), scale, &out[0])
		return
	}
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

// addRows adds v to every row m[idx[t]].
func addRows(m []float32, stride int, idx []int32, v []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		addRowsAVX2(&m[0], stride, &idx[0], len(idx), &v[0])
		return
	}
	v = v[:stride]
	for _, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		for i, x := range v {
			row[i] += x
		}
	}
}

// axpy sets y += a·x over the first n values (n a multiple of 8).
func axpy(a float32, x, y []float32, n int) {
	if useAVX2 && n > 0 {
		axpyAVX2(a, &x[0], &y[0], n)
		return
	}
	x, y = x[:n], y[:n]
	for i, v := range x {
		y[i] += a * v
	}
}

// dotGo is a 4-way unrolled dot product.
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

// gemvAdd sets out += Σ_t g[t]·m[idx[t]]. out must not alias a row of m.
func gemvAdd(m []float32, stride int, idx []int32, g []float32, out []float32) {
	if len(idx) == 0 {
		return
	}
	if useAVX2 {
		gemvAddAVX2(&m[0], stride, &idx[0], &g[0], len(idx), &out[0])
		return
	}
	out = out[:stride]
	for t, r := range idx {
		row := m[int(r)*stride : int(r)*stride+stride]
		gt := g[t]
		for i, v := range row {
			out[i] += gt * v
		}
	}
}

// prefetchRows hints that the rows m[idx[t]] will be read soon (a no-op without assembly).
func prefetchRows(m []float32, stride int, idx []int32) {
	if useAVX2 && len(idx) > 0 {
		prefetchRowsAVX2(&m[0], stride, &idx[0], len(idx))
	}
}
