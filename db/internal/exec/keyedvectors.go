package exec

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/emd"
	"github.com/embeddb/embeddb/query"
)

// The KeyedVectors queries of gensim that are not nearest-neighbour searches by cosine:
// NEAREST_COSMUL (most_similar_cosmul), DOESNT_MATCH (doesnt_match), MEAN_VECTOR
// (get_mean_vector) and WMDISTANCE (wmdistance). Words are looked up as VECTOR looks them
// up, so a FastText table answers for unseen words too, as gensim's FastTextKeyedVectors does.

// kvWord is a looked-up word: its row (noRow when it has none) and its vector.
type kvWord struct {
	word string
	id   uint32
	vec  []float32
}

// lookup finds word's vector; ok is false when the table has no vector for it.
func (s *scope) lookup(n query.Node, word string) (w kvWord, ok bool, err error) {
	id, vec, err := s.wordRow(n, word)
	if err != nil {
		if errors.Is(err, store.ErrNoWord) {
			return kvWord{}, false, nil
		}
		return kvWord{}, false, err
	}
	return kvWord{word: word, id: id, vec: vec}, true, nil
}

// unit returns v scaled to unit length in float32, as gensim's get_vector(norm=True); a zero
// vector stays zero.
func unit(v []float32) []float32 {
	n := index.Norm(v)
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	for i, f := range v {
		out[i] = float32(float64(f) / n)
	}
	return out
}

// doesntMatch runs DOESNT_MATCH(word, word, ...): the word farthest from the mean of the
// words' unit vectors (gensim's doesnt_match via rank_by_centrality). Words without a vector
// are left out, as gensim leaves them out (with a warning); none left is an error.
func (s *scope) doesntMatch(x *query.Call) (any, error) {
	if err := arity(x, 1, math.MaxInt32); err != nil {
		return nil, err
	}
	var used []kvWord
	for _, a := range x.Args {
		w, err := s.stringArgOf(a, "DOESNT_MATCH")
		if err != nil {
			return nil, err
		}
		kw, ok, err := s.lookup(a, w)
		if err != nil {
			return nil, err
		}
		if ok {
			kw.vec = unit(kw.vec)
			used = append(used, kw)
		}
	}
	if len(used) == 0 {
		return nil, plan.ErrAt(x, store.ErrNoWord, "DOESNT_MATCH: none of the words is in %s", s.t.Name())
	}
	dim := len(used[0].vec)
	mean := make([]float32, dim)
	for _, w := range used {
		for i, f := range w.vec {
			mean[i] += f
		}
	}
	for i := range mean {
		mean[i] /= float32(len(used))
	}
	mean = unit(mean)
	// sorted(zip(dists, words), reverse=True)[-1]: the least (distance, word) pair.
	worst, worstD := "", math.Inf(1)
	for _, w := range used {
		var d float32
		for i, f := range w.vec {
			d += f * mean[i]
		}
		if dd := float64(d); dd < worstD || dd == worstD && w.word < worst {
			worst, worstD = w.word, dd
		}
	}
	return worst, nil
}

// stringArgOf evaluates a that must be a string.
func (s *scope) stringArgOf(a query.Expr, fn string) (string, error) {
	v, err := s.eval(a)
	if err != nil {
		return "", err
	}
	str, ok := v.(string)
	if !ok {
		return "", plan.ErrAt(a, nil, "%s takes words (strings), found %s", fn, describeValue(v))
	}
	return str, nil
}

