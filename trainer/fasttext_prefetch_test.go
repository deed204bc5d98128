package trainer

import (
	"fmt"
	"slices"
	"testing"
)

// TestNgramPrefetcher: the prefetcher gives each word of its range the buckets NgramBuckets
// gives it, for ranges shorter and longer than how far it looks ahead.
func TestNgramPrefetcher(t *testing.T) {
	o := DefaultOptions()
	o.VectorSize, o.Bucket = 4, 1000
	words := make([]string, 12)
	for i := range words {
		words[i] = fmt.Sprintf("wörd%d", i*i)
	}
	ngrams := make([]float32, o.Bucket*o.VectorSize)
	for _, r := range [][2]int{{0, 12}, {3, 4}, {5, 7}, {2, 5}, {11, 12}, {4, 4}} {
		p := newNgramPrefetcher(words, ngrams, o, r[0], r[1])
		for i := r[0]; i < r[1]; i++ {
			want := NgramBuckets(nil, words[i], o.MinN, o.MaxN, o.Bucket)
			if got := p.buckets(i); !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("range %v, word %d: buckets %v, want %v", r, i, got, want)
			}
		}
	}
}
