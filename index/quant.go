package index

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/embeddb/embeddb/internal/vec"
)

// Quantization says how an HNSW index stores the vectors that its graph
// walk compares. The zero value, QuantNone, keeps float32 vectors.
//
// A quantized index compares the query with compact codes while it walks
// the graph (or scans every code, SearchOptions.Exact), keeps the
// Rescore × k nearest candidates, and scores those again with the
// full-precision vectors, so that the scores it returns are exact and only
// the choice of candidates is approximate (as pgvector's halfvec and bit
// types, Qdrant's quantization and Elasticsearch's int8_hnsw do).
type Quantization uint8

const (
	// QuantNone keeps float32 vectors: 4 bytes a dimension.
	QuantNone Quantization = iota
	// QuantInt8 keeps one byte a dimension: each dimension's range, learned
	// from the rows (the 0.05% and 99.95% quantiles of a sample, so that a
	// few outliers do not waste the 256 levels), is cut into 255 steps.
	QuantInt8
	// QuantBinary keeps one bit a dimension: whether the value lies above
	// the dimension's mean over the rows (the sign of the centred vector),
	// compared by Hamming distance. It suits high-dimensional vectors
	// (LLM embeddings); on 100-d word vectors it needs a deep rescore.
	QuantBinary
)

// String returns the name used in CREATE INDEX: "none", "int8" or "binary".
func (q Quantization) String() string {
	switch q {
	case QuantNone:
		return "none"
	case QuantInt8:
		return "int8"
	case QuantBinary:
		return "binary"
	}
	return fmt.Sprintf("Quantization(%d)", uint8(q))
}

func (q Quantization) valid() bool { return q <= QuantBinary }

// ParseQuantization returns the quantization named s, case-insensitively:
// "none" (or "float32", "f32"), "int8" (or "sq8", "scalar") or "binary" (or
// "bit", "1bit").
func ParseQuantization(s string) (Quantization, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "float32", "f32":
		return QuantNone, nil
	case "int8", "sq8", "scalar":
		return QuantInt8, nil
	case "binary", "bit", "1bit":
		return QuantBinary, nil
	}
	return 0, fmt.Errorf("quantization %q (want 'int8', 'binary' or 'none'): %w", s, ErrInvalidOption)
}

// Limits and default of Options.Rescore.
const (
	DefaultRescore = 4
	MaxRescore     = 1000
)

// int8Quant maps each dimension's range [lo, lo+255·step] onto the codes
// 0..255, rounding to the nearest.
type int8Quant struct {
	dim, stride int // stride: dim rounded up to vec.CodeAlign
	lo, step    []float32
}

// binaryQuant sets bit i when the value of dimension i exceeds thresh[i].
type binaryQuant struct {
	dim, words int
	thresh     []float32
}

// quantSample is the number of rows, evenly spaced, that the int8 ranges are
// learned from: enough for the 0.05% quantiles (8 rows each side), few
// enough that sorting 1,536 dimensions takes about a second.
const quantSample = 16384

// trainInt8 learns the ranges from rows 0..n-1, which row fills dst with.
func trainInt8(dim, n int, row func(i int, dst []float32)) *int8Quant {
	q := &int8Quant{dim: dim, stride: (dim + vec.CodeAlign - 1) / vec.CodeAlign * vec.CodeAlign,
		lo: make([]float32, dim), step: make([]float32, dim)}
	if n == 0 {
		return q
	}
	every := max(1, n/quantSample)
	m := (n + every - 1) / every
	sample := make([]float32, m*dim)
	for j := range m {
		row(j*every, sample[j*dim:(j+1)*dim])
	}
	col := make([]float32, m)
	tail := m / 2000
	for i := range dim {
		for j := range m {
			col[j] = sample[j*dim+i]
		}
		slices.Sort(col)
		lo, hi := col[tail], col[m-1-tail]
		q.lo[i] = lo
		if hi > lo {
			q.step[i] = (hi - lo) / 255
		}
	}
	return q
}

// encode writes the code of v into dst (stride bytes, the padding zero)
// and returns ‖x̂ - lo‖², the squared length of the decoded offset, which
// Euclidean distances need.
func (q *int8Quant) encode(dst []uint8, v []float32) float32 {
	var sq float64
	for i, x := range v {
		c := 0.0
		if s := q.step[i]; s > 0 {
			c = math.Round(float64(x-q.lo[i]) / float64(s))
			c = min(255, max(0, c))
			d := c * float64(s)
			sq += d * d
		}
		dst[i] = uint8(c)
	}
	clear(dst[len(v):q.stride])
	return float32(sq)
}

// squaredLength returns what encode returned for the code c: ‖x̂ - lo‖²,
// summed in the same order, so that the result is the same to the bit.
func (q *int8Quant) squaredLength(c []uint8) float32 {
	var sq float64
	for i, s := range q.step {
		if s > 0 {
			d := float64(c[i]) * float64(s)
			sq += d * d
		}
	}
	return float32(sq)
}

// trainBinary takes each dimension's mean over all rows as its threshold.
func trainBinary(dim, n int, row func(i int, dst []float32)) *binaryQuant {
	q := &binaryQuant{dim: dim, words: (dim + 63) / 64, thresh: make([]float32, dim)}
	if n == 0 {
		return q
	}
	sum := make([]float64, dim)
	v := make([]float32, dim)
	for r := range n {
		row(r, v)
		for i, x := range v {
			sum[i] += float64(x)
		}
	}
	for i, s := range sum {
		q.thresh[i] = float32(s / float64(n))
	}
	return q
}

func (q *binaryQuant) encode(dst []uint64, v []float32) {
	clear(dst[:q.words])
	for i, x := range v {
		if x > q.thresh[i] {
			dst[i>>6] |= 1 << (i & 63)
		}
	}
}

// codeQuery is a query prepared for comparing with codes: for int8, the
// int16 weights w and the terms that turn their dot product with a code
// into a distance; for binary, the query's bits.
type codeQuery struct {
	w    []int16
	inv  float32 // 1 / the scale of w
	bias float32 // Σ q·lo (dot), or ‖q - lo‖² (Euclidean)
	bits []uint64
	wf   []float64 // scratch
}

// prepare fills cq for query q. The score of a code c is then, for dot
// products, bias + inv·(w·c) ≈ q·x̂, and for Euclidean, bias - 2·inv·(w·c)
// + sq ≈ ‖q - x̂‖².
func (q *int8Quant) prepare(cq *codeQuery, query []float32, l2 bool) {
	if cap(cq.w) < q.stride {
		cq.w = make([]int16, q.stride)
	}
	w := cq.w[:q.stride]
	clear(w)
	var bias float64
	var big float64
	if cap(cq.wf) < q.dim {
		cq.wf = make([]float64, q.dim)
	}
	wf := cq.wf[:q.dim]
	for i, x := range query {
		r := float64(x)
		if l2 {
			r -= float64(q.lo[i])
			bias += r * r
		} else {
			bias += r * float64(q.lo[i])
		}
		wf[i] = r * float64(q.step[i])
		big = max(big, math.Abs(wf[i]))
	}
	cq.w, cq.bias, cq.inv = w, float32(bias), 0
	if big == 0 {
		return
	}
	scale := float64(vec.MaxWeight(q.stride)) / big
	for i, f := range wf {
		w[i] = int16(math.Round(f * scale))
	}
	cq.inv = float32(1 / scale)
}