// nearestCosmul runs SELECT NEAREST_COSMUL(x, k): gensim's most_similar_cosmul (Levy and
// Goldberg 2014, with similarities shifted to [0, 1]): every row scores
// Π (1 + cos(row, p))/2 over the added words p, divided by Π (1 + cos(row, n))/2 + 1e-6 over
// the subtracted words n. x is a word or a sum of VECTOR('word') terms with signs; the words
// themselves are left out of the answer.
func (s *scope) nearestCosmul(call *query.Call) ([][]any, error) {
	k, err := s.topn(call)
	if err != nil {
		return nil, err
	}
	pos, neg, exclude, err := s.cosmulTerms(call)
	if err != nil {
		return nil, err
	}
	hits, err := s.cosmulScan(pos, neg, exclude)
	if err != nil {
		return nil, plan.At(call, err)
	}
	slices.SortFunc(hits, func(a, b cosmulHit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	hits = hits[:min(len(hits), int(k))]
	names, _, _, err := s.e.st.RowNames(s.t)
	if err != nil {
		return nil, plan.At(call, err)
	}
	rows := make([][]any, len(hits))
	for i, h := range hits {
		var w string
		if int(h.id) < len(names) {
			w = names[h.id]
		}
		rows[i] = []any{w, float32(h.score)}
	}
	return rows, nil
}

// cosmulTerms reads NEAREST_COSMUL's words: the unit vectors of those
// added (pos) and subtracted (neg), and their rows, left out of the answer.
func (s *scope) cosmulTerms(call *query.Call) (pos, neg [][]float64, exclude []uint32, err error) {
	terms, ok := s.linearTerms(call.Args[0], 1, nil)
	if !ok || len(terms) == 0 {
		return nil, nil, nil, plan.ErrAt(call.Args[0], nil, "NEAREST_COSMUL takes a word or words added and subtracted, as VECTOR('king') - VECTOR('man') + VECTOR('woman')")
	}
	for _, tm := range terms {
		if tm.weight != 1 && tm.weight != -1 {
			return nil, nil, nil, plan.ErrAt(tm.key, nil, "NEAREST_COSMUL adds or subtracts whole words: no weights")
		}
		var id uint32
		var vec []float32
		if c, isCall := tm.key.(*query.Call); isCall {
			id, vec, err = s.tokenRow(c)
		} else {
			var w string
			if w, err = s.stringArgOf(tm.key, "NEAREST_COSMUL"); err == nil {
				id, vec, err = s.wordRow(tm.key, w)
			}
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if id != noRow {
			exclude = append(exclude, id)
		}
		u := unit(vec)
		f := make([]float64, len(u))
		for i, x := range u {
			f[i] = float64(x)
		}
		if tm.weight > 0 {
			pos = append(pos, f)
		} else {
			neg = append(neg, f)
		}
	}
	if len(pos) == 0 {
		return nil, nil, nil, plan.ErrAt(call.Args[0], nil, "NEAREST_COSMUL needs at least one word added")
	}
	return pos, neg, exclude, nil
}

// cosmulHit is a row and its NEAREST_COSMUL score.
type cosmulHit struct {
	id    uint32
	score float64
}

// cosmulScan scores every live row but those excluded, as gensim's
// most_similar_cosmul does.
func (s *scope) cosmulScan(pos, neg [][]float64, exclude []uint32) ([]cosmulHit, error) {
	var hits []cosmulHit
	err := s.t.ForEachLiveChunk(func(ids []uint32, vecs []float32) error {
		if err := s.e.ctx.Err(); err != nil {
			return err
		}
		dim := s.t.Dim()
		for r, id := range ids {
			if slices.Contains(exclude, id) {
				continue
			}
			row := vecs[r*dim : (r+1)*dim]
			norm := index.Norm(row)
			if norm == 0 {
				continue
			}
			p, q := 1.0, 1.0
			for _, t := range pos {
				p *= (1 + dot64(row, t)/norm) / 2
			}
			for _, t := range neg {
				q *= (1 + dot64(row, t)/norm) / 2
			}
			if len(neg) == 0 {
				q = 1 // prod of nothing; gensim divides by 1 + 1e-6 then
			}
			hits = append(hits, cosmulHit{id, p / (q + 1e-6)})
		}
		return nil
	})
	return hits, err
}

// topn checks the arguments of NEAREST(x [, k]) or NEAREST_COSMUL(x [, k]) and returns k
// (gensim's topn, 10 when not given).
func (s *scope) topn(call *query.Call) (int64, error) {
	if err := arity(call, 1, 2); err != nil {
		return 0, err
	}
	if len(call.Args) < 2 {
		return 10, nil
	}
	v, err := s.eval(call.Args[1])
	if err != nil {
		return 0, err
	}
	n, ok := toInt(v)
	if !ok || n < 1 {
		return 0, plan.ErrAt(call.Args[1], nil, "%s's count must be a positive integer, found %s", call.Name, shown(v))
	}
	return min(n, math.MaxInt32), nil
}

func dot64(a []float32, b []float64) float64 {
	var s float64
	for i, x := range a {
		s += float64(x) * b[i]
	}
	return s
}

// meanVector runs MEAN_VECTOR(key, ... [, weights] [, pre_normalize]): gensim's
// get_mean_vector. A key is a word (its vector, of unit length unless pre_normalize is
// false) or a vector (as it is); weights, when given, is a vector literal with one number per
// key; the sum of weight × vector is divided by the sum of the weights' magnitudes. Words
// without a vector are skipped, as gensim's ignore_missing does; none left is an error.
func (s *scope) meanVector(x *query.Call) (any, error) {
	if err := arity(x, 1, math.MaxInt32); err != nil {
		return nil, err
	}
	args := x.Args
	pre := true
	if b, ok := args[len(args)-1].(*query.BoolLit); ok {
		pre = b.Value
		args = args[:len(args)-1]
	}
	var weights []float32
	if len(args) >= 2 {
		if lit, ok := args[len(args)-1].(*query.VectorLit); ok && lit.Len() == len(args)-1 {
			v, err := s.eval(lit)
			if err != nil {
				return nil, err
			}
			weights = v.([]float32)
			args = args[:len(args)-1]
		}
	}
	if len(args) == 0 {
		return nil, plan.ErrAt(x, nil, "MEAN_VECTOR needs at least one word or vector")
	}
	var mean []float64
	var total float64
	for i, a := range args {
		wt := 1.0
		if weights != nil {
			wt = float64(weights[i])
		}
		v, err := s.eval(a)
		if err != nil {
			return nil, err
		}
		var vec []float32
		switch v := v.(type) {
		case []float32:
			vec = v
		case string:
			kw, ok, err := s.lookup(a, v)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			vec = kw.vec
			if pre {
				vec = unit(vec)
			}
		default:
			return nil, plan.ErrAt(a, nil, "MEAN_VECTOR takes words and vectors, found %s", describeValue(v))
		}
		if mean == nil {
			mean = make([]float64, len(vec))
		}
		if len(vec) != len(mean) {
			return nil, plan.ErrAt(a, &store.DimensionError{Want: len(mean), Got: len(vec)}, "MEAN_VECTOR: vectors of lengths %d and %d", len(mean), len(vec))
		}
		for j, f := range vec {
			mean[j] += wt * float64(f)
		}
		total += math.Abs(wt)
	}
	if mean == nil {
		return nil, plan.ErrAt(x, store.ErrNoWord, "MEAN_VECTOR: none of the words is in %s", s.t.Name())
	}
	out := make([]float32, len(mean))
	for j, f := range mean {
		if total > 0 {
			f /= total
		}
		out[j] = float32(f)
	}
	return out, nil
}

// wmdistance runs WMDISTANCE('document one', 'document two'): gensim's wmdistance of the two
// documents split on whitespace (words without a vector dropped), the Word Mover's Distance
// (Kusner et al. 2015) over Euclidean distances between the words' unit vectors (gensim 4's
// norm=True), solved exactly as a transportation problem.
func (s *scope) wmdistance(x *query.Call) (any, error) {
	if err := arity(x, 2, 2); err != nil {
		return nil, err
	}
	var docs [2][]kvWord
	var lens [2]int64
	for d := 0; d < 2; d++ {
		text, err := s.stringArgOf(x.Args[d], "WMDISTANCE")
		if err != nil {
			return nil, err
		}
		seen := map[string]int{}
		for _, tok := range strings.Fields(text) {
			if i, ok := seen[tok]; ok {
				docs[d][i].id++ // id counts occurrences here
				lens[d]++
				continue
			}
			kw, ok, err := s.lookup(x.Args[d], tok)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			seen[tok] = len(docs[d])
			kw.id = 1
			kw.vec = unit(kw.vec) // gensim 4's norm=True
			docs[d] = append(docs[d], kw)
			lens[d]++
		}
		if len(docs[d]) == 0 {
			return nil, plan.ErrAt(x.Args[d], store.ErrNoWord, "WMDISTANCE: no word of this document is in %s", s.t.Name())
		}
	}
	distinct := map[string]bool{}
	for _, doc := range docs {
		for _, w := range doc {
			distinct[w.word] = true
		}
	}
	if len(distinct) == 1 {
		return 0.0, nil // both documents are one and the same word
	}
	if len(docs[0]) > emd.MaxBins || len(docs[1]) > emd.MaxBins {
		return nil, plan.ErrAt(x, nil, "WMDISTANCE: a document has more than %d distinct words", emd.MaxBins)
	}
	// Masses count/len, scaled by len0·len1 to integers.
	supply := make([]int64, len(docs[0]))
	demand := make([]int64, len(docs[1]))
	for i, w := range docs[0] {
		supply[i] = int64(w.id) * lens[1]
	}
	for j, w := range docs[1] {
		demand[j] = int64(w.id) * lens[0]
	}
	dist := make([]float64, len(docs[0])*len(docs[1]))
	var sum float64
	for i, a := range docs[0] {
		for j, b := range docs[1] {
			var d2 float64
			for k := range a.vec {
				d := float64(a.vec[k]) - float64(b.vec[k])
				d2 += d * d
			}
			dist[i*len(docs[1])+j] = math.Sqrt(d2)
			sum += math.Sqrt(d2)
		}
	}
	if sum < 1e-8 {
		// gensim returns inf here (pyemd would not finish): say so plainly instead.
		return nil, plan.ErrAt(x, nil, "WMDISTANCE: every distance between the two documents' words is zero")
	}
	cost, err := emd.Solve(supply, demand, func(i, j int) float64 { return dist[i*len(docs[1])+j] })
	if err != nil {
		return nil, plan.ErrAt(x, err, "WMDISTANCE: %v", err)
	}
	return cost / float64(lens[0]*lens[1]), nil
}
