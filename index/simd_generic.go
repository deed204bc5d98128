package index

// dotGeneric is the portable dot product of a and b[:len(a)], with four
// accumulators so that the loop is not bound by the latency of one addition.
func dotGeneric(a, b []float32) float32 {
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

// l2Generic is the portable squared Euclidean distance of a and b[:len(a)].
func l2Generic(a, b []float32) float32 {
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

func dotBatchGeneric(q, base []float32, idx []uint32, out []float32) {
	dim := len(q)
	for i, x := range idx {
		out[i] = dotKernel(q, base[int(x)*dim:int(x)*dim+dim])
	}
}

func l2BatchGeneric(q, base []float32, idx []uint32, out []float32) {
	dim := len(q)
	for i, x := range idx {
		out[i] = l2Kernel(q, base[int(x)*dim:int(x)*dim+dim])
	}
}

func dotRowsGeneric(q, rows []float32, out []float32) {
	dim := len(q)
	for r := range out {
		out[r] = dotKernel(q, rows[r*dim:r*dim+dim])
	}
}
