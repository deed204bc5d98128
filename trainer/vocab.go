package trainer

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"sync/atomic"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// rawVocab counts words in order of first appearance, like the Python dict gensim counts in.
type rawVocab struct {
	index  map[string]int32
	words  []string
	counts []int64
	bytes  int64 // the bytes of the words
}

func newRawVocab() *rawVocab { return &rawVocab{index: make(map[string]int32)} }

// vocabWordBytes estimates what a counted word costs besides its bytes: its string header,
// count and map entry.
const vocabWordBytes = 80

// memory estimates the bytes the counts take.
func (rv *rawVocab) memory() int64 { return rv.bytes + int64(len(rv.words))*vocabWordBytes }

func (rv *rawVocab) add(tok []byte) {
	if i, ok := rv.index[string(tok)]; ok {
		rv.counts[i]++
		return
	}
	rv.bytes += int64(len(tok))
	w := string(tok)
	rv.index[w] = int32(len(rv.words))
	rv.words = append(rv.words, w)
	rv.counts = append(rv.counts, 1)
}

func (rv *rawVocab) get(w string) int64 {
	if i, ok := rv.index[w]; ok {
		return rv.counts[i]
	}
	return 0
}

// prune drops every word counted fewer than minReduce times, keeping the order of the rest
// (gensim's utils.prune_vocab).
func (rv *rawVocab) prune(minReduce int64) {
	j := 0
	for i, w := range rv.words {
		if rv.counts[i] >= minReduce {
			rv.words[j], rv.counts[j] = w, rv.counts[i]
			j++
		} else {
			delete(rv.index, w)
			rv.bytes -= int64(len(w))
		}
	}
	clear(rv.words[j:])
	rv.words, rv.counts = rv.words[:j], rv.counts[:j]
	for i, w := range rv.words {
		rv.index[w] = int32(i)
	}
}

// scanStats are the results of the counting pass.
type scanStats struct {
	rawWords  int64 // tokens, before any vocabulary filtering
	sentences int64 // non-empty sentences after splitting long lines
	bytes     int64 // text read, in the blocks training reads it in (readEpoch splits by it)
}

// scanVocab counts the words of the corpus (gensim's _scan_vocab), pruning as it goes when
// maxVocabSize is set.
func scanVocab(ctx context.Context, c Corpus, o *Options, words *atomic.Int64) (*rawVocab, scanStats, error) {
	rv := newRawVocab()
	var st scanStats
	minReduce := int64(1)
	tk := tokenize.Simple{Deacc: o.Deacc}
	var free [][]byte // consumed blocks, for reuse
	get := func() []byte {
		if k := len(free); k > 0 {
			b := free[k-1]
			free = free[:k-1]
			return b[:0]
		}
		return make([]byte, 0, chunkSize)
	}
	maxLen := o.MaxSentenceLength
	var phrased [][]byte
	var scratch []byte
	err := c.Each(ctx, func(r io.Reader) error {
		return readChunks(ctx, r, get, func(block []byte) error {
			var n int64
			forEachLine(block, func(line []byte) {
				toks := tk.Tokens(line)
				for len(toks) > 0 {
					piece := toks[:min(len(toks), maxLen)]
					toks = toks[len(piece):]
					if o.phrases != nil {
						phrased = o.phrases.Apply(phrased[:0], piece, &scratch)
						piece = phrased
					}
					for _, t := range piece {
						rv.add(t)
					}
					n += int64(len(piece))
					st.sentences++
					if o.MaxVocabSize > 0 && len(rv.words) > o.MaxVocabSize {
						rv.prune(minReduce)
						minReduce++
					}
				}
			})
			st.rawWords += n
			st.bytes += int64(len(block))
			words.Add(n)
			free = append(free, block)
			if lim := o.MemoryLimit; lim > 0 && rv.memory() > lim {
				return &TooLargeError{Phase: "vocabulary", What: fmt.Sprintf("counting the vocabulary (%d distinct words so far)", len(rv.words)),
					Need: rv.memory(), Limit: lim}
			}
			return ctx.Err()
		})
	})
	return rv, st, err
}

