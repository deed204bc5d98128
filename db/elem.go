package db

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/embeddb/embeddb/internal/half"
)

// ElemType is how a table stores the elements of its vectors. Whatever the
// storage, vectors are read and written as float32.
type ElemType uint8

// The element types.
const (
	Float32  ElemType = iota // IEEE 754 single precision, 4 bytes
	Float16                  // IEEE 754 half precision, 2 bytes
	BFloat16                 // bfloat16 (the upper half of a float32), 2 bytes
)

// String returns the type's name as the language and DESCRIBE spell it.
func (t ElemType) String() string {
	switch t {
	case Float32:
		return "float32"
	case Float16:
		return "float16"
	case BFloat16:
		return "bfloat16"
	}
	return fmt.Sprintf("ElemType(%d)", uint8(t))
}

// Size returns the number of bytes of one element.
func (t ElemType) Size() int {
	if t == Float32 {
		return 4
	}
	return 2
}

func (t ElemType) valid() bool { return t <= BFloat16 }

// ParseElemType parses an element type name: float32 (f32), float16 (f16,
// half) or bfloat16 (bf16), in any case.
func ParseElemType(s string) (ElemType, error) {
	switch strings.ToLower(s) {
	case "float32", "f32", "float":
		return Float32, nil
	case "float16", "f16", "half":
		return Float16, nil
	case "bfloat16", "bf16":
		return BFloat16, nil
	}
	return 0, fmt.Errorf("db: unknown element type %s (want float32, float16 or bfloat16)", quote(s))
}

// littleEndian reports whether the machine stores numbers as the file does,
// so float32 rows can be copied rather than decoded.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// decodeVector widens the encoded elements in src into dst (len(dst) elements).
// src comes from bbolt and need not be aligned, so it is copied, never cast.
func decodeVector(dst []float32, src []byte, t ElemType) {
	switch t {
	case Float32:
		if littleEndian && len(dst) > 0 {
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), len(dst)*4), src)
			return
		}
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
		}
	case Float16:
		for i := range dst {
			dst[i] = half.Float16ToFloat32(binary.LittleEndian.Uint16(src[2*i:]))
		}
	case BFloat16:
		for i := range dst {
			dst[i] = half.BFloat16ToFloat32(binary.LittleEndian.Uint16(src[2*i:]))
		}
	}
}

// encodeVector narrows v into dst (len(v)*t.Size() bytes).
func encodeVector(dst []byte, v []float32, t ElemType) {
	switch t {
	case Float32:
		if littleEndian && len(v) > 0 {
			copy(dst, unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(v)*4))
			return
		}
		for i, f := range v {
			binary.LittleEndian.PutUint32(dst[4*i:], math.Float32bits(f))
		}
	case Float16:
		for i, f := range v {
			binary.LittleEndian.PutUint16(dst[2*i:], half.Float32ToFloat16(f))
		}
	case BFloat16:
		for i, f := range v {
			binary.LittleEndian.PutUint16(dst[2*i:], half.Float32ToBFloat16(f))
		}
	}
}

// checkFinite returns an error naming the first NaN or infinite element.
func checkFinite(v []float32) error {
	for i, f := range v {
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return fmt.Errorf("%w: element %d is %v", ErrInvalidVector, i, f)
		}
	}
	return nil
}

// firstNonFinite returns the index of the first NaN or infinite element of
// encoded elements, or -1. It tests the exponent bits, without decoding.
func firstNonFinite(raw []byte, t ElemType) int {
	switch t {
	case Float32:
		for i := 0; i+4 <= len(raw); i += 4 {
			if binary.LittleEndian.Uint32(raw[i:])&0x7f800000 == 0x7f800000 {
				return i / 4
			}
		}
	case Float16:
		for i := 0; i+2 <= len(raw); i += 2 {
			if binary.LittleEndian.Uint16(raw[i:])&0x7c00 == 0x7c00 {
				return i / 2
			}
		}
	case BFloat16:
		for i := 0; i+2 <= len(raw); i += 2 {
			if binary.LittleEndian.Uint16(raw[i:])&0x7f80 == 0x7f80 {
				return i / 2
			}
		}
	}
	return -1
}
