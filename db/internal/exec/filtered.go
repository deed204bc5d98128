package exec

import (
	"fmt"
	"slices"
	"sync"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// Filtered nearest neighbours (plan/filtered.go chooses how they run): the
// filter NEAREST's searches apply, the selectivity estimate the planner
// reads, the exact search among the rows a lookup lists, and the rows the
// ORDER BY SIMILARITY(vector, x) DESC LIMIT k form gives its select list.

// sampleRows is how many rows an estimate evaluates a condition on: enough
// to tell 50% from 10% from 1% apart, and to see that a condition holds for
// fewer than 1 row in 1,000 when none of them passes.
const sampleRows = 1000

// filterCache holds what filtered searches reuse from one query to the
// next, by table version: the planner's estimates (by condition and
// parameters), so that a query repeated (the usual case for a search)
// samples once; user columns' values by row id, which a search's filter
// reads in no order; and the rows a repeated condition holds for
// (passSet), with how often each condition was seen. All are bounded:
// when full they start again.
type filterCache struct {
	mu   sync.Mutex
	m    map[string]plan.Estimate
	cols map[string][]any
	sets map[string]*passSet
	seen map[string]int
}

const (
	maxEstimates = 256
	maxColumns   = 8
	maxPassSets  = 16 // 128 KiB each at a million rows
)

// rowFilter returns the filter NEAREST's search applies for WHERE cond:
// whether row id passes, evaluated on the words and counts held in memory
// (names, counts, live by id) and the user columns cond names. The second
// time the same condition (with the same parameters) filters a search of
// the same version of the table, it is evaluated on every row once and the
// answer kept as a bitset (passSet), which the searches after it read: a
// walk at 10% of a million rows asks the filter tens of thousands of times
// a query, a bit each then. The first error is kept in *errp and then
// every row fails.
func (s *scope) rowFilter(cond query.Expr, names []string, counts []int64, live []bool, errp *error) func(uint32) bool {
	c := &s.e.d.filtered
	key := s.e.condKey(s.t, cond)
	if ps := c.passSet(key); ps != nil {
		return ps.has
	}
	pass := s.evalFilter(cond, names, counts, live, errp)
	if *errp != nil || !c.repeated(key) {
		return pass
	}
	ps, err := newPassSet(s.e.ctx, pass, live, errp)
	if err != nil || *errp != nil {
		return pass // the search reports the error
	}
	c.keepPassSet(key, ps)
	return ps.has
}

// evalFilter is rowFilter without the bitset: cond compiled when it can be
// (filtercompile.go), else interpreted, for each row asked about.
func (s *scope) evalFilter(cond query.Expr, names []string, counts []int64, live []bool, errp *error) func(uint32) bool {
	row := &scope{e: s.e, t: s.t, row: &rowRef{}}
	row.colVals, *errp = s.e.columnValues(s.t, cond)
	fast := s.compileCond(cond, &rowValues{names: names, counts: counts, cols: row.colVals})
	return func(id uint32) bool {
		if *errp != nil || int(id) >= len(live) || !live[id] {
			return false
		}
		if fast != nil {
			switch fast(id) {
			case triTrue:
				return true
			case triFalse, triNull:
				return false
			}
		}
		*row.row = rowRef{id: id, word: names[id], count: counts[id]}
		ok, err := row.truthy(cond)
		if err != nil {
			*errp = err
		}
		return ok
	}
}

// condKey names condition cond on the current version of table t with the
// values of the parameters it reads: what the estimates and the bitsets
// are cached by.
func (e *env) condKey(t *store.Table, cond query.Expr) string {
	return fmt.Sprintf("%d/%d/%s/%v", t.ID(), t.Ver(), cond, e.condArgs(cond))
}

// estimator returns the planner's Estimator for table t: it
// evaluates a condition on up to sampleRows rows spread evenly over the
// table's ids, as the search's filter would. A condition that fails to
// evaluate gets no estimate (running the statement reports the error).
func (e *env) estimator(t *store.Table) plan.Estimator {
	return func(cond query.Expr) (plan.Estimate, bool) {
		key := e.condKey(t, cond)
		c := &e.d.filtered
		c.mu.Lock()
		est, ok := c.m[key]
		if ps := c.sets[key]; ps != nil {
			// The rows the condition holds for are known: no need to guess.
			est, ok = plan.Estimate{Sampled: ps.n, Matched: ps.count, Known: true}, true
		}
		c.mu.Unlock()
		if ok {
			return est, true
		}
		est, ok = e.sample(t, cond)
		if !ok {
			return est, false
		}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= maxEstimates {
			c.m = make(map[string]plan.Estimate)
		}
		c.m[key] = est
		c.mu.Unlock()
		return est, true
	}
}

// sample evaluates cond on up to sampleRows live rows of t, spread evenly
// over its ids.
func (e *env) sample(t *store.Table, cond query.Expr) (plan.Estimate, bool) {
	names, counts, live, err := e.st.RowNames(t)
	if err != nil || len(live) == 0 {
		return plan.Estimate{}, false
	}
	var evalErr error
	pass := (&scope{e: e, t: t}).evalFilter(cond, names, counts, live, &evalErr)
	var est plan.Estimate
	step := max(float64(len(live))/sampleRows, 1)
	for f := 0.0; int(f) < len(live); f += step {
		id := uint32(f)
		if !live[id] {
			continue
		}
		est.Sampled++
		if pass(id) {
			est.Matched++
		}
		if evalErr != nil {
			return plan.Estimate{}, false
		}
	}
	return est, true
}

// exactPath is how an ExactSearch runs: over the index's vectors or the
// exact-search matrix, and, when it has a lookup, among the rows that
// lists (which the lookup runs to find). When the planner saw the rows the
// whole filter holds for kept already (a passSet, for a repeated
// condition: ExactSearch.Kept), the search compares those: reading them
// from the bitset costs less than a lookup, and leaves no row for the
// filter to drop. Were the bitset dropped since planning, every row is
// searched with the filter: slower, the same answer.
func (x *executor) exactPath(n *plan.ExactSearch) (searchPath, error) {
	via := searchPath{index: n.OnIndex, quantized: n.Quantized, scanCodes: n.OnIndex}
	if n.Kept && n.OnIndex && n.Filter != nil {
		if ps := x.e.d.filtered.passSet(x.e.condKey(x.t, n.Filter)); ps != nil {
			via.among = ps.ids()
		}
		return via, nil
	}
	if n.Input == nil {
		return via, nil
	}
	via.among = []uint32{}
	err := x.run(n.Input, func(tp *tuple) error {
		via.among = append(via.among, tp.row.id)
		if !n.OnIndex {
			via.amongVecs = append(via.amongVecs, tp.row.vec...)
		}
		return nil
	})
	return via, err
}

// searchAmong searches only the rows via.among lists: with the vectors the
// index holds (rows added since it was built are read from the table), or
// with those the lookup read.
func (e *env) searchAmong(t *store.Table, q []float32, k int, opts index.SearchOptions, via searchPath) ([]index.Result, error) {
	opts.EfSearch, opts.Exact = 0, false
	if !via.index {
		return e.flatAmong(t, q, k, opts, via.among, via.amongVecs)
	}
	h, err := e.st.HNSW(t)
	if err != nil {
		return nil, err
	}
	upto := t.Index().Upto
	var indexed, added []uint32
	for _, id := range via.among {
		if id < upto {
			indexed = append(indexed, id)
		} else {
			added = append(added, id)
		}
	}
	if via.quantized {
		opts.Vectors = e.st.VectorSource(t)
	}
	var res []index.Result
	if len(indexed) > 0 {
		if res, err = noRows(h.SearchAmong(e.ctx, q, k, indexed, opts)); err != nil {
			return nil, err
		}
	}
	if len(added) == 0 {
		return res, nil
	}
	vecs := make([]float32, len(added)*t.Dim())
	for i, id := range added {
		if err := t.Vector(vecs[i*t.Dim():(i+1)*t.Dim()], id); err != nil {
			return nil, err
		}
	}
	more, err := e.flatAmong(t, q, k, opts, added, vecs)
	if err != nil {
		return nil, err
	}
	return mergeResults(res, more, k), nil
}

// flatAmong searches exactly the rows ids, whose vectors are vecs.
func (e *env) flatAmong(t *store.Table, q []float32, k int, opts index.SearchOptions, ids []uint32, vecs []float32) ([]index.Result, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	f, err := newTableFlat(t)
	if err != nil {
		return nil, err
	}
	if err := f.Add(e.ctx, ids, vecs); err != nil {
		return nil, err
	}
	return f.Search(e.ctx, q, k, opts)
}

// mergeResults merges two answers, best first (ties: the smaller id), and
// keeps k.
func mergeResults(a, b []index.Result, k int) []index.Result {
	res := append(a, b...)
	slices.SortFunc(res, func(a, b index.Result) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return int(a.ID) - int(b.ID)
	})
	return res[:min(k, len(res))]
}

