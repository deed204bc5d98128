package trainer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/embeddb/embeddb/internal/vec"
)

// KeyedVectors is a plain table of word vectors to evaluate: any table's rows, trained or
// imported. Row i of Vectors (Dim values) belongs to Words[i]; rows are expected in the
// table's order, which is descending frequency for trained tables (restrict_vocab keeps the
// first rows).
type KeyedVectors struct {
	Words   []string
	Vectors []float32
	Dim     int
	// CaseSensitive compares words as they are spelled in the evaluations; false (the zero
	// value) upper-cases every word first, as gensim's default case_insensitive=True does.
	CaseSensitive bool
}

// fold returns w as the evaluations compare it.
func (kv *KeyedVectors) fold(w string) string {
	if kv.CaseSensitive {
		return w
	}
	return strings.ToUpper(w)
}

func (kv *KeyedVectors) check() error {
	if kv.Dim < 1 || len(kv.Vectors) != len(kv.Words)*kv.Dim {
		return fmt.Errorf("%w: %d words × dim %d, but %d values", ErrDimension, len(kv.Words), kv.Dim, len(kv.Vectors))
	}
	return nil
}

// DefaultRestrictVocab is gensim's default restrict_vocab for both evaluations.
const DefaultRestrictVocab = 300000

// okVocab maps the upper-cased form of each of the first restrict words to its row; the
// first (most frequent) of several case variants wins, as in gensim.
func (kv *KeyedVectors) okVocab(restrict int) map[string]int32 {
	m := make(map[string]int32, restrict)
	for i := restrict - 1; i >= 0; i-- {
		m[kv.fold(kv.Words[i])] = int32(i)
	}
	return m
}

func (kv *KeyedVectors) restrict(r int) int {
	if r <= 0 {
		r = DefaultRestrictVocab
	}
	return min(r, len(kv.Words))
}

// unitRows returns the first n rows normalised to unit length, padded to stride.
func (kv *KeyedVectors) unitRows(n, stride int) []float32 {
	out := make([]float32, n*stride)
	for r := 0; r < n; r++ {
		src := kv.Vectors[r*kv.Dim : (r+1)*kv.Dim]
		var s float64
		for _, v := range src {
			s += float64(v) * float64(v)
		}
		inv := float32(0)
		if s > 0 {
			inv = float32(1 / math.Sqrt(s))
		}
		dst := out[r*stride : r*stride+kv.Dim]
		for i, v := range src {
			dst[i] = v * inv
		}
	}
	return out
}

// AnalogySection is the outcome of one section of an analogy file.
type AnalogySection struct {
	// Name is the section's name ("capital-common-countries"; "Total accuracy" for the total).
	Name string
	// Correct and Incorrect count the questions answered right and wrong (skipped ones excluded).
	Correct, Incorrect int
}

// Accuracy is Correct/(Correct+Incorrect), or 0 when no question was tried.
func (s AnalogySection) Accuracy() float64 {
	if s.Correct+s.Incorrect == 0 {
		return 0
	}
	return float64(s.Correct) / float64(s.Correct+s.Incorrect)
}

// AnalogyResult is what [KeyedVectors.EvaluateWordAnalogies] returns, as gensim's
// evaluate_word_analogies does: the overall score and the per-section counts.
type AnalogyResult struct {
	// Accuracy is the overall score: Total.Accuracy().
	Accuracy float64
	// Sections are the file's sections, in order.
	Sections []AnalogySection
	// Total sums all sections ("Total accuracy").
	Total AnalogySection
	// Questions is the number of well-formed question lines.
	Questions int
	// OOV is the number of questions skipped because a word is not among the first
	// restrict_vocab words.
	OOV int
}

type analogyQ struct {
	section    int
	a, b, c    int32
	ua, ub, uc string
	expected   string
}

