package trainer

// This file holds the one deliberate data race of the package: the Hogwild updates (FastText's
// too, which follow the same scheme over the n-gram rows).
//
// Like the word2vec C tool and gensim, the training goroutines read and write the shared
// weight matrices (syn0, syn1neg, syn1) without any lock. Two goroutines may update the
// same row at the same time; one update can then be partly lost or read half-done. That is
// the Hogwild! scheme (Recht et al. 2011): with many rows and sparse updates, collisions are
// rare and harmless to the quality of the result, and locking would cost far more than it
// saves. Nothing else is shared without synchronisation: counters are atomics, the corpus
// blocks travel over channels, and each worker has its own random state and scratch space.
//
// The race detector would rightly flag these accesses, so the package's -race tests train
// with Workers = 1, and the multi-worker tests skip themselves under -race (race_test.go).

import (
	"math"

	"github.com/embeddb/embeddb/internal/vec"
)

const (
	expTableSize = 1000
	maxExp       = 6
)

// expTable is the sigmoid on [-maxExp, maxExp), computed as gensim computes it in float32.
var expTable = func() [expTableSize]float32 {
	var t [expTableSize]float32
	for i := range t {
		x := (float32(i)/float32(expTableSize)*2 - 1) * maxExp
		e := float32(math.Exp(float64(x)))
		t[i] = e / (e + 1)
	}
	return t
}()

// gradient returns (label - sigmoid(f))·alpha, or 0 when f is outside (-maxExp, maxExp),
// as gensim does.
func gradient(f, label, alpha float32) float32 {
	if f <= -maxExp || f >= maxExp {
		return 0
	}
	return (label - expTable[int((float64(f)+maxExp)*(expTableSize/maxExp/2.0))]) * alpha
}

// lcgMul and lcgAdd are the word2vec C tool's (and gensim's) linear congruential generator.
const (
	lcgMul  = 25214903917
	lcgAdd  = 11
	lcgMask = 1<<48 - 1
)

// randUint32 is gensim's random_int32: 32 random bits, then one LCG step.
func (w *worker) randUint32() uint32 {
	r := uint32(w.rnd >> 16)
	w.rnd = (w.rnd*lcgMul + lcgAdd) & lcgMask
	return r
}

