package trainer

import "github.com/embeddb/embeddb/internal/vec"

// prefetchAhead is how many words ahead of the one being summed newNgramPrefetcher asks the
// caches for n-gram rows.
const prefetchAhead = 2

// ngramPrefetcher gives the n-gram buckets of words lo, lo+1, ... in turn, having asked the
// caches for the rows of the words prefetchAhead further on. Making a word's vector (as
// NewFastText does for every word of an imported .bin) sums a dozen or more rows at random
// places of a matrix of hundreds of megabytes: each a cache miss, and the adds of one row
// leave the core no room to start the next word's loads. Asked for early, the misses overlap:
// the vectors of a million words took 2.0 s of CPU instead of 3.9 s (1M words, 2M buckets,
// dimension 100). The sums are unchanged: the same rows are added in the same order.
type ngramPrefetcher struct {
	words   []string
	ngrams  []float32
	opts    Options
	hi      int
	ring    [prefetchAhead + 1][]uint32
	fetched int // the words before this one have had their rows asked for
}

func newNgramPrefetcher(words []string, ngrams []float32, opts Options, lo, hi int) *ngramPrefetcher {
	p := &ngramPrefetcher{words: words, ngrams: ngrams, opts: opts, hi: hi, fetched: lo}
	for p.fetched < min(lo+prefetchAhead, hi) {
		p.fetch()
	}
	return p
}

// fetch computes the buckets of the next word and asks for its rows.
func (p *ngramPrefetcher) fetch() {
	s := &p.ring[p.fetched%len(p.ring)]
	*s = NgramBuckets((*s)[:0], p.words[p.fetched], p.opts.MinN, p.opts.MaxN, p.opts.Bucket)
	vec.PrefetchRows(p.ngrams, p.opts.VectorSize, *s)
	p.fetched++
}

// buckets returns word i's buckets; i is the word after the last one asked for (lo first).
func (p *ngramPrefetcher) buckets(i int) []uint32 {
	for p.fetched <= min(i+prefetchAhead, p.hi-1) {
		p.fetch()
	}
	return p.ring[i%len(p.ring)]
}
