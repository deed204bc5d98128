package trainer

import (
	"github.com/embeddb/embeddb/internal/vec"
)

// buildSubwords lists, for every vocabulary word, the syn0 rows it trains through: its own
// row, then the rows n.n+b of its n-grams' buckets b (gensim's buckets_word).
func (n *net) buildSubwords() {
	o := &n.opts
	n.subOff = make([]int32, n.n+1)
	n.sub = make([]int32, 0, n.n*8)
	var buf []uint32
	for i, w := range n.vocab.words {
		n.sub = append(n.sub, int32(i))
		buf = NgramBuckets(buf[:0], w, o.MinN, o.MaxN, o.Bucket)
		for _, b := range buf {
			n.sub = append(n.sub, int32(n.n)+int32(b))
		}
		n.subOff[i+1] = int32(len(n.sub))
	}
}

// rowsOf returns the syn0 rows word i trains through (FastText only).
func (n *net) rowsOf(i int32) []int32 { return n.sub[n.subOff[i]:n.subOff[i+1]] }

// composed returns every word's vector as gensim's adjust_vectors makes it: the mean of the
// word's own row and its n-grams' rows.
func (n *net) composed() []float32 {
	out := make([]float32, n.n*n.dim)
	tmp := make([]float32, n.stride)
	for i := 0; i < n.n; i++ {
		rows := n.rowsOf(int32(i))
		vec.PaddedSum(n.syn0, n.stride, rows, 1/float32(len(rows)), tmp)
		copy(out[i*n.dim:(i+1)*n.dim], tmp[:n.dim])
	}
	return out
}

// unpadInPlace moves the first dim values of each of rows padded rows to the front of m,
// densely, and returns that prefix. Row r's dense place never lies after its padded place,
// so copying in order is safe.
func unpadInPlace(m []float32, rows, dim, stride int) []float32 {
	if dim != stride {
		for r := 1; r < rows; r++ {
			copy(m[r*dim:(r+1)*dim], m[r*stride:r*stride+dim])
		}
	}
	return m[: rows*dim : rows*dim]
}
