package columnar

import "encoding/binary"

// AllFinite32 says whether raw, float32s little-endian, holds no NaN and no
// infinity. IMPORT of a Parquet or Arrow file checks each batch of vectors
// with it in one pass, four values per step, instead of the loader's
// check of each value of each row (7% of an import's CPU); a batch that
// fails is handed to the loader unchecked, which finds the row and says
// which. A Parquet batch comes checked (Batch.Finite).
//
// Each 32-bit lane is masked to its exponent and has one added at the
// exponent's lowest bit: the sum reaches bit 31 exactly when the exponent
// is all ones (NaN or infinity), and cannot carry into the next lane.
func AllFinite32(raw []byte) bool {
	const exp, one, top = 0x7f8000007f800000, 0x0080000000800000, 0x8000000080000000
	var acc uint64
	for len(raw) >= 32 {
		a := binary.LittleEndian.Uint64(raw)
		b := binary.LittleEndian.Uint64(raw[8:])
		c := binary.LittleEndian.Uint64(raw[16:])
		d := binary.LittleEndian.Uint64(raw[24:])
		acc |= (a&exp + one) | (b&exp + one) | (c&exp + one) | (d&exp + one)
		raw = raw[32:]
	}
	for ; len(raw) >= 4; raw = raw[4:] {
		acc |= uint64(binary.LittleEndian.Uint32(raw)&0x7f800000 + 0x00800000)
	}
	return acc&top == 0
}

// finitePiece is how many bytes copyFinite32 copies before it checks them,
// a piece that stays in the core's cache between the two.
const finitePiece = 32 << 10

// copyFinite32 copies src, float32s, to dst and reports whether they are
// all finite. Checking each piece right after copying it reads it from the
// cache; checking the batch in the load's goroutine read it again from
// memory (2% of a Parquet IMPORT's CPU), on the goroutine the decoders wait
// for.
func copyFinite32(dst, src []byte) bool {
	finite := true
	for len(src) > 0 {
		n := min(len(src), finitePiece)
		copy(dst[:n], src[:n])
		finite = finite && AllFinite32(dst[:n])
		dst, src = dst[n:], src[n:]
	}
	return finite
}
