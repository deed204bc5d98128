package vec

// Conversions between float32 and the two 16-bit float formats that
// embedding matrices are published in: IEEE 754 binary16 (float16, "F16" in
// safetensors) and bfloat16 ("BF16", the upper half of a float32).
//
// Narrowing rounds to nearest, ties to even, as PyTorch and NumPy do, so a
// value read from a file and written back is unchanged. NaN stays NaN and
// infinities stay infinite.

import "math"

// BFloat16ToFloat32 widens a bfloat16 bit pattern to float32. It is exact.
func BFloat16ToFloat32(h uint16) float32 {
	return math.Float32frombits(uint32(h) << 16)
}

// Float32ToBFloat16 narrows f to bfloat16, rounding to nearest even.
func Float32ToBFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 { // NaN: keep it quiet and non-zero
		return uint16(b>>16) | 0x0040
	}
	// Round to nearest, ties to even, on the 16 bits that are dropped.
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// Float16ToFloat32 widens an IEEE binary16 bit pattern to float32. It is exact.
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
	case mant == 0: // signed zero
		return math.Float32frombits(sign)
	}
	// Subnormal: value is mant × 2^-24.
	f := float32(mant) * (1.0 / (1 << 24))
	if sign != 0 {
		f = -f
	}
	return f
}

// Float32ToFloat16 narrows f to IEEE binary16, rounding to nearest even;
// values beyond the largest float16 (65504) become infinities.
func Float32ToFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff { // Inf or NaN
		if mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// Subnormal or zero in float16.
		if e < -10 {
			return sign
		}
		m := mant | 0x800000
		shift := uint32(14 - e)
		half := uint32(1) << (shift - 1)
		r := m >> shift
		rem := m & (1<<shift - 1)
		if rem > half || (rem == half && r&1 == 1) {
			r++
		}
		return sign | uint16(r)
	}
	r := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && r&1 == 1) {
		r++ // may carry into the exponent, and up to Inf: both correct
	}
	return sign | uint16(r)
}
