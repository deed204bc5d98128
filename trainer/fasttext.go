package trainer

import (
	"fmt"
	"runtime"
	"sync"

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

// NewFastText builds a FastText model from its parts, as gensim's load_facebook_model does
// from a .bin file: the words with their counts, their own input rows (vocabVecs), the
// n-gram rows (opts.Bucket of them) and the output layer (syn1neg when opts.Negative > 0,
// else syn1 for hierarchical softmax; nil for a model that cannot continue training). Each
// word's vector is the mean of its own row and its n-grams' rows (gensim's adjust_vectors).
// The slices are used, not copied.
func NewFastText(words []string, counts []int64, vocabVecs, ngrams, output []float32, opts Options) (*Model, error) {
	opts.Kind = FastText
	opts.Progress = nil
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	dim, n := opts.VectorSize, len(words)
	switch {
	case len(counts) != n || len(vocabVecs) != n*dim || len(ngrams) != opts.Bucket*dim:
		return nil, fmt.Errorf("%w: %d words, %d counts, %d word-row and %d n-gram values for dimension %d and %d buckets",
			ErrDimension, n, len(counts), len(vocabVecs), len(ngrams), dim, opts.Bucket)
	case output != nil && len(output) != n*dim:
		return nil, fmt.Errorf("%w: output layer of %d values for %d words", ErrDimension, len(output), n)
	}
	m := &Model{Words: words, Counts: counts, Dim: dim, Options: opts, Ngrams: ngrams, vocabVecs: vocabVecs,
		Vectors: make([]float32, n*dim)}
	if output != nil {
		if opts.Negative > 0 {
			m.syn1neg = output
		} else {
			m.syn1 = output
		}
	}
	// Each word's vector as gensim's adjust_vectors computes it, in float32: its own row plus
	// its n-grams' rows in order, divided by their number. Words are split among goroutines.
	workers := min(runtime.GOMAXPROCS(0), max(n/4096, 1))
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			next := newNgramPrefetcher(words, ngrams, opts, lo, hi)
			for i := lo; i < hi; i++ {
				buf := next.buckets(i)
				v := m.Vectors[i*dim : (i+1)*dim]
				copy(v, vocabVecs[i*dim:(i+1)*dim])
				for _, b := range buf {
					addRow(v, ngrams[int(b)*dim:int(b+1)*dim])
				}
				k := float32(len(buf) + 1)
				for d := range v {
					v[d] /= k
				}
			}
		}(g*n/workers, (g+1)*n/workers)
	}
	wg.Wait()
	return m, nil
}

// addRow sets dst[i] += src[i]. vec.Axpy with a = 1 rounds each sum as the plain addition
// does, so the result is gensim's float32 sum to the bit.
func addRow(dst, src []float32) {
	n := len(dst) &^ 7
	vec.Axpy(1, src, dst, n)
	for i := n; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// OutputLayer returns the output layer a .bin file stores: syn1neg when the model has one,
// else syn1 (gensim's save_facebook_model chooses so too), or nil. It shares memory with m.
func (m *Model) OutputLayer() []float32 {
	if m.syn1neg != nil {
		return m.syn1neg
	}
	return m.syn1
}
