package store

import (
	"fmt"
	"math"
	"strings"

	"github.com/embeddb/embeddb/internal/vec"
)

// ElemType is how a table stores the elements of its vectors. Whatever the
// storage, vectors are read and written as float32. It is the project's one
// element type, which vecfile.DType also names, so a table's type and a
// file's pass between them unconverted. String returns "float32", "float16"
// or "bfloat16"; Size the bytes of one element (0 for an invalid value).
// Table metadata stores it as its number.
type ElemType = vec.Elem

// The element types.
const (
	Float32  = vec.Float32  // IEEE 754 single precision, 4 bytes
	Float16  = vec.Float16  // IEEE 754 half precision, 2 bytes
	BFloat16 = vec.BFloat16 // bfloat16 (the upper half of a float32), 2 bytes
)

// ParseElemType parses an element type name: float32 (f32), float16 (f16,
// half) or bfloat16 (bf16), in any case.
func ParseElemType(s string) (ElemType, error) {
	// vec.ParseElem also takes vecfile's spellings "fp32" and "fp16" and
	// spaces around the name; the SQL type option never has, and accepting
	// them would change the language, so they stay refused here.
	if t, ok := vec.ParseElem(s); ok && s == strings.TrimSpace(s) && !strings.HasPrefix(strings.ToLower(s), "fp") {
		return t, nil
	}
	return 0, fmt.Errorf("db: unknown element type %s (want float32, float16 or bfloat16)", Quote(s))
}

// DecodeVector widens the encoded elements in src into dst (len(dst) elements).
// src comes from bbolt and need not be aligned, so it is copied, never cast.
func DecodeVector(dst []float32, src []byte, t ElemType) { t.Decode(dst, src) }

// encodeVector narrows v into dst (len(v)*t.Size() bytes).
func encodeVector(dst []byte, v []float32, t ElemType) { t.Encode(dst, v) }

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
func firstNonFinite(raw []byte, t ElemType) int { return t.FirstNonFinite(raw) }