// vocab is the final vocabulary with everything training needs.
type vocab struct {
	words  []string
	counts []int64
	index  map[string]int32

	sampleInt []uint32 // keep a word when sampleInt >= a random uint32 (gensim's sample_int)
	cum       []uint32 // cumulative unigram^ns_exponent table for negative sampling
	cumMax    uint32

	// Huffman tree for hierarchical softmax: word i's code is codes[codeOff[i]:codeOff[i+1]]
	// and its inner nodes are points[codeOff[i]:codeOff[i+1]].
	codeOff []int32
	codes   []uint8
	points  []int32
}

func (v *vocab) size() int { return len(v.words) }

// effectiveMinCount applies max_final_vocab as gensim's prepare_vocab does.
func effectiveMinCount(counts []int64, o *Options) int64 {
	minCount := int64(o.MinCount)
	if o.MaxFinalVocab <= 0 {
		return minCount
	}
	sorted := append([]int64(nil), counts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] > sorted[j] })
	calc := int64(1)
	if o.MaxFinalVocab < len(sorted) {
		calc = sorted[o.MaxFinalVocab] + 1
	}
	return max(calc, minCount)
}

// buildVocab turns raw counts into a fresh, sorted vocabulary (gensim's prepare_vocab with
// update=False, then sort_by_descending_frequency, create_binary_tree and make_cum_table).
func buildVocab(rv *rawVocab, o *Options) *vocab {
	minCount := effectiveMinCount(rv.counts, o)
	var words []string
	var counts []int64
	var retainTotal int64
	for i, w := range rv.words {
		if rv.counts[i] >= minCount {
			words = append(words, w)
			counts = append(counts, rv.counts[i])
			retainTotal += rv.counts[i]
		}
	}
	order := numpyArgsort(counts)
	v := &vocab{words: make([]string, len(words)), counts: make([]int64, len(words))}
	for k := range order {
		src := order[len(order)-1-k] // argsort ascending, reversed: descending counts
		v.words[k], v.counts[k] = words[src], counts[src]
	}
	v.index = make(map[string]int32, len(v.words))
	for i, w := range v.words {
		v.index[w] = int32(i)
	}
	v.sampleInt = make([]uint32, len(v.words))
	for i, c := range v.counts {
		v.sampleInt[i] = sampleInt(c, retainTotal, o.Sample)
	}
	v.finish(o)
	return v
}

// finish builds the negative-sampling table and the Huffman tree from the counts.
func (v *vocab) finish(o *Options) {
	v.cum, v.cumMax = nil, 0
	if o.Negative > 0 {
		v.cum = cumTable(v.counts, o.NSExponent)
		if len(v.cum) > 0 {
			v.cumMax = v.cum[len(v.cum)-1]
		}
	}
	v.codeOff, v.codes, v.points = nil, nil, nil
	if o.HS {
		v.codeOff, v.codes, v.points = huffman(v.counts)
	}
}

// sampleInt is gensim's down-sampling threshold for a word seen count times among
// retainTotal retained words.
func sampleInt(count, retainTotal int64, sample float64) uint32 {
	var threshold float64
	switch {
	case sample == 0:
		threshold = float64(retainTotal)
	case sample < 1:
		threshold = sample * float64(retainTotal)
	default:
		threshold = math.Trunc(sample * (3 + math.Sqrt(5)) / 2)
	}
	v := float64(count)
	p := (math.Sqrt(v/threshold) + 1) * (threshold / v)
	if !(p < 1) { // also catches NaN from an empty corpus
		p = 1
	}
	return uint32(p * (1<<32 - 1))
}

