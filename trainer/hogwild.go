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
var expTable = func() (t [expTableSize]float32) { fillSigmoid(t[:], maxExp); return t }()

// fillSigmoid fills t with the sigmoid at len(t) even steps over [-limit, limit), in float32
// as gensim's EXP_TABLE.
func fillSigmoid(t []float32, limit float32) {
	for i := range t {
		x := (float32(i)/float32(len(t))*2 - 1) * limit
		e := float32(math.Exp(float64(x)))
		t[i] = e / (e + 1)
	}
}

// gradient returns (label - sigmoid(f))·alpha, or 0 when f is outside (-maxExp, maxExp),
// as gensim does.
func gradient(f, label, alpha float32) float32 {
	if f <= -maxExp || f >= maxExp {
		return 0
	}
	return (label - expTable[int((float64(f)+maxExp)*(expTableSize/maxExp/2.0))]) * alpha
}

// ftExpTableSize and ftMaxExp are gensim FastText's sigmoid table (fasttext_inner.pyx, after
// Facebook's fastText): 512 slots on [-8, 8), where Word2Vec's has 1000 on [-6, 6).
const (
	ftExpTableSize = 512
	ftMaxExp       = 8
)

var ftExpTable = func() (t [ftExpTableSize]float32) { fillSigmoid(t[:], ftMaxExp); return t }()

// sigmoidKind says which of gensim's sigmoid rules a worker's fit applies.
type sigmoidKind uint8

const (
	w2vSigmoid sigmoidKind = iota // Word2Vec: the 1000-slot table; no update outside (-6, 6)
	ftSkip                        // FastText skip-gram and hierarchical softmax: 512 slots, no update outside (-8, 8)
	ftClamp                       // FastText CBOW with negative sampling: outside (-8, 8) the sigmoid is 0 or 1
)

// grad is (label - sigmoid(f))·alpha under the worker's current sigmoid rule.
func (w *worker) grad(f, label, alpha float32) float32 {
	if w.sigmoid == w2vSigmoid {
		return gradient(f, label, alpha)
	}
	var s float32
	switch {
	case f > -ftMaxExp && f < ftMaxExp:
		s = ftExpTable[int((f+ftMaxExp)*(ftExpTableSize/ftMaxExp/2))]
	case w.sigmoid == ftSkip:
		return 0
	case f >= ftMaxExp:
		s = 1
	}
	return (label - s) * alpha
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
	if w.net.sub != nil && !o.SkipGram {
		w.ftCBOWSentence(sent, alpha)
		return
	}
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
			w.ftSkipGram(word, w.ctx, alpha) // CBOW: ftCBOWSentence
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
			if n.sub != nil {
				w.sigmoid = ftSkip
			}
		case pass == 1 && w.net.opts.Negative > 0:
			w.negTargets(center)
			m = n.syn1neg
			if n.sub != nil {
				w.sigmoid = ftClamp
			}
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
		if gt := w.grad(w.dots[t], w.labels[t], alpha); gt != 0 {
			live = append(live, w.targets[t])
			g = append(g, gt)
		}
	}
	w.live, w.g = live, g
	clear(w.work)
	vec.PaddedUpdate(l1, m, st, live, g, w.work)
}

// ftSkipGram trains FastText skip-gram for one center word and its context words exactly as
// gensim's fasttext_fast_sentence_sg_* do, one (center, context) pair after the other: the
// center word's input is its own row plus its n-grams' rows, divided by the number of n-grams
// (gensim's norm_factor; not by the number of rows), and it predicts each context word
// against Negative noise words drawn for that pair and/or along its Huffman path. gensim then
// adds the pair's gradient to every one of those rows and composes the input again for the
// next pair. Here the rows are written once per window, with the summed gradient, and the
// input is moved by what gensim's recomposition would give instead (each row moved by work
// moves the input by rows/n·work), so every pair sees the input gensim's would, at the
// cost of one vector update per pair rather than two passes over a dozen rows or more.
// (A word whose n-grams share a bucket moves that row more; the input then moves slightly
// less here than in gensim, which recomposes.)
func (w *worker) ftSkipGram(center int32, ctx []int32, alpha float32) {
	n := w.net
	st := n.stride
	rows := n.rowsOf(center)
	vec.PaddedPrefetch(n.syn0, st, rows)
	scale := float32(1)
	if len(rows) > 1 {
		scale = 1 / float32(len(rows)-1)
	}
	vec.PaddedSum(n.syn0, st, rows, scale, w.neu1)
	step := float32(len(rows)) * scale
	acc := grow(&w.works, st)
	clear(acc)
	w.sigmoid = ftSkip
	for _, c := range ctx {
		if n.opts.HS {
			w.hsTargets(c)
			w.fit(w.neu1, n.syn1, alpha)
			vec.Axpy(1, w.work, acc, st)
			vec.Axpy(step, w.work, w.neu1, st)
		}
		if n.opts.Negative > 0 {
			w.negTargets(c)
			w.fit(w.neu1, n.syn1neg, alpha)
			vec.Axpy(1, w.work, acc, st)
			vec.Axpy(step, w.work, w.neu1, st)
		}
	}
	w.sigmoid = w2vSigmoid
	vec.PaddedAdd(n.syn0, st, rows, acc)
}