// EvaluateWordAnalogies scores the vectors on an analogy test set in the questions-words.txt
// format (": section" lines, then "a b c d" lines) exactly as gensim's
// KeyedVectors.evaluate_word_analogies with dummy4unknown=False and case_insensitive as
// kv.CaseSensitive says (gensim's default, case-insensitive, for the zero value):
// only the first restrictVocab rows are used (0 = 300,000); questions with a word outside
// them are skipped; each question is answered by 3CosAdd (the nearest row to
// unit(b) - unit(a) + unit(c) by cosine, ignoring a, b and c). It runs on all CPUs.
func (kv *KeyedVectors) EvaluateWordAnalogies(ctx context.Context, r io.Reader, restrictVocab int) (*AnalogyResult, error) {
	if err := kv.check(); err != nil {
		return nil, err
	}
	n := kv.restrict(restrictVocab)
	ok := kv.okVocab(n)
	res := &AnalogyResult{}
	var qs []analogyQ
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	lineNo := 0
	for sc.Scan() {
		line := sc.Text()
		lineNo++
		if strings.HasPrefix(line, ": ") {
			res.Sections = append(res.Sections, AnalogySection{Name: strings.TrimSpace(strings.TrimLeft(line, ": "))})
			continue
		}
		if len(res.Sections) == 0 {
			return nil, fmt.Errorf("%w: missing section header before line %d", ErrBadEvalFile, lineNo)
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			continue
		}
		for i := range f {
			f[i] = kv.fold(f[i])
		}
		res.Questions++
		ia, oka := ok[f[0]]
		ib, okb := ok[f[1]]
		ic, okc := ok[f[2]]
		_, okd := ok[f[3]]
		if !oka || !okb || !okc || !okd {
			res.OOV++
			continue
		}
		qs = append(qs, analogyQ{section: len(res.Sections) - 1, a: ia, b: ib, c: ic,
			ua: f[0], ub: f[1], uc: f[2], expected: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read analogies: %w", err)
	}
	if len(res.Sections) == 0 {
		return nil, fmt.Errorf("%w: no section header", ErrBadEvalFile)
	}
	correct, err := kv.answerAnalogies(ctx, qs, n)
	if err != nil {
		return nil, err
	}
	for i, q := range qs {
		if correct[i] {
			res.Sections[q.section].Correct++
		} else {
			res.Sections[q.section].Incorrect++
		}
	}
	res.Total.Name = "Total accuracy"
	for _, s := range res.Sections {
		res.Total.Correct += s.Correct
		res.Total.Incorrect += s.Incorrect
	}
	res.Accuracy = res.Total.Accuracy()
	return res, nil
}

const (
	analogyTopN   = 5 // gensim asks most_similar for topn=5
	analogyKeep   = analogyTopN + 3
	analogyBatch  = 64
	analogyTile   = 512
	analogyStride = 8
)

type scored struct {
	score float32
	row   int32
}

// answerAnalogies answers every question, in parallel batches: a tile of rows stays in
// cache while a batch of queries is scored against it.
func (kv *KeyedVectors) answerAnalogies(ctx context.Context, qs []analogyQ, n int) ([]bool, error) {
	stride := strideFor(kv.Dim)
	unit := kv.unitRows(n, stride)
	ident := make([]int32, analogyTile)
	for i := range ident {
		ident[i] = int32(i)
	}
	correct := make([]bool, len(qs))
	nb := (len(qs) + analogyBatch - 1) / analogyBatch
	var next sync.Mutex
	batch := 0
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(nb, 1))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			query := make([]float32, analogyBatch*stride)
			top := make([][]scored, analogyBatch)
			for i := range top {
				top[i] = make([]scored, 0, analogyKeep)
			}
			scores := make([]float32, analogyTile)
			for {
				next.Lock()
				b := batch
				batch++
				next.Unlock()
				if b >= nb || ctx.Err() != nil {
					return
				}
				lo, hi := b*analogyBatch, min((b+1)*analogyBatch, len(qs))
				for i := lo; i < hi; i++ {
					q := &qs[i]
					dst := query[(i-lo)*stride : (i-lo+1)*stride]
					ra, rb, rc := unit[int(q.a)*stride:], unit[int(q.b)*stride:], unit[int(q.c)*stride:]
					for d := range dst {
						dst[d] = rb[d] - ra[d] + rc[d]
					}
					top[i-lo] = top[i-lo][:0]
				}
				for t0 := 0; t0 < n; t0 += analogyTile {
					tn := min(analogyTile, n-t0)
					tile := unit[t0*stride:]
					for i := lo; i < hi; i++ {
						q := &qs[i]
						vec.PaddedDot(query[(i-lo)*stride:], tile, stride, ident[:tn], scores)
						tp := top[i-lo]
						for j := 0; j < tn; j++ {
							s := scores[j]
							if len(tp) == analogyKeep && !(s > tp[analogyKeep-1].score) {
								continue
							}
							row := int32(t0 + j)
							if row == q.a || row == q.b || row == q.c {
								continue
							}
							tp = insertTop(tp, scored{s, row})
						}
						top[i-lo] = tp
					}
				}
				for i := lo; i < hi; i++ {
					q := &qs[i]
					var predicted string
					for k, s := range top[i-lo] {
						if k == analogyTopN {
							break
						}
						predicted = kv.fold(kv.Words[s.row])
						if predicted != q.ua && predicted != q.ub && predicted != q.uc {
							break
						}
					}
					correct[i] = predicted == q.expected
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return correct, nil
}

// insertTop inserts s into tp, kept sorted by descending score (earlier rows first among
// equal scores) and at most analogyKeep long.
func insertTop(tp []scored, s scored) []scored {
	i := len(tp)
	for i > 0 && s.score > tp[i-1].score {
		i--
	}
	if len(tp) < analogyKeep {
		tp = append(tp, scored{})
	} else if i >= analogyKeep {
		return tp
	}
	copy(tp[i+1:], tp[i:len(tp)-1])
	tp[i] = s
	return tp
}

// PairsResult is what [KeyedVectors.EvaluateWordPairs] returns, as gensim's
// evaluate_word_pairs: correlations of the model's cosine similarities with human scores.
type PairsResult struct {
	// Pearson is Pearson's r between human scores and cosine similarities.
	Pearson float64
	// Spearman is Spearman's rank correlation rho (ties get average ranks, as scipy).
	Spearman float64
	// OOVRatio is the percentage of pairs skipped for an unknown word (gensim's oov_ratio).
	OOVRatio float64
	// Pairs is the number of pairs evaluated; OOV the number skipped.
	Pairs, OOV int
}

// EvaluateWordPairs scores the vectors on a word-similarity set (wordsim353.tsv /
// simlex999.txt format: "word1<TAB>word2<TAB>score" lines, '#' comments) exactly as gensim's
// evaluate_word_pairs with its defaults (tab delimiter, case-insensitive, restrictVocab
// 0 = 300,000, pairs with unknown words skipped).
func (kv *KeyedVectors) EvaluateWordPairs(ctx context.Context, r io.Reader, restrictVocab int) (*PairsResult, error) {
	if err := kv.check(); err != nil {
		return nil, err
	}
	n := kv.restrict(restrictVocab)
	ok := kv.okVocab(n)
	var gold, model []float64
	res := &PairsResult{}
	br := bufio.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		line, err := br.ReadString('\n')
		if line != "" && !strings.HasPrefix(line, "#") {
			f := strings.Split(line, "\t")
			if len(f) == 3 {
				sim, perr := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
				if perr == nil {
					a, b := kv.fold(f[0]), kv.fold(f[1])
					ia, oka := ok[a]
					ib, okb := ok[b]
					if !oka || !okb {
						res.OOV++
					} else {
						gold = append(gold, sim)
						model = append(model, float64(kv.cosine(ia, ib)))
					}
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read pairs: %w", err)
		}
	}
	if len(gold) == 0 {
		return nil, fmt.Errorf("%w: no pair with both words known", ErrBadEvalFile)
	}
	res.Pairs = len(gold)
	res.Pearson = pearson(gold, model)
	res.Spearman = pearson(rankAverage(gold), rankAverage(model))
	res.OOVRatio = float64(res.OOV) / float64(res.Pairs+res.OOV) * 100
	return res, nil
}

// cosine is the float32 cosine similarity of rows a and b.
func (kv *KeyedVectors) cosine(a, b int32) float32 {
	va := kv.Vectors[int(a)*kv.Dim : int(a+1)*kv.Dim]
	vb := kv.Vectors[int(b)*kv.Dim : int(b+1)*kv.Dim]
	var ab, aa, bb float64
	for i := range va {
		ab += float64(va[i]) * float64(vb[i])
		aa += float64(va[i]) * float64(va[i])
		bb += float64(vb[i]) * float64(vb[i])
	}
	if aa == 0 || bb == 0 {
		return 0
	}
	return float32(ab / math.Sqrt(aa*bb))
}

func pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return max(-1, min(1, sxy/math.Sqrt(sxx*syy)))
}

// rankAverage ranks x from 1, giving tied values their average rank (scipy's rankdata).
func rankAverage(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	ranks := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			ranks[idx[k]] = r
		}
		i = j + 1
	}
	return ranks
}