// negative draws a noise word from the unigram^ns_exponent table (gensim's bisect_left on
// cum_table), then advances the generator.
func (w *worker) negative() int32 {
	v := w.voc
	// gensim takes (next_random >> 16) % cum_table[-1]; a multiply-shift maps the same 32
	// random bits onto [0, cumMax) just as uniformly, without a 64-bit division.
	x := uint32((uint64(uint32(w.rnd>>16)) * uint64(v.cumMax)) >> 32)
	w.rnd = (w.rnd*lcgMul + lcgAdd) & lcgMask
	b := x >> guideShift
	lo, hi := w.guide[b], w.guide[b+1]
	cum := v.cum
	for hi > lo {
		mid := (lo + hi) >> 1
		if cum[mid] >= x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return int32(lo)
}

// trainSentence trains on one sentence of vocabulary indexes (already down-sampled).
func (w *worker) trainSentence(sent []int32, alpha float32) {
	o := &w.net.opts
	window := o.Window
	for i, word := range sent {
		b := 0
		if o.ShrinkWindows {
			b = int(w.randUint32() % uint32(window))
		}
		j := max(i-window+b, 0)
		k := min(i+window+1-b, len(sent))
		w.ctx = w.ctx[:0]
		w.ctx = append(w.ctx, sent[j:i]...)
		w.ctx = append(w.ctx, sent[i+1:k]...)
		if len(w.ctx) == 0 {
			continue
		}
		if w.net.sub != nil { // FastText
			if o.SkipGram {
				w.ftSkipGram(word, w.ctx, alpha)
			} else {
				w.ftCBOW(word, w.ctx, alpha)
			}
			continue
		}
		if o.SkipGram {
			if o.HS {
				for _, c := range w.ctx {
					w.sgPairHS(word, c, alpha)
				}
			}
			if o.Negative > 0 {
				w.sgWindowNeg(word, w.ctx, alpha)
			}
		} else {
			w.cbow(word, w.ctx, alpha)
		}
	}
}

// sgPairHS trains skip-gram with hierarchical softmax on one (center, context) pair: the
// context word's input vector predicts the center word's Huffman path, as in gensim.
func (w *worker) sgPairHS(center, context int32, alpha float32) {
	n := w.net
	st := n.stride
	l1 := n.syn0[int(context)*st : int(context)*st+st]
	w.hsTargets(center)
	w.fit(l1, n.syn1, alpha)
	vec.Axpy(1, w.work, l1, st)
}

// sgWindowNeg trains skip-gram with negative sampling for one center word and all its
// context words at once, sharing one draw of noise words across the window (Ji et al. 2016,
// "Parallelizing Word2Vec in Shared and Distributed Memory"). gensim draws fresh noise words
// for every (center, context) pair; sharing them turns 2·window separate vector updates into
// three small matrix products over rows that stay in cache, which is what makes this loop
// fast. Each context word still predicts the center word against Negative noise words, with
// gensim's gradients; all scores are taken before any row is updated.
func (w *worker) sgWindowNeg(center int32, ctx []int32, alpha float32) {
	n := w.net
	st := n.stride
	w.negTargets(center)
	tg := w.targets
	nt, nc := len(tg), len(ctx)
	dots := grow(&w.mdots, nc*nt)
	g := grow(&w.gm, nc*nt)
	gT := grow(&w.gT, nc*nt)
	for j, c := range ctx {
		vec.PaddedDot(n.syn0[int(c)*st:], n.syn1neg, st, tg, dots[j*nt:(j+1)*nt])
	}
	for j := 0; j < nc; j++ {
		for t := 0; t < nt; t++ {
			gt := gradient(dots[j*nt+t], w.labels[t], alpha)
			g[j*nt+t] = gt
			gT[t*nc+j] = gt
		}
	}
	works := grow(&w.works, nc*st)
	clear(works)
	for j := 0; j < nc; j++ {
		vec.PaddedGemvAdd(n.syn1neg, st, tg, g[j*nt:(j+1)*nt], works[j*st:(j+1)*st])
	}
	for t, r := range tg {
		vec.PaddedGemvAdd(n.syn0, st, ctx, gT[t*nc:(t+1)*nc], n.syn1neg[int(r)*st:int(r)*st+st])
	}
	for j, c := range ctx {
		vec.Axpy(1, works[j*st:(j+1)*st], n.syn0[int(c)*st:], st)
	}
}

// grow returns (*s)[:n], reallocating when the capacity is short.
func grow(s *[]float32, n int) []float32 {
	if cap(*s) < n {
		*s = make([]float32, n)
	}
	*s = (*s)[:n]
	return *s
}

// cbow trains CBOW for one center word from the context words ctx.
func (w *worker) cbow(center int32, ctx []int32, alpha float32) {
	n := w.net
	st := n.stride
	inv := 1 / float32(len(ctx))
	scale := float32(1)
	if w.net.opts.CBOWMean {
		scale = inv
	}
	for pass := 0; pass < 2; pass++ {
		m := n.syn1
		switch {
		case pass == 0 && w.net.opts.HS:
			w.hsTargets(center)
		case pass == 1 && w.net.opts.Negative > 0:
			w.negTargets(center)
			m = n.syn1neg
		default:
			continue
		}
		// The target rows are scattered in memory: start loading them while the context
		// rows (recently used, so cached) are summed.
		vec.PaddedPrefetch(m, st, w.targets)
		vec.PaddedSum(n.syn0, st, ctx, scale, w.neu1)
		w.fit(w.neu1, m, alpha)
		if !w.net.opts.CBOWMean {
			for i := range w.work {
				w.work[i] *= inv
			}
		}
		vec.PaddedAdd(n.syn0, st, ctx, w.work)
	}
}

// negTargets fills w.targets and w.labels with the center word (label 1) and the noise
// words (label 0; a draw equal to the center word is skipped, as in gensim).
func (w *worker) negTargets(center int32) {
	w.targets = append(w.targets[:0], center)
	w.labels = append(w.labels[:0], 1)
	for d := 0; d < w.net.opts.Negative; d++ {
		t := w.negative()
		if t == center {
			continue
		}
		w.targets = append(w.targets, t)
		w.labels = append(w.labels, 0)
	}
}

// hsTargets fills w.targets and w.labels with the center word's Huffman path.
func (w *worker) hsTargets(center int32) {
	v := w.voc
	lo, hi := v.codeOff[center], v.codeOff[center+1]
	w.targets = append(w.targets[:0], v.points[lo:hi]...)
	w.labels = w.labels[:0]
	for _, c := range v.codes[lo:hi] {
		w.labels = append(w.labels, float32(1-c))
	}
}

// fit scores l1 against the target rows of m, then sets w.work to the gradient for l1 and
// updates the target rows (the output-layer half of gensim's fast_sentence_* routines).
// All dot products are taken before any row is updated.
func (w *worker) fit(l1, m []float32, alpha float32) {
	st := w.net.stride
	k := len(w.targets)
	if cap(w.dots) < k {
		w.dots = make([]float32, k)
	}
	w.dots = w.dots[:k]
	vec.PaddedDot(l1, m, st, w.targets, w.dots)
	live := w.live[:0]
	g := w.g[:0]
	for t := 0; t < k; t++ {
		if gt := gradient(w.dots[t], w.labels[t], alpha); gt != 0 {
			live = append(live, w.targets[t])
			g = append(g, gt)
		}
	}
	w.live, w.g = live, g
	clear(w.work)
	vec.PaddedUpdate(l1, m, st, live, g, w.work)
}

// ftSkipGram trains FastText skip-gram for one center word and its context words, as gensim's
// fasttext_fast_sentence_sg_* do: the center word's input is the mean of its own row and its
// n-grams' rows, and it predicts each context word (against Negative noise words drawn per
// context word, as gensim draws them, and/or along its Huffman path). The input is composed
// once per window and its gradient, summed over the window, is added to those rows once:
// composing and updating a dozen n-gram rows per (center, context) pair is what makes
// gensim's FastText slow.
func (w *worker) ftSkipGram(center int32, ctx []int32, alpha float32) {
	n := w.net
	st := n.stride
	rows := n.rowsOf(center)
	vec.PaddedPrefetch(n.syn0, st, rows)
	vec.PaddedSum(n.syn0, st, rows, 1/float32(len(rows)), w.neu1)
	acc := grow(&w.works, st)
	clear(acc)
	if n.opts.HS {
		w.targets, w.labels = w.targets[:0], w.labels[:0]
		v := w.voc
		for _, c := range ctx {
			lo, hi := v.codeOff[c], v.codeOff[c+1]
			w.targets = append(w.targets, v.points[lo:hi]...)
			for _, code := range v.codes[lo:hi] {
				w.labels = append(w.labels, float32(1-code))
			}
		}
		w.fit(w.neu1, n.syn1, alpha)
		vec.Axpy(1, w.work, acc, st)
	}
	if n.opts.Negative > 0 {
		w.targets, w.labels = w.targets[:0], w.labels[:0]
		for _, c := range ctx {
			w.targets = append(w.targets, c)
			w.labels = append(w.labels, 1)
			for d := 0; d < n.opts.Negative; d++ {
				if t := w.negative(); t != c {
					w.targets = append(w.targets, t)
					w.labels = append(w.labels, 0)
				}
			}
		}
		w.fit(w.neu1, n.syn1neg, alpha)
		vec.Axpy(1, w.work, acc, st)
	}
	vec.PaddedAdd(n.syn0, st, rows, acc)
}

// ftCBOW trains FastText CBOW: the input is the mean (or, with cbow_mean = 0, the sum) of
// every row of every context word, its own and its n-grams', each row counted once per
// occurrence as gensim counts it; the gradient goes to all those rows.
func (w *worker) ftCBOW(center int32, ctx []int32, alpha float32) {
	rows := w.rows[:0]
	for _, c := range ctx {
		rows = append(rows, w.net.rowsOf(c)...)
	}
	w.rows = rows
	w.cbow(center, rows, alpha)
}
