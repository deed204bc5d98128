package vec

import "math/bits"

// Kernels over quantized codes, for the index's int8 and binary
// quantization.
//
// An int8 code is a row of uint8 values, padded with zeros to a multiple of
// [CodeAlign] bytes; the query is a row of int16 weights of the same length.
// [DotU8] sums w[i]·c[i] exactly in int32: the result does not depend on the
// kernel, so the assembly and the Go code agree bit for bit. The caller
// keeps |w[i]| small enough that no sum can overflow ([MaxWeight]).
//
// A binary code is a row of uint64 words, one bit a dimension; [Hamming]
// counts the bits in which two rows differ.
//
// On amd64 the int8 kernels use AVX-512 VNNI (VPDPWSSD, 32 values a step)
// where the CPU has it, else AVX2 (VPMOVZXBW and VPMADDWD, 16 a step); the
// Hamming kernels use AVX-512 VPOPCNTDQ (8 words a step) where the CPU has
// it, else POPCNT. EMBEDDB_NOASM=1 selects the Go code everywhere.

// CodeAlign is the multiple of bytes that int8 code rows are padded to.
const CodeAlign = 16

// MaxWeight returns the largest |w[i]| that keeps [DotU8] of rows of n
// values from overflowing int32 (every code at 255), at most 32,767.
func MaxWeight(n int) int16 {
	if n <= 0 {
		return 32767
	}
	return int16(min(32767, (1<<31-1)/(255*n)))
}

// DotU8 returns Σ w[i]·c[i] over len(w) values. len(w) must be a multiple
// of CodeAlign and c must hold at least len(w) values; it panics otherwise.
func DotU8(w []int16, c []uint8) int32 {
	c = c[:len(w)]
	if len(w)%CodeAlign != 0 {
		panic("vec: internal error: DotU8 length not a multiple of CodeAlign")
	}
	if len(w) == 0 {
		return 0
	}
	switch {
	case useVNNI:
		return dotU8VNNI(w, c)
	case useAVX2:
		return dotU8AVX2(w, c)
	}
	return dotU8Go(w, c)
}

// DotU8Batch stores in out[i] the DotU8 of w with row idx[i] of codes, rows
// being len(w) bytes long. It panics if a row is out of range or len(w) is
// not a positive multiple of CodeAlign, so that the assembly never reads
// outside codes.
func DotU8Batch(w []int16, codes []uint8, idx []uint32, out []int32) {
	DotU8BatchStride(w, codes, len(w), idx, out)
}

// DotU8BatchStride is [DotU8Batch] over rows that start stride bytes apart
// (stride may be less than len(w): compact codes, each row read on into
// the next one, where the weights are zero). Row x is codes[x·stride:]
// [:len(w)], which must lie inside codes; it panics otherwise.
func DotU8BatchStride(w []int16, codes []uint8, stride int, idx []uint32, out []int32) {
	if len(idx) == 0 {
		return
	}
	n := len(w)
	if n == 0 || n%CodeAlign != 0 || stride <= 0 {
		panic("vec: internal error: DotU8Batch length not a positive multiple of CodeAlign")
	}
	out = out[:len(idx)]
	for _, x := range idx {
		if int(x)*stride+n > len(codes) {
			panic("vec: internal error: DotU8Batch row out of range")
		}
	}
	switch {
	case useVNNI:
		dotU8BatchVNNI(w, codes, stride, idx, out)
	case useAVX2:
		dotU8BatchAVX2(w, codes, stride, idx, out)
	default:
		dotU8BatchGo(w, codes, stride, idx, out)
	}
}

func dotU8BatchGo(w []int16, codes []uint8, stride int, idx []uint32, out []int32) {
	n := len(w)
	for i, x := range idx {
		out[i] = dotU8Go(w, codes[int(x)*stride:int(x)*stride+n])
	}
}

// DotU8Rows stores in out[r] the DotU8 of w with row r of codes, for every
// r < len(out) (an exact scan of the codes).
func DotU8Rows(w []int16, codes []uint8, out []int32) {
	DotU8RowsStride(w, codes, len(w), out)
}

// DotU8RowsStride is [DotU8Rows] over rows stride bytes apart, as
// [DotU8BatchStride].
func DotU8RowsStride(w []int16, codes []uint8, stride int, out []int32) {
	n := len(w)
	if len(out) == 0 {
		return
	}
	_ = codes[(len(out)-1)*stride+n-1]
	for r := range out {
		out[r] = DotU8(w, codes[r*stride:r*stride+n])
	}
}

// Hamming returns the number of bits in which a and b[:len(a)] differ.
func Hamming(a, b []uint64) int32 {
	b = b[:len(a)]
	if len(a) == 0 {
		return 0
	}
	switch {
	case usePOPCNT512 && len(a) >= 8:
		return hammingVPOPCNT(a, b)
	case usePOPCNT && len(a) >= 4: // shorter: the call costs more than it saves
		return hammingPOPCNT(a, b)
	}
	return hammingGo(a, b)
}

// HammingBatch stores in out[i] the Hamming distance of q and row idx[i] of
// codes, rows being len(q) words long. It panics if a row is out of range.
func HammingBatch(q, codes []uint64, idx []uint32, out []int32) {
	n := len(q)
	out = out[:len(idx)]
	for i, x := range idx {
		out[i] = Hamming(q, codes[int(x)*n:int(x)*n+n])
	}
}

// HammingRows stores in out[r] the Hamming distance of q and row r of
// codes, for every r < len(out). With AVX-512 VPOPCNTDQ and rows of 8 or
// more words, or AVX2 or POPCNT and rows of 4 or more, one assembly call
// scans all the rows.
func HammingRows(q, codes []uint64, out []int32) {
	n := len(q)
	if len(out) == 0 {
		return
	}
	_ = codes[len(out)*n-1:]
	switch {
	case usePOPCNT512 && n >= 8:
		hammingRowsVPOPCNT(&q[0], &codes[0], n, len(out), &out[0])
		return
	case useAVX2 && usePOPCNT && n >= 4:
		hammingRowsAVX2(&q[0], &codes[0], n, len(out), &out[0])
		return
	case usePOPCNT && n >= 4:
		hammingRowsPOPCNT(&q[0], &codes[0], n, len(out), &out[0])
		return
	}
	for r := range out {
		out[r] = Hamming(q, codes[r*n:r*n+n])
	}
}

// dotU8Go is the portable DotU8: exact integer arithmetic, so any order of
// summation gives the same result.
func dotU8Go(w []int16, c []uint8) int32 {
	c = c[:len(w)]
	var s0, s1 int32
	for i := 0; i+1 < len(w); i += 2 {
		s0 += int32(w[i]) * int32(c[i])
		s1 += int32(w[i+1]) * int32(c[i+1])
	}
	if len(w)%2 == 1 {
		s0 += int32(w[len(w)-1]) * int32(c[len(w)-1])
	}
	return s0 + s1
}

// hammingGo is the portable Hamming distance.
func hammingGo(a, b []uint64) int32 {
	b = b[:len(a)]
	n := 0
	for i, x := range a {
		n += bits.OnesCount64(x ^ b[i])
	}
	return int32(n)
}
