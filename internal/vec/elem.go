package vec

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unsafe"
)

// Elem is how the elements of a vector are stored: in a table, in a vector
// file, in a tensor. Whatever the storage, vectors are computed with as
// float32. db.ElemType and vecfile.DType are this type under their
// historical names.
//
// Elem is stored in table metadata as its number (JSON "elem": 0, 1 or 2), so
// the values must never be renumbered, and Elem must not implement
// encoding.TextMarshaler or json.Marshaler, which would change that encoding.
type Elem uint8

// The element types.
const (
	// Float32 is IEEE 754 binary32, 4 bytes; the zero value.
	Float32 Elem = iota
	// Float16 is IEEE 754 binary16, 2 bytes (safetensors "F16", NumPy "<f2").
	Float16
	// BFloat16 is bfloat16, the upper half of a float32, 2 bytes
	// (safetensors "BF16").
	BFloat16
)

// String returns "float32", "float16" or "bfloat16", the names the language,
// DESCRIBE and [ParseElem] use.
func (e Elem) String() string {
	switch e {
	case Float32:
		return "float32"
	case Float16:
		return "float16"
	case BFloat16:
		return "bfloat16"
	}
	return fmt.Sprintf("Elem(%d)", uint8(e))
}

// Size returns the size of one element in bytes, or 0 for an invalid Elem.
func (e Elem) Size() int {
	switch e {
	case Float32:
		return 4
	case Float16, BFloat16:
		return 2
	}
	return 0
}

// Valid reports whether e is one of the element types.
func (e Elem) Valid() bool { return e <= BFloat16 }

// ParseElem returns the element type a user names, case-insensitively and
// ignoring surrounding spaces: "float32" ("f32", "fp32", "float"), "float16"
// ("f16", "fp16", "half") or "bfloat16" ("bf16"). It reports false for any
// other name; callers word the error, as each has its own.
func ParseElem(name string) (Elem, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "float32", "f32", "fp32", "float":
		return Float32, true
	case "float16", "f16", "fp16", "half":
		return Float16, true
	case "bfloat16", "bf16":
		return BFloat16, true
	}
	return Float32, false
}

// littleEndian reports whether the machine stores numbers as the files do,
// so float32 rows can be copied rather than converted.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// Decode widens the little-endian elements of type e in src into dst
// (len(dst) elements; src holds at least len(dst)*e.Size() bytes). src need
// not be aligned (bbolt and mapped files give no alignment), so float32 rows
// are copied, never cast. An invalid e leaves dst unchanged.
func (e Elem) Decode(dst []float32, src []byte) {
	switch e {
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
			dst[i] = Float16ToFloat32(binary.LittleEndian.Uint16(src[2*i:]))
		}
	case BFloat16:
		for i := range dst {
			dst[i] = BFloat16ToFloat32(binary.LittleEndian.Uint16(src[2*i:]))
		}
	}
}

// Encode narrows v into dst as little-endian elements of type e
// (len(v)*e.Size() bytes), rounding to nearest even. An invalid e leaves dst
// unchanged.
func (e Elem) Encode(dst []byte, v []float32) {
	switch e {
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
			binary.LittleEndian.PutUint16(dst[2*i:], Float32ToFloat16(f))
		}
	case BFloat16:
		for i, f := range v {
			binary.LittleEndian.PutUint16(dst[2*i:], Float32ToBFloat16(f))
		}
	}
}

// FirstNonFinite returns the index of the first NaN or infinite element of
// raw, little-endian elements of type e, or -1. It tests the exponent bits,
// without converting.
func (e Elem) FirstNonFinite(raw []byte) int {
	switch e {
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