// searchRows runs a search whose rows go to a Project (the ORDER BY
// SIMILARITY(vector, x) DESC LIMIT k form): each row of the answer, read
// whole, best first. Unlike NEAREST, it keeps a query word's own row, as
// the ORDER BY it stands for would.
func (x *executor) searchRows(n plan.Node, out sink) error {
	sc := &scope{e: x.e, t: x.t}
	var res []index.Result
	var err error
	switch n := n.(type) {
	case *plan.HNSWSearch:
		res, _, err = sc.nearestSearch(n.Call, n.Filter, hnswPath(n), false)
	case *plan.ExactSearch:
		var via searchPath
		if via, err = x.exactPath(n); err == nil {
			res, _, err = sc.nearestSearch(n.Call, n.Filter, via, false)
		}
	}
	if err != nil {
		return err
	}
	var tp tuple
	for _, r := range res {
		row, err := x.t.LookupID(r.ID)
		if err != nil {
			return err
		}
		tp.row = rowRef{id: row.ID, word: row.Word, count: row.Count, vec: row.Vector}
		if err := out(&tp); err != nil {
			return err
		}
	}
	return nil
}

// emitsRows reports whether search node n gives table rows (searchRows)
// rather than NEAREST's (word, similarity).
func emitsRows(n plan.Node) bool {
	switch n := n.(type) {
	case *plan.HNSWSearch:
		return n.EmitRows
	case *plan.ExactSearch:
		return n.EmitRows
	}
	return false
}

