package trainer

import "github.com/embeddb/embeddb/internal/vec"

// FastText CBOW, one sentence at a time, with each context word's rows read once and written
// once per sentence position instead of once per window.
//
// gensim's fasttext_fast_sentence_cbow_* sum, for every center word, all the rows (own row and
// n-gram rows) of every context word, about 150 scattered rows for a window of ten words, and
// then add the gradient to each of them: the whole cost of FastText CBOW. Yet a word stays in
// the window of up to 2·window consecutive centers, and between two of them its rows change
// only by the gradients this worker adds. So each position p of the sentence keeps, in a ring
// of 2·window+1 slots, the sum S_p of its word's rows (read once, when p enters the window)
// and the gradient D_p owed to those rows (written once, when p leaves it); a window's input
// is the sum of its S_p, and its gradient w moves each S_p by rows_p·w, exactly what gensim's
// re-reading of the updated rows would give. What this leaves out is a row's change through
// another position of the window (the same word twice, or two words sharing an n-gram
// bucket) until that position's gradient is written: a delay of a few windows, of the
// same kind as the Hogwild updates of another worker, and far smaller.

// ftSlots holds the ring of positions of the current sentence.
type ftSlots struct {
	sum   []float32 // S_p, stride floats a slot
	owed  []float32 // D_p
	rows  []float32 // how many rows position p's word has (gensim's count of it)
	dirty []bool    // D_p is not zero
	idx   []int32   // the slots of a window's context positions
}

// ftCBOWSentence trains FastText CBOW on sent (already down-sampled), drawing each center's
// reduced window as trainSentence does.
func (w *worker) ftCBOWSentence(sent []int32, alpha float32) {
	n := w.net
	o := &n.opts
	st, window, L := n.stride, o.Window, len(sent)
	ring := 2*window + 1
	s := &w.slots
	s.sum = grow(&s.sum, ring*st)
	s.owed = grow(&s.owed, ring*st)
	s.rows = grow(&s.rows, ring)
	if cap(s.dirty) < ring {
		s.dirty = make([]bool, ring)
	}
	s.dirty = s.dirty[:ring]
	for p := 0; p < min(window, L); p++ {
		w.ftLoad(sent, p, p%ring)
	}
	for i, word := range sent {
		if p := i - 1 - window; p >= 0 {
			w.ftFlush(sent, p, p%ring)
		}
		if p := i + window; p < L {
			w.ftLoad(sent, p, p%ring)
		}
		b := 0
		if o.ShrinkWindows {
			b = int(w.randUint32() % uint32(window))
		}
		j, k := max(i-window+b, 0), min(i+window+1-b, L)
		s.idx = s.idx[:0]
		for p := j; p < k; p++ {
			if p != i {
				s.idx = append(s.idx, int32(p%ring))
			}
		}
		if len(s.idx) == 0 {
			continue
		}
		w.ftCBOWWindow(word, alpha)
	}
	for p := max(L-1-window, 0); p < L; p++ {
		w.ftFlush(sent, p, p%ring)
	}
	w.sigmoid = w2vSigmoid
}

// ftLoad reads position p's rows into slot.
func (w *worker) ftLoad(sent []int32, p, slot int) {
	n, st := w.net, w.net.stride
	rows := n.rowsOf(sent[p])
	vec.PaddedSum(n.syn0, st, rows, 1, w.slots.sum[slot*st:(slot+1)*st])
	w.slots.rows[slot] = float32(len(rows))
	w.slots.dirty[slot] = false
}

// ftFlush writes the gradient position p owes to its rows.
func (w *worker) ftFlush(sent []int32, p, slot int) {
	s := &w.slots
	if !s.dirty[slot] {
		return
	}
	st := w.net.stride
	d := s.owed[slot*st : (slot+1)*st]
	vec.PaddedAdd(w.net.syn0, st, w.net.rowsOf(sent[p]), d)
	clear(d)
	s.dirty[slot] = false
}

// ftCBOWWindow trains one center word from the context slots in w.slots.idx: the hierarchical
// softmax pass, then the negative-sampling pass, each from the input as the previous pass
// left it (gensim's fasttext_fast_sentence_cbow_hs, then _neg).
func (w *worker) ftCBOWWindow(center int32, alpha float32) {
	n := w.net
	o := &n.opts
	s := &w.slots
	st := n.stride
	var count float32
	for _, sl := range s.idx {
		count += s.rows[sl]
	}
	inv := 1 / count
	scale := float32(1)
	if o.CBOWMean {
		scale = inv
	}
	for pass := 0; pass < 2; pass++ {
		m := n.syn1
		switch {
		case pass == 0 && o.HS:
			w.hsTargets(center)
			w.sigmoid = ftSkip
		case pass == 1 && o.Negative > 0:
			w.negTargets(center)
			m = n.syn1neg
			w.sigmoid = ftClamp
		default:
			continue
		}
		vec.PaddedPrefetch(m, st, w.targets)
		vec.PaddedSum(s.sum, st, s.idx, scale, w.neu1)
		w.fit(w.neu1, m, alpha)
		if !o.CBOWMean {
			for i := range w.work {
				w.work[i] *= inv
			}
		}
		vec.PaddedAdd(s.owed, st, s.idx, w.work)
		for _, sl := range s.idx {
			vec.Axpy(s.rows[sl], w.work, s.sum[int(sl)*st:], st)
			s.dirty[sl] = true
		}
	}
}