// cumTable is gensim's make_cum_table with domain 2**31-1.
func cumTable(counts []int64, exp float64) []uint32 {
	const domain = 1<<31 - 1
	var total float64
	for _, c := range counts {
		total += math.Pow(float64(c), exp)
	}
	cum := make([]uint32, len(counts))
	var acc float64
	for i, c := range counts {
		acc += math.Pow(float64(c), exp)
		cum[i] = uint32(math.RoundToEven(acc / total * domain))
	}
	return cum
}

// huffman builds the binary tree exactly as gensim's _build_heap/_assign_binary_codes do
// (Python heapq ordered by count only), so codes and points match gensim's.
func huffman(counts []int64) (codeOff []int32, codes []uint8, points []int32) {
	n := len(counts)
	codeOff = make([]int32, n+1)
	if n == 0 {
		return codeOff, nil, nil
	}
	left, right, root := huffmanTree(counts)
	// Depth-first walk from the root, recording each leaf's path.
	depth := make([]int32, 2*n-1)
	parent := make([]int32, 2*n-1)
	bit := make([]uint8, 2*n-1)
	parent[root] = -1
	order := []int32{root}
	for k := 0; k < len(order); k++ {
		nd := order[k]
		if int(nd) >= n {
			for j, ch := range [2]int32{left[nd], right[nd]} {
				parent[ch], bit[ch], depth[ch] = nd, uint8(j), depth[nd]+1
				order = append(order, ch)
			}
		}
	}
	for i := 0; i < n; i++ {
		codeOff[i+1] = codeOff[i] + depth[i]
	}
	codes = make([]uint8, codeOff[n])
	points = make([]int32, codeOff[n])
	for i := 0; i < n; i++ {
		pos := codeOff[i+1]
		for nd := int32(i); parent[nd] >= 0; nd = parent[nd] {
			pos--
			codes[pos] = bit[nd]
			points[pos] = parent[nd] - int32(n)
		}
	}
	return codeOff, codes, points
}

// huffmanTree builds the tree of n = len(counts) > 0 leaves as gensim
// does, with Python's heapq (its siftdown and siftup, so that ties break
// the same way): nodes 0..n-1 are the leaves, n..2n-2 the inner nodes,
// each with its two children in left and right.
func huffmanTree(counts []int64) (left, right []int32, root int32) {
	n := len(counts)
	cnt := make([]int64, 2*n-1)
	left = make([]int32, 2*n-1)
	right = make([]int32, 2*n-1)
	copy(cnt, counts)
	heap := make([]int32, n)
	for i := range heap {
		heap[i] = int32(i)
	}
	less := func(a, b int32) bool { return cnt[a] < cnt[b] }
	siftdown := func(start, pos int) {
		item := heap[pos]
		for pos > start {
			parent := (pos - 1) >> 1
			if less(item, heap[parent]) {
				heap[pos] = heap[parent]
				pos = parent
				continue
			}
			break
		}
		heap[pos] = item
	}
	siftup := func(pos int) {
		end, start, item := len(heap), pos, heap[pos]
		child := 2*pos + 1
		for child < end {
			if r := child + 1; r < end && !less(heap[child], heap[r]) {
				child = r
			}
			heap[pos] = heap[child]
			pos = child
			child = 2*pos + 1
		}
		heap[pos] = item
		siftdown(start, pos)
	}
	pop := func() int32 {
		last := heap[len(heap)-1]
		heap = heap[:len(heap)-1]
		if len(heap) == 0 {
			return last
		}
		ret := heap[0]
		heap[0] = last
		siftup(0)
		return ret
	}
	for i := n/2 - 1; i >= 0; i-- {
		siftup(i)
	}
	for i := 0; i < n-1; i++ {
		a, b := pop(), pop()
		node := int32(n + i)
		cnt[node], left[node], right[node] = cnt[a]+cnt[b], a, b
		heap = append(heap, node)
		siftdown(0, len(heap)-1)
	}
	return left, right, heap[0]
}