// hnswPath is how an HNSWSearch runs: with the planner's estimate of the
// filter's selectivity, by which the walk scales the rows it looks for
// (index.HNSW.SearchFiltered).
func hnswPath(n *plan.HNSWSearch) searchPath {
	via := searchPath{index: true, ef: n.EfSet, rescore: n.RescoreSet, quantized: n.Quantization != "", scanCodes: n.ScanCodes}
	if n.Est != nil && n.Filter != nil {
		via.sel = n.Est.Sel()
	}
	return via
}

// columnValues returns the values by row id of the user columns of t that
// cond names, read once per version of the table.
func (e *env) columnValues(t *store.Table, cond query.Expr) (map[string][]any, error) {
	var out map[string][]any
	var err error
	query.Walk(cond, func(n query.Node) bool {
		id, ok := n.(*query.Ident)
		if !ok || err != nil || t.ColumnIndex(id.Name) < 0 || out[id.Name] != nil {
			return err == nil
		}
		var vals []any
		if vals, err = e.columnOf(t, id.Name); err == nil {
			if out == nil {
				out = make(map[string][]any)
			}
			out[id.Name] = vals
		}
		return err == nil
	})
	return out, err
}

// columnOf returns user column name's values of every row of t by id.
func (e *env) columnOf(t *store.Table, name string) ([]any, error) {
	key := fmt.Sprintf("%d/%d/%s", t.ID(), t.Ver(), name)
	c := &e.d.filtered
	c.mu.Lock()
	vals, ok := c.cols[key]
	c.mu.Unlock()
	if ok {
		return vals, nil
	}
	r, err := t.ColumnReader(name)
	if err != nil {
		return nil, err
	}
	vals = make([]any, t.NextID())
	for id := range vals {
		if id&0xffff == 0xffff {
			if err := e.ctx.Err(); err != nil {
				return nil, err
			}
		}
		if vals[id], err = r.Value(uint32(id)); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	if c.cols == nil || len(c.cols) >= maxColumns {
		c.cols = make(map[string][]any)
	}
	c.cols[key] = vals
	c.mu.Unlock()
	return vals, nil
}

// condArgs are the values of the parameters cond refers to (not those of
// the rest of the statement, such as a query vector).
func (e *env) condArgs(cond query.Expr) []any {
	var out []any
	query.Walk(cond, func(n query.Node) bool {
		if p, ok := n.(*query.Param); ok && p.Index >= 1 && p.Index <= len(e.args) {
			out = append(out, p.Index, e.args[p.Index-1])
		}
		return true
	})
	return out
}
