package exec

import (
	"errors"
	"slices"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// term is one key of a NEAREST query written as a sum of words: weight ×
// the vector of a word (or of a row, for TOKEN(n)).
type term struct {
	weight float64
	key    query.Expr // *StringLit, a string *Param, VECTOR(...) or TOKEN(...)
}

// linearTerms recognises a NEAREST argument that is a weighted sum of table
// rows — 'king', VECTOR('king') - VECTOR('man') + VECTOR('woman'),
// TOKEN(108386), 2 * VECTOR('a') — so it can be answered as gensim's
// most_similar(positive, negative) is: from the unit vectors of the rows,
// leaving the rows themselves out of the answer. ok is false for anything
// else (a vector literal, arithmetic with other vectors).
func (s *scope) linearTerms(x query.Expr, weight float64, out []term) ([]term, bool) {
	switch x := x.(type) {
	case *query.StringLit:
		return append(out, term{weight, x}), true
	case *query.Param:
		v, err := s.e.param(x)
		if _, isStr := v.(string); err == nil && isStr {
			return append(out, term{weight, x}), true
		}
	case *query.Call:
		if (x.Name == "VECTOR" || x.Name == "TOKEN") && len(x.Args) == 1 && !x.Star {
			if x.Name == "VECTOR" {
				// VECTOR of a word is a key; VECTOR of a vector expression
				// is that expression.
				if inner, ok := s.linearTerms(x.Args[0], weight, out); ok {
					return inner, true
				}
				return out, false
			}
			return append(out, term{weight, x}), true
		}
	case *query.Unary:
		if x.Op == query.OpNeg {
			return s.linearTerms(x.X, -weight, out)
		}
	case *query.Binary:
		switch x.Op {
		case query.OpAdd, query.OpSub:
			out, ok := s.linearTerms(x.L, weight, out)
			if !ok {
				return out, false
			}
			if x.Op == query.OpSub {
				return s.linearTerms(x.R, -weight, out)
			}
			return s.linearTerms(x.R, weight, out)
		case query.OpMul, query.OpDiv:
			if f, ok := s.constNumber(x.R); ok {
				if x.Op == query.OpDiv {
					if f == 0 {
						return out, false
					}
					f = 1 / f
				}
				return s.linearTerms(x.L, weight*f, out)
			}
			if f, ok := s.constNumber(x.L); ok && x.Op == query.OpMul {
				return s.linearTerms(x.R, weight*f, out)
			}
		}
	}
	return out, false
}

// keyID returns the row id of a word key (a string or string parameter);
// found is false for anything else, or a word not in the table (the slow
// path then reports it).
func (s *scope) keyID(key query.Expr) (uint32, bool) {
	switch key.(type) {
	case *query.StringLit, *query.Param:
	default:
		return 0, false
	}
	v, err := s.eval(key)
	w, isStr := v.(string)
	if err != nil || !isStr {
		return 0, false
	}
	if id, found, answered := s.e.st.CachedWordID(s.t, w); answered {
		return id, found
	}
	// A failed read is not "no such word": the lookup that follows reports it.
	id, found, err := s.t.WordID(w)
	return id, found && err == nil
}

// searcherVector returns the vector that the search of t will use holds for
// row id (the index's, or an exact-search matrix already built), or nil.
func (e *env) searcherVector(t *store.Table, id uint32, via searchPath) []float32 {
	if via.index {
		if id >= t.Index().Upto {
			return nil
		}
		h, err := e.st.HNSW(t)
		if err != nil {
			return nil
		}
		v, _ := h.VectorView(id) // read only: the search copies it to normalise it
		return v
	}
	f := e.st.CachedFlat(t)
	if f == nil {
		return nil
	}
	v, _ := f.Vector(id)
	return v
}

// constNumber evaluates x if it is a number that needs no row.
func (s *scope) constNumber(x query.Expr) (float64, bool) {
	switch x.(type) {
	case *query.NumberLit, *query.Param, *query.Unary:
	default:
		return 0, false
	}
	v, err := (&scope{e: s.e}).eval(x)
	if err != nil {
		return 0, false
	}
	return toFloat(v)
}

// nearestQuery turns NEAREST's first argument into a query vector and the
// rows to leave out of the answer.
func (s *scope) nearestQuery(x query.Expr, via searchPath) ([]float32, []uint32, error) {
	terms, ok := s.linearTerms(x, 1, make([]term, 0, 4)) // on the stack: a word, an analogy
	if ok && len(terms) == 1 && terms[0].weight == 1 && s.t.Metric() == "cosine" {
		// One word: its unit vector, as the search holds it, saves reading
		// the row's vector chunk. The general path below computes the same
		// vector to the last bit (the mean of one unit vector is itself),
		// which the search then normalises again, as gensim's most_similar
		// does.
		if id, found := s.keyID(terms[0].key); found {
			if v := s.e.searcherVector(s.t, id, via); v != nil {
				return v, []uint32{id}, nil
			}
		}
	}
	if ok {
		var exclude []uint32
		var sum []float64
		for _, tm := range terms {
			var ids []uint32
			var vec []float32
			var err error
			switch k := tm.key.(type) {
			case *query.Call: // TOKEN(n)
				var id uint32
				id, vec, err = s.tokenRow(k)
				ids = []uint32{id}
			default:
				var v any
				v, err = s.eval(k)
				if err == nil {
					// A word, or text on a table with a tokenizer.
					ids, vec, err = s.wordRows(k, v.(string))
				}
			}
			if err != nil {
				return nil, nil, err
			}
			for _, id := range ids {
				if !slices.Contains(exclude, id) {
					exclude = append(exclude, id)
				}
			}
			if s.t.Metric() == "cosine" {
				// gensim: the mean of the weighted unit vectors.
				if index.Norm(vec) == 0 {
					continue
				}
				vec, err = index.Normalize(vec)
				if err != nil {
					return nil, nil, plan.At(tm.key, err)
				}
			}
			if sum == nil {
				sum = make([]float64, len(vec))
			}
			for i, f := range vec {
				sum[i] += tm.weight * float64(f)
			}
		}
		q := make([]float32, s.t.Dim())
		var norm float64
		for i, f := range sum {
			q[i] = float32(f / float64(len(terms)))
			norm += f * f
		}
		if norm == 0 && s.t.Metric() != "euclidean" {
			return nil, nil, plan.ErrAt(x, nil, "the query vector is zero: nothing is near it")
		}
		return q, exclude, nil
	}
	q, err := s.vectorOf(x)
	if err != nil {
		return nil, nil, err
	}
	if len(q) != s.t.Dim() {
		return nil, nil, plan.ErrAt(x, &store.DimensionError{Table: s.t.Name(), Want: s.t.Dim(), Got: len(q)},
			"%s has dimension %d, the query vector has length %d", s.t.Name(), s.t.Dim(), len(q))
	}
	return q, nil, nil
}

// searchPath is how the plan has NEAREST search: through the index (with
// SET ef_search, 0 for the index's own) or exactly.
type searchPath struct {
	index     bool
	ef        int
	rescore   int  // SET recall's rescore depth, 0 for the index's own
	quantized bool // the index compares codes and rescores with the vectors
	scanCodes bool // SET exact = on over a quantized index: scan every code

	among     []uint32  // not nil: search only these rows (filtered.go)
	amongVecs []float32 // their vectors, when no index holds them

	sel float64 // the filter's estimated selectivity, 0 when unknown (filtered.go)
}

// nearest runs SELECT NEAREST(x, k) FROM t [WHERE cond] the way the plan
// chose: rows (word, similarity), best first, without the query's own
// words.
func (s *scope) nearest(call *query.Call, where query.Expr, via searchPath) ([][]any, error) {
	res, names, err := s.nearestSearch(call, where, via, true)
	if err != nil {
		return nil, err
	}
	return nearestRows(res, names), nil
}

// nearestRows turns a search's results into NEAREST's rows (word,
// similarity); names are the words of the table's rows by id.
func nearestRows(res []index.Result, names []string) [][]any {
	if len(res) <= nearestSmall {
		return new(nearestCells).fill(res, names)
	}
	// The words are gathered before any is boxed, so that their loads (a
	// cache miss each, after the search) overlap instead of waiting in
	// turn behind an allocation.
	var buf [16]string
	var sbuf [16]float32
	words, scores := buf[:0], sbuf[:0]
	for _, r := range res {
		var word string
		if int(r.ID) < len(names) {
			word = names[r.ID]
		}
		words, scores = append(words, word), append(scores, r.Score)
	}
	rows := make([][]any, len(res))
	vals := make([]any, 2*len(res)) // one allocation for all the rows' cells
	boxEach(vals, 2, words)         // and one for each column's values
	boxEach(vals[min(1, len(vals)):], 2, scores)
	for i := range rows {
		rows[i] = vals[2*i : 2*i+2 : 2*i+2]
	}
	return rows
}

// nearestSmall is the most rows a nearestCells holds: NEAREST's default
// count, 10. An express run's Rows and cells then take 896 bytes; sized for
// 16 rows they took 1,408, and a prepared NEAREST of 100k rows ran 1-2%
// slower by CPU time (BenchmarkNearest, alternated on a shared machine:
// cpu-sql/index 1.107-1.118 against 1.090-1.100).
const nearestSmall = 10

// nearestCells holds a NEAREST result of up to nearestSmall rows in one
// allocation: its rows, their cells, and the words and similarities that
// the cells box (see boxIn), where a result of more rows takes four.
type nearestCells struct {
	rows   [nearestSmall][]any
	vals   [2 * nearestSmall]any
	words  [nearestSmall]string
	scores [nearestSmall]float32
}

// fill sets c to the rows of res, at most nearestSmall, and returns them.
func (c *nearestCells) fill(res []index.Result, names []string) [][]any {
	n := len(res)
	// The words are gathered before any is boxed (see nearestRows).
	for i, r := range res[:n:n] {
		if int(r.ID) < len(names) {
			c.words[i] = names[r.ID]
		}
		c.scores[i] = r.Score
	}
	boxIn(c.vals[:], 2, c.words[:n])
	boxIn(c.vals[1:], 2, c.scores[:n])
	for i := range n {
		c.rows[i] = c.vals[2*i : 2*i+2 : 2*i+2]
	}
	return c.rows[:n:n]
}

// nearestSearch finds the rows of NEAREST(x, k) [WHERE cond] the way the
// plan chose, best first, leaving out the query's own words when exclude
// is set. names are the words of the table's rows by id.
func (s *scope) nearestSearch(call *query.Call, where query.Expr, via searchPath, exclude bool) ([]index.Result, []string, error) {
	k, err := s.topn(call) // gensim's topn, 10 by default
	if err != nil {
		return nil, nil, err
	}
	q, own, err := s.nearestQuery(call.Args[0], via)
	if err != nil {
		return nil, nil, err
	}
	names, counts, live, err := s.e.st.RowNames(s.t)
	if err != nil {
		return nil, nil, plan.At(call, err)
	}
	opts := index.SearchOptions{}
	if exclude {
		opts.Exclude = own
	}
	var filterErr error
	if where != nil {
		opts.Filter = s.rowFilter(where, names, counts, live, &filterErr)
	}
	res, err := s.e.search(s.t, q, int(k), opts, via)
	if err == nil {
		err = filterErr
	}
	if err != nil {
		return nil, nil, plan.At(call, err)
	}
	return res, names, nil
}

// search finds the k rows of t nearest to q: through the table's index
// or by an exact scan, as the plan chose.
func (e *env) search(t *store.Table, q []float32, k int, opts index.SearchOptions, via searchPath) ([]index.Result, error) {
	if via.among != nil {
		return e.searchAmong(t, q, k, opts, via)
	}
	if !via.index {
		f, err := e.st.Flat(e.ctx, t)
		if err != nil {
			return nil, err
		}
		return noRows(f.Search(e.ctx, q, k, opts))
	}
	h, err := e.st.HNSW(t)
	if err != nil {
		return nil, err
	}
	opts = graphOptions(opts, via)
	if via.quantized {
		// SET exact = on scans the codes; either way the candidates are
		// rescored with the table's vectors.
		opts.Exact = via.scanCodes
		opts.Vectors = e.st.VectorSource(t)
	}
	// Rows deleted since the index was built are filtered out; rows added
	// since (ids from Upto on) are searched exactly and merged in.
	upto := t.Index().Upto
	if t.Index().Deleted > 0 {
		inner := opts.Filter
		opts.Filter = func(id uint32) bool {
			if _, _, live, err := t.RowMeta(id); err != nil || !live {
				return false
			}
			return inner == nil || inner(id)
		}
	}
	res, err := noRows(h.SearchFiltered(e.ctx, q, k, via.sel, opts))
	if err != nil {
		return nil, err
	}
	if t.NextID() <= upto {
		return res, nil
	}
	delta, err := e.deltaSearch(t, upto, q, k, opts)
	if err != nil {
		return nil, err
	}
	return mergeResults(res, delta, k), nil
}

// noRows answers a search of an index with no live rows as an empty answer,
// as a sort of an empty table's rows is one, rather than index.ErrEmpty: the
// table is empty, every row the index was built from has been deleted, or
// the index was built on an empty table (CREATE INDEX before INSERT, as
// pgvector users write it) and the rows added since are searched apart.
func noRows(res []index.Result, err error) ([]index.Result, error) {
	if errors.Is(err, index.ErrEmpty) {
		return nil, nil
	}
	return res, err
}

// graphOptions sets the options of a search of the index graph that the
// plan chose: SET ef_search, SET recall's rescore depth, SET exact.
func graphOptions(opts index.SearchOptions, via searchPath) index.SearchOptions {
	if via.ef > 0 {
		opts.EfSearch = via.ef
	}
	if via.rescore > 0 {
		opts.Rescore = via.rescore
	}
	opts.Exact = via.scanCodes // an exact scan of the index's vectors or codes
	return opts
}

// newTableFlat returns an empty exact-search index with t's dimension and
// metric, for the few rows a search compares outside its index.
func newTableFlat(t *store.Table) (*index.Flat, error) {
	metric, err := index.ParseMetric(t.Metric())
	if err != nil {
		return nil, err
	}
	return index.NewFlat(t.Dim(), metric)
}

// deltaSearch searches exactly the rows of t with ids from upto on: those
// added after its index was built.
func (e *env) deltaSearch(t *store.Table, upto uint32, q []float32, k int, opts index.SearchOptions) ([]index.Result, error) {
	f, err := newTableFlat(t)
	if err != nil {
		return nil, err
	}
	var ids []uint32
	var vecs []float32
	err = t.ForEachRow(upto, true, func(r store.Row) error {
		ids = append(ids, r.ID)
		vecs = append(vecs, r.Vector...)
		if len(ids) == 4096 {
			err := f.Add(e.ctx, ids, vecs)
			ids, vecs = ids[:0], vecs[:0]
			return err
		}
		return nil
	})
	if err == nil && len(ids) > 0 {
		err = f.Add(e.ctx, ids, vecs)
	}
	if err != nil {
		return nil, err
	}
	if f.Len() == 0 {
		return nil, nil // every row added since the build was deleted since
	}
	opts.EfSearch = 0
	return f.Search(e.ctx, q, k, opts)
}