// numpyArgsort returns the indexes that sort keys ascending, exactly as numpy 1.24's
// np.argsort(kind='quicksort') does for int64 (an introsort that is not stable), so that
// words with equal counts end up in gensim's order.
func numpyArgsort(keys []int64) []int {
	n := len(keys)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if n < 2 {
		return idx
	}
	const smallQuicksort = 15
	type span struct{ l, r, depth int }
	var stack []span
	pl, pr := 0, n-1
	cdepth := 0
	for u := uint(n); u > 1; u >>= 1 {
		cdepth++
	}
	cdepth *= 2
	for {
		if cdepth < 0 {
			aheapsort(keys, idx[pl:pr+1])
			goto pop
		}
		for pr-pl > smallQuicksort {
			pi := numpyPartition(keys, idx, pl, pr)
			cdepth--
			if pi-pl < pr-pi {
				stack = append(stack, span{pi + 1, pr, cdepth})
				pr = pi - 1
			} else {
				stack = append(stack, span{pl, pi - 1, cdepth})
				pl = pi + 1
			}
		}
		numpyInsertionSort(keys, idx, pl, pr)
	pop:
		if len(stack) == 0 {
			break
		}
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		pl, pr, cdepth = top.l, top.r, top.depth
	}
	return idx
}

// numpyPartition is one step of numpy's quicksort on idx[pl..pr] by keys:
// the median of three at pl, the middle and pr, then Hoare's partition;
// it returns the pivot's final place.
func numpyPartition(keys []int64, idx []int, pl, pr int) int {
	pm := pl + (pr-pl)>>1
	if keys[idx[pm]] < keys[idx[pl]] {
		idx[pm], idx[pl] = idx[pl], idx[pm]
	}
	if keys[idx[pr]] < keys[idx[pm]] {
		idx[pr], idx[pm] = idx[pm], idx[pr]
	}
	if keys[idx[pm]] < keys[idx[pl]] {
		idx[pm], idx[pl] = idx[pl], idx[pm]
	}
	vp := keys[idx[pm]]
	pi, pj := pl, pr-1
	idx[pm], idx[pj] = idx[pj], idx[pm]
	for {
		pi++
		for keys[idx[pi]] < vp {
			pi++
		}
		pj--
		for vp < keys[idx[pj]] {
			pj--
		}
		if pi >= pj {
			break
		}
		idx[pi], idx[pj] = idx[pj], idx[pi]
	}
	pk := pr - 1
	idx[pi], idx[pk] = idx[pk], idx[pi]
	return pi
}

// numpyInsertionSort sorts idx[pl..pr] by keys as numpy's quicksort does
// below its cut-off.
func numpyInsertionSort(keys []int64, idx []int, pl, pr int) {
	for pi := pl + 1; pi <= pr; pi++ {
		vi := idx[pi]
		vp := keys[vi]
		pj := pi
		for pj > pl && vp < keys[idx[pj-1]] {
			idx[pj] = idx[pj-1]
			pj--
		}
		idx[pj] = vi
	}
}

// aheapsort is numpy's heapsort fallback of the introsort, on idx (1-based internally).
func aheapsort(keys []int64, idx []int) {
	n := len(idx)
	a := func(i int) *int { return &idx[i-1] }
	for l := n >> 1; l > 0; l-- {
		tmp := *a(l)
		i, j := l, l<<1
		for j <= n {
			if j < n && keys[*a(j)] < keys[*a(j + 1)] {
				j++
			}
			if keys[tmp] < keys[*a(j)] {
				*a(i) = *a(j)
				i = j
				j += j
			} else {
				break
			}
		}
		*a(i) = tmp
	}
	for ; n > 1; n-- {
		tmp := *a(n)
		*a(n) = *a(1)
		i, j := 1, 2
		for j <= n-1 {
			if j < n-1 && keys[*a(j)] < keys[*a(j + 1)] {
				j++
			}
			if keys[tmp] < keys[*a(j)] {
				*a(i) = *a(j)
				i = j
				j += j
			} else {
				break
			}
		}
		*a(i) = tmp
	}
}
