package index

import (
	"fmt"
	"math"

	"github.com/embeddb/embeddb/internal/vec"
)

// Elem is how a Flat index keeps its rows: float32 (the default), or the
// 16-bit floats that a float16 or bfloat16 table stores, read as they are
// by the search kernels (widened in registers, never a row at a time), so
// that an exact search reads half the bytes.
type Elem = vec.Elem

// The element types a Flat index can keep.
const (
	ElemFloat32  = vec.Float32
	ElemFloat16  = vec.Float16
	ElemBFloat16 = vec.BFloat16
)

// NewFlatElem returns an empty exact index that keeps its rows as elem.
// With ElemFloat16 or ElemBFloat16, Add narrows each value to that type
// (rounding to nearest even, which changes nothing for values read from a
// table of that type) and keeps each row as added, with the inverse of its
// length under Cosine: a score is then the dot product with the stored row
// times that inverse, equal to the float32 index's score to rounding.
func NewFlatElem(dim int, metric Metric, elem Elem) (*Flat, error) {
	f, err := NewFlat(dim, metric)
	if err != nil {
		return nil, err
	}
	if !elem.Valid() {
		return nil, fmt.Errorf("new flat index: element type %v: %w", elem, ErrInvalidOption)
	}
	f.elem = elem
	return f, nil
}

// Elem returns how the index keeps its rows.
func (f *Flat) Elem() Elem { return f.elem }

// halfStore is true when rows are kept as 16-bit floats.
func (f *Flat) halfStore() bool { return f.elem != vec.Float32 }

// appendHalf narrows and appends rows; the caller holds the write lock.
func (f *Flat) appendHalf(vecs []float32) {
	n := len(vecs) / f.dim
	base := len(f.half)
	f.half = append(f.half, make([]uint16, len(vecs))...)
	narrow := vec.Float32ToBFloat16
	if f.elem == vec.Float16 {
		narrow = vec.Float32ToFloat16
	}
	for i, x := range vecs {
		f.half[base+i] = narrow(x)
	}
	if f.metric != Cosine {
		return
	}
	row := make([]float32, f.dim)
	for r := range n {
		s := base + r*f.dim
		f.widenRow(row, f.half[s:s+f.dim])
		inv := float32(0)
		if nrm := Norm(row); nrm > 0 {
			inv = float32(1 / nrm)
		}
		f.inv = append(f.inv, inv)
	}
}

// widenRow widens a stored 16-bit row into dst.
func (f *Flat) widenRow(dst []float32, row []uint16) {
	for i, h := range row {
		if f.elem == vec.Float16 {
			dst[i] = vec.Float16ToFloat32(h)
		} else {
			dst[i] = vec.BFloat16ToFloat32(h)
		}
	}
}

// halfScores fills sc with the scores of rows start.. of a 16-bit index
// (negated squared distances under Euclidean, as the float32 path).
func (f *Flat) halfScores(q []float32, start int, sc []float32) {
	dim := f.dim
	rows := f.half[start*dim : (start+len(sc))*dim]
	if f.metric == Euclidean {
		for i := range sc {
			sc[i] = -vec.SquaredL2Half(f.elem, q, rows[i*dim:i*dim+dim])
		}
		return
	}
	if f.metric == Cosine {
		// Scaled by the rows' inverse norms in the kernel: a second pass
		// over the scores cost 3-4% of the scan.
		vec.DotRowsHalfScaled(f.elem, q, rows, f.inv[start:start+len(sc)], sc)
		return
	}
	vec.DotRowsHalf(f.elem, q, rows, sc)
}

// halfVector returns a copy of stored row s, unit length under Cosine.
func (f *Flat) halfVector(s uint32) []float32 {
	v := make([]float32, f.dim)
	f.widenRow(v, f.half[int(s)*f.dim:int(s+1)*f.dim])
	if f.metric == Cosine {
		if n := Norm(v); n > 0 && !math.IsInf(n, 0) {
			scaleInto(v, v, n)
		}
	}
	return v
}

// moveHalf moves the last row into row to (a deletion) and drops it.
func (f *Flat) moveHalf(to, last uint32) {
	d := f.dim
	if to != last {
		copy(f.half[int(to)*d:int(to+1)*d], f.half[int(last)*d:int(last+1)*d])
		if f.inv != nil {
			f.inv[to] = f.inv[last]
		}
	}
	f.half = f.half[:int(last)*d]
	if f.inv != nil {
		f.inv = f.inv[:last]
	}
}

// floatRows returns the rows as the float32 index keeps them (unit length
// under Cosine), widening 16-bit rows: the serialized form has no 16-bit
// variant, and ReadFlat gives back a float32 index.
func (f *Flat) floatRows() []float32 {
	if !f.halfStore() {
		return f.vecs
	}
	out := make([]float32, 0, len(f.ids)*f.dim)
	for s := range f.ids {
		out = append(out, f.halfVector(uint32(s))...)
	}
	return out
}
