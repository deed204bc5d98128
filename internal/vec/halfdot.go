package vec

// Distance kernels over rows stored as 16-bit floats (float16 or bfloat16
// tables), for the exact search: they read the 16-bit elements and widen
// them in registers, never a whole row into a float32 buffer first, so a
// scan reads half the bytes of a float32 scan. On amd64 with AVX2 and FMA,
// bfloat16 is widened by a zero-extension and a 16-bit shift (it is the
// upper half of a float32), float16 by VCVTPH2PS; 16 lanes at a time
// where the CPU has AVX-512 BW, 8 otherwise (F16C for float16). Other
// CPUs and EMBEDDB_NOASM=1 use the Go code, which widens one element at a
// time. The assembly sums in another order than the Go code, so results
// agree to rounding, not bit for bit.

// DotRowsHalf stores in out[r] the dot product of q with row r of rows,
// rows being len(out) contiguous rows of len(q) elements of type e
// (Float16 or BFloat16, held as their bit patterns). It may read (never
// write) up to 7 elements past the last row, where rows' capacity allows.
// It panics if rows is too short or e is not a 16-bit type.
func DotRowsHalf(e Elem, q []float32, rows []uint16, out []float32) {
	dotRowsHalf(e, q, rows, nil, out)
}

// DotRowsHalfScaled is [DotRowsHalf] with out[r] multiplied by scale[r]
// (a row's inverse norm, for cosine scores) in the same pass. It panics if
// scale is shorter than out.
func DotRowsHalfScaled(e Elem, q []float32, rows []uint16, scale, out []float32) {
	if len(scale) < len(out) {
		panic("vec: internal error: DotRowsHalfScaled scale too short")
	}
	dotRowsHalf(e, q, rows, scale, out)
}

// dotRowsHalf is DotRowsHalf, scaled by scale unless it is nil.
func dotRowsHalf(e Elem, q []float32, rows []uint16, scale, out []float32) {
	if len(out) == 0 {
		return
	}
	dim := len(q)
	if len(rows) < len(out)*dim {
		panic("vec: internal error: DotRowsHalf out of range")
	}
	one := func(r int) float32 {
		d := DotHalf(e, q, rows[r*dim:r*dim+dim])
		if scale != nil {
			d *= scale[r]
		}
		return d
	}
	var sc *float32
	if scale != nil {
		sc = &scale[0]
	}
	half := e == BFloat16 || e == Float16 // anything else panics in DotHalf
	if n16 := dim &^ 15; useHalf16 && half && n16 > 0 {
		// Half the instructions of the 8-lane kernels per element: an
		// exact scan of 1M × 100 bfloat16 rows then keeps up with the
		// memory (0.80-0.85 of a STREAM-style read over 14 runs,
		// against 0.70-0.84 for the 8-lane kernel).
		tail := uint64(1)<<(dim-n16) - 1
		if e == BFloat16 {
			dotRowsBF16AVX512(&q[0], &rows[0], n16, dim, len(out), &out[0], tail, sc)
		} else {
			dotRowsF16AVX512(&q[0], &rows[0], n16, dim, len(out), &out[0], tail, sc)
		}
		return
	}
	n8 := dim &^ 7
	asm := n8 > 0 && (e == BFloat16 && useAVX2 || e == Float16 && useF16C)
	if !asm {
		for r := range out {
			out[r] = one(r)
		}
		return
	}
	n := len(out)
	if n8 != dim && cap(rows) < n*dim+8-(dim-n8) {
		// The kernel reads a row's tail 8 elements at a time, past the
		// row: the last row, whose 8 would run past rows' capacity, is
		// done here. (A block of a longer array has room after it.)
		n--
		out[n] = one(n)
		if n == 0 {
			return
		}
	}
	mask := &tailMasks[dim-n8]
	if e == BFloat16 {
		dotRowsBF16AVX2(&q[0], &rows[0], n8, dim, n, &out[0], &mask[0], sc)
	} else {
		dotRowsF16AVX2(&q[0], &rows[0], n8, dim, n, &out[0], &mask[0], sc)
	}
}

// tailMasks[t] has t lanes of all ones, then zeros: the lanes of a row's
// last t elements.
var tailMasks = func() (m [8][8]uint32) {
	for t := range m {
		for i := range t {
			m[t][i] = ^uint32(0)
		}
	}
	return m
}()

// DotHalf returns the dot product of q with row[:len(q)], elements of type
// e (Float16 or BFloat16); the portable code, element by element.
func DotHalf(e Elem, q []float32, row []uint16) float32 {
	row = row[:len(q)]
	widen := widener(e)
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(q); i += 4 {
		s0 += q[i] * widen(row[i])
		s1 += q[i+1] * widen(row[i+1])
		s2 += q[i+2] * widen(row[i+2])
		s3 += q[i+3] * widen(row[i+3])
	}
	for ; i < len(q); i++ {
		s0 += q[i] * widen(row[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// SquaredL2Half returns the squared Euclidean distance of q and
// row[:len(q)], elements of type e (Float16 or BFloat16).
func SquaredL2Half(e Elem, q []float32, row []uint16) float32 {
	row = row[:len(q)]
	widen := widener(e)
	var s0, s1 float32
	i := 0
	for ; i+2 <= len(q); i += 2 {
		d0, d1 := q[i]-widen(row[i]), q[i+1]-widen(row[i+1])
		s0 += d0 * d0
		s1 += d1 * d1
	}
	if i < len(q) {
		d := q[i] - widen(row[i])
		s0 += d * d
	}
	return s0 + s1
}

// widener returns the exact widening of e's bit patterns. It panics for
// types other than Float16 and BFloat16.
func widener(e Elem) func(uint16) float32 {
	switch e {
	case Float16:
		return Float16ToFloat32
	case BFloat16:
		return BFloat16ToFloat32
	}
	panic("vec: internal error: not a 16-bit element type: " + e.String())
}
