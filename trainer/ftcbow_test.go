package trainer

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
)

// refFtCBOW is FastText CBOW as gensim's fasttext_fast_sentence_cbow_neg computes it, window
// after window: every row of every context word is read for each center and written after it.
func (w *worker) refFtCBOW(sent []int32, alpha float32) {
	o := &w.net.opts
	for i, word := range sent {
		b := 0
		if o.ShrinkWindows {
			b = int(w.randUint32() % uint32(o.Window))
		}
		j, k := max(i-o.Window+b, 0), min(i+o.Window+1-b, len(sent))
		var rows []int32
		for p := j; p < k; p++ {
			if p != i {
				rows = append(rows, w.net.rowsOf(sent[p])...)
			}
		}
		if len(rows) == 0 {
			continue
		}
		w.cbow(word, rows, alpha)
	}
	w.sigmoid = w2vSigmoid
}

// TestFtCBOWSentence_MatchesPerWindow checks the ring of per-position sums against the
// per-window reading of every row: with no row shared by two positions of a window (distinct
// words, no common n-gram bucket) the two must agree to rounding, for the mean and the sum.
func TestFtCBOWSentence_MatchesPerWindow(t *testing.T) {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
		"india", "kilo", "lima", "mike", "november", "oscar", "papa"}
	text := ""
	for r := 0; r < 3; r++ {
		for _, w := range words {
			text += w + " "
		}
		text += "\n"
	}
	for _, mean := range []bool{true, false} {
		o := DefaultOptions()
		o.Kind, o.SkipGram, o.CBOWMean, o.MinCount, o.Sample, o.Workers = FastText, false, mean, 1, 0, 1
		o.VectorSize, o.Bucket, o.Window = 20, 1<<20, 3
		if err := o.Validate(); err != nil {
			t.Fatal(err)
		}
		var counted atomic.Int64
		rv, _, err := scanVocab(context.Background(), Text(text), &o, &counted)
		if err != nil {
			t.Fatal(err)
		}
		v := buildVocab(rv, &o)
		nets := [2]*net{newNet(v, o), newNet(v, o)}
		seen := map[int32]bool{}
		for i := 0; i < nets[0].n; i++ {
			for _, r := range nets[0].rowsOf(int32(i)) {
				if seen[r] {
					t.Fatalf("row %d shared: the test needs words without common n-gram buckets", r)
				}
				seen[r] = true
			}
		}
		var sent []int32
		for _, w := range words {
			sent = append(sent, v.index[w])
		}
		for k, n := range nets {
			n.initRows(1, 0)
			n.buildGuide()
			w := n.newWorker(0)
			for e := 0; e < 3; e++ {
				if k == 0 {
					w.ftCBOWSentence(sent, 0.05)
				} else {
					w.refFtCBOW(sent, 0.05)
				}
			}
		}
		for name, m := range map[string][2][]float32{"syn0": {nets[0].syn0, nets[1].syn0},
			"syn1neg": {nets[0].syn1neg, nets[1].syn1neg}} {
			moved := false
			for i := range m[0] {
				if d := math.Abs(float64(m[0][i] - m[1][i])); d > 1e-5 {
					t.Fatalf("cbow_mean=%v: %s[%d] = %g, per window %g", mean, name, i, m[0][i], m[1][i])
				}
				moved = moved || m[0][i] != 0 && name == "syn1neg"
			}
			if name == "syn1neg" && !moved {
				t.Fatalf("cbow_mean=%v: nothing trained", mean)
			}
		}
	}
}
