package index

import (
	"fmt"
	"math"

	"github.com/embeddb/embeddb/internal/vec"
)

// DotProduct returns the dot product of a and b, using AVX2 and FMA where the CPU has
// them. It returns a *DimensionError if the lengths differ.
func DotProduct(a, b []float32) (float32, error) {
	if len(a) != len(b) {
		return 0, &DimensionError{Want: len(a), Got: len(b)}
	}
	return vec.Dot(a, b), nil
}

// Norm returns the Euclidean length of v, accumulated in float64.
func Norm(v []float32) float64 {
	return math.Sqrt(vec.SumSquares(v))
}

// Normalize returns a new unit-length copy of v, as gensim's unitvec does.
// It returns an error wrapping ErrNotFinite if v holds a NaN or an infinity,
// and ErrZeroVector if v is all zeros.
func Normalize(v []float32) ([]float32, error) {
	ss, err := checkedSumSquares(v)
	if err != nil {
		return nil, err
	}
	if ss == 0 {
		return nil, ErrZeroVector
	}
	out := make([]float32, len(v))
	scaleInto(out, v, math.Sqrt(ss))
	return out, nil
}

// checkedSumSquares returns the sum of v's squares (Norm's, squared), or
// CheckFinite's error when v holds a NaN or an infinity: the sum is then
// not finite, so one pass both checks v and measures it.
func checkedSumSquares(v []float32) (float64, error) {
	ss := vec.SumSquares(v)
	if math.IsNaN(ss) || math.IsInf(ss, 0) {
		if err := CheckFinite(v); err != nil {
			return 0, err
		}
	}
	return ss, nil
}

// scaleInto stores v / n into dst.
func scaleInto(dst, v []float32, n float64) {
	vec.Scale(dst, v, float32(1/n))
}

// normalizeInPlace scales v to unit length; a zero vector stays zero.
func normalizeInPlace(v []float32) {
	if n := Norm(v); n > 0 {
		scaleInto(v, v, n)
	}
}

// CosineSimilarity returns the cosine similarity of a and b, computed as gensim's
// similarity does: the dot product of the two unit vectors. It returns an
// error if the lengths differ, if either holds a NaN or an infinity, or if
// either is all zeros.
func CosineSimilarity(a, b []float32) (float32, error) {
	if len(a) != len(b) {
		return 0, &DimensionError{Want: len(a), Got: len(b)}
	}
	ua, err := Normalize(a)
	if err != nil {
		return 0, err
	}
	ub, err := Normalize(b)
	if err != nil {
		return 0, err
	}
	return vec.Dot(ua, ub), nil
}

// CheckFinite returns an error wrapping ErrNotFinite, naming the first
// offending element, if v holds a NaN or an infinity.
func CheckFinite(v []float32) error {
	for i, x := range v {
		// NaN and ±Inf are the values whose exponent bits are all ones.
		if math.Float32bits(x)&0x7f800000 == 0x7f800000 {
			return fmt.Errorf("element %d is %v: %w", i, x, ErrNotFinite)
		}
	}
	return nil
}

// Combine returns the query vector of gensim's most_similar(positive,
// negative): each vector is normalised to unit length, the positive ones are
// added with weight +1 and the negative ones with weight -1, the sum is
// divided by the number of vectors, and the mean is normalised again. All
// vectors must have the same length; none may hold NaN or Inf or be all zeros.
// It returns ErrZeroVector if the mean is zero (a vector minus itself).
func Combine(pos, neg [][]float32) ([]float32, error) {
	if len(pos)+len(neg) == 0 {
		return nil, fmt.Errorf("combine: no vectors: %w", ErrZeroVector)
	}
	dim := -1
	mean := []float64(nil)
	add := func(v []float32, w float64, what string, i int) error {
		if dim < 0 {
			dim = len(v)
			mean = make([]float64, dim)
		}
		if len(v) != dim {
			return fmt.Errorf("combine %s vector %d: %w", what, i, &DimensionError{Want: dim, Got: len(v)})
		}
		u, err := Normalize(v)
		if err != nil {
			return fmt.Errorf("combine %s vector %d: %w", what, i, err)
		}
		for j, x := range u {
			mean[j] += w * float64(x)
		}
		return nil
	}
	for i, v := range pos {
		if err := add(v, 1, "positive", i); err != nil {
			return nil, err
		}
	}
	for i, v := range neg {
		if err := add(v, -1, "negative", i); err != nil {
			return nil, err
		}
	}
	out := make([]float32, dim)
	total := float64(len(pos) + len(neg))
	for j := range mean {
		out[j] = float32(mean[j] / total)
	}
	n := Norm(out)
	if n == 0 {
		return nil, fmt.Errorf("combine: %w", ErrZeroVector)
	}
	scaleInto(out, out, n)
	return out, nil
}
