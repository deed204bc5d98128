package plan

import (
	"fmt"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// Filtered nearest neighbours: how NEAREST(x, k) ... WHERE cond (and its
// pgvector spelling, ORDER BY SIMILARITY(vector, x) DESC LIMIT k) is
// planned. Three ways answer it, and the planner picks the cheapest by an
// estimate of how many rows pass cond (the Estimator given to BuildEstimated samples them):
//
//   - the filtering walk (HNSWSearch): the graph is walked with cond applied
//     to each node it reaches, widening until ef rows pass; it visits about
//     ef/selectivity nodes (index.EstimateWalk);
//   - an exact search among the rows a lookup lists (ExactSearch over a
//     WordLookup): one comparison per row listed, when a condition of WHERE
//     names the rows (word = 'x', id IN (...), word LIKE 'p%');
//   - an exact scan (ExactSearch): one comparison per row, on the index's
//     own vectors when the table has an index, so no matrix is built.
//
// This is Qdrant's query planning (filterable HNSW above a cardinality
// threshold, a scan of the payload index's points below it); pgvector 0.8's
// iterative scans are the walk alone.

// Estimator estimates how many rows of the FROM table a condition holds
// for (by sampling them); ok is false when it cannot tell.
type Estimator func(cond query.Expr) (est Estimate, ok bool)

// planning is what planning reads: the settings, and the estimator.
type planning struct {
	Settings
	est Estimator
}

// Estimate is what sampling told the planner about a condition.
type Estimate struct {
	Sampled int // rows the condition was evaluated on
	Matched int // of which it held for

	// Known: the condition was evaluated on every row by an earlier search
	// and the rows it holds for are kept (a bitset by row id), so Matched
	// is a count, not a guess, and an exact search can read those rows
	// instead of running a lookup.
	Known bool
}

// Sel returns the estimated fraction of rows that pass; with no row of
// the sample passing, half a row's worth.
func (e Estimate) Sel() float64 {
	if e.Sampled == 0 {
		return 1
	}
	if e.Matched == 0 {
		return 0.5 / float64(e.Sampled)
	}
	return float64(e.Matched) / float64(e.Sampled)
}

// String is how EXPLAIN shows the estimate.
func (e Estimate) String() string {
	if e.Known {
		return fmt.Sprintf("selectivity %s, %d of %d rows, counted by an earlier search", percent(e.Sel()), e.Matched, e.Sampled)
	}
	if e.Matched == 0 {
		return fmt.Sprintf("est. selectivity < %s, none of %d sampled rows", percent(1/float64(e.Sampled)), e.Sampled)
	}
	return fmt.Sprintf("est. selectivity %s, %d of %d sampled rows", percent(e.Sel()), e.Matched, e.Sampled)
}

// percent writes a fraction as a percentage with two significant digits
// (and 100% as that, not %g's 1e+02%).
func percent(f float64) string {
	p := 100 * f
	if p >= 10 {
		return fmt.Sprintf("%.0f%%", p)
	}
	return fmt.Sprintf("%.2g%%", p)
}

// The costs of the three ways, in units of one comparison of the query
// with a vector the search holds in memory.
const (
	// walkCost is a node the filtering walk visits: the comparisons with
	// its neighbours, the condition, the heaps and the neighbour lists.
	// Measured with BenchmarkHNSW_FilteredSearch (100k rows, dimension
	// 100): about 1 µs a node the walk is estimated to visit
	// (index.EstimateWalk of index.FilteredEf accepted rows), from 0.7 µs
	// at 2-5% selectivity to 1.9 µs at 50%, where an exact search of
	// listed rows costs 36-63 ns a row (lookupCost): 16-30 listed rows.
	// So the walk wins at 10% there and the listed rows at 5% and below.
	walkCost = 32
	// lookupCost is a row a lookup lists and the index's vectors compare.
	lookupCost = 3
	// lookupReadCost is a row a lookup lists whose vector is read from the
	// table (no index holds it).
	lookupReadCost = 20
)

// planFiltered chooses how NEAREST with a WHERE runs: root is the search
// planned without regard to the filter (HNSWSearch through an index, else
// ExactSearch). Without an estimate, or under SET exact = on, root stays.
func planFiltered(root Node, where query.Expr, t *store.Table, args []any, set planning) Node {
	if where == nil || set.est == nil || set.Exact {
		return root
	}
	est, ok := set.est(where)
	if !ok || est.Sampled == 0 {
		return root
	}
	n := max(t.Rows(), 1)
	scan := float64(n)
	among := scan + 1 // no lookup: never chosen
	lk, cond := lister(where, t, args)
	hn, indexed := root.(*HNSWSearch)
	if lk != nil {
		listed := est
		if cond != where {
			if e, ok := set.est(cond); ok && e.Sampled > 0 {
				listed = e
			}
		}
		per := float64(lookupReadCost)
		if indexed {
			per = lookupCost
		}
		among = max(listed.Sel()*float64(n), 1) * per
	}
	if !indexed {
		ex := root.(*ExactSearch)
		ex.Est = &est
		if among < scan {
			ex.Input = lk
		}
		return ex
	}
	hn.Est = &est
	sel := est.Sel()
	walk := walkCost * float64(index.EstimateWalk(n, index.FilteredEf(hn.Ef, callK(hn.Call), sel), sel))
	if est.Known {
		// The kept rows are read from a bitset: cheaper than any lookup.
		if kept := max(float64(est.Matched), 1) * lookupCost; kept < min(scan, walk) {
			ex := hn.exact(nil, t)
			ex.Kept = true
			return ex
		}
	}
	switch {
	case among < min(scan, walk):
		return hn.exact(lk, t)
	case scan < walk:
		return hn.exact(nil, t)
	}
	return hn
}

// callK is NEAREST's k when the call spells it as a number, else 10
// (gensim's topn): what the planner assumes the walk is asked for.
func callK(c *query.Call) int {
	if len(c.Args) > 1 {
		if n, ok := c.Args[1].(*query.NumberLit); ok && n.IsInt && n.Int > 0 && n.Int < 1<<20 {
			return int(n.Int)
		}
	}
	return 10
}

// exact turns a planned index search into an exact search on the index's
// vectors, of the rows in (a lookup) lists or of every row.
func (n *HNSWSearch) exact(in Node, t *store.Table) *ExactSearch {
	if s, ok := in.(*ScalarLookup); ok {
		s.IDs = true // the index's vectors are compared: the rows need not be read
	}
	return &ExactSearch{Table: n.Table, Call: n.Call, Filter: n.Filter, Rows: t.Rows(), Metric: t.Metric(), Readable: n.Readable,
		OnIndex: true, Quantized: n.Quantization != "", Est: n.Est, EmitRows: n.EmitRows, Input: in}
}

// lister finds a lookup that lists the only rows that can pass where: the
// words index's (word = 'x', id IN (...), word LIKE 'p%') or a scalar
// index's (count < 5), and the condition it serves; nil when none.
func lister(where query.Expr, t *store.Table, args []any) (Node, query.Expr) {
	if w := wordLookup(where, t, args); w != nil {
		w.Vectors = true // read when no index holds the vectors
		return w, w.Cond
	}
	if s := scalarLookup(where, t, args); s != nil {
		return s, s.Cond
	}
	return nil, nil
}

// exactLabel is ExactSearch's line in EXPLAIN.
func (n *ExactSearch) exactLabel() string {
	what := fmt.Sprintf("%d rows", n.Rows)
	how := "an exact scan"
	switch {
	case n.Input != nil:
		what, how = "the rows the lookup lists", "an exact search of the rows the lookup lists"
	case n.Kept:
		what, how = "the rows an earlier search found the filter holds for", "an exact search of the rows kept"
	}
	if n.OnIndex {
		what += ", on the index's vectors"
		if n.Quantized {
			what += " (codes, then rescoring)"
		}
	}
	return fmt.Sprintf("ExactSearch on %s (%s, %s, %s%s%s)", n.Table, n.Call, what, n.Metric,
		filterNote(n.Filter), estimateNote(n.Est, how))
}

// estimateNote is the part of an EXPLAIN line about the filter's estimate
// and what it decided.
func estimateNote(est *Estimate, how string) string {
	if est == nil {
		return ""
	}
	return fmt.Sprintf(" (%s: %s)", est, how)
}

// inputs are ExactSearch's inputs: its lookup, if any.
func (n *ExactSearch) inputs() []Node {
	if n.Input == nil {
		return nil
	}
	return []Node{n.Input}
}

// orderKeys are the functions whose ORDER BY ranks rows as NEAREST does on
// a table of each metric, and the direction that puts the nearest first.
var orderKeys = map[string]struct {
	metric string
	desc   bool
}{
	"SIMILARITY": {"cosine", true},
	"COSINE":     {"cosine", true},
	"DOT":        {"dot", true},
	"DISTANCE":   {"euclidean", false},
}

// nearestOrderPlan plans pgvector's spelling of a nearest-neighbour query,
//
//	SELECT ... FROM t [WHERE cond] ORDER BY SIMILARITY(vector, x) DESC LIMIT k [OFFSET o]
//
// (the key may be an alias of the select list; DOT DESC on a dot table,
// DISTANCE ASC on a euclidean one) as the search NEAREST(x, k + o) would
// run, giving its rows to the select list, then ORDER BY and LIMIT as
// written. ok is false when sel is not of that shape: the key ranks rows
// otherwise than the table's metric, x reads the row, cond reads the
// vector, or there is no LIMIT.
func nearestOrderPlan(sel *query.Select, t *store.Table, args []any, set planning) (*Plan, bool) {
	if len(sel.OrderBy) != 1 || sel.Limit == nil || len(sel.GroupBy) > 0 || sel.Having != nil || (sel.Where != nil && mentions(sel.Where, "vector")) {
		return nil, false
	}
	if n, ok := sel.Limit.(*query.NumberLit); ok && (!n.IsInt || n.Int < 1) {
		return nil, false
	}
	o := sel.OrderBy[0]
	key := o.Expr
	if id, ok := key.(*query.Ident); ok {
		for i := range sel.Items {
			if sel.Items[i].Alias == id.Name {
				key = sel.Items[i].Expr
			}
		}
	}
	c, ok := key.(*query.Call)
	if !ok || len(c.Args) != 2 || c.Star {
		return nil, false
	}
	if want, ok := orderKeys[c.Name]; !ok || want.metric != t.Metric() || want.desc != o.Desc {
		return nil, false
	}
	x := c.Args[1]
	if !isVectorColumn(c.Args[0]) {
		x = c.Args[0]
		if !isVectorColumn(c.Args[1]) {
			return nil, false
		}
	}
	if readsRow(x) {
		return nil, false
	}
	k := sel.Limit
	if sel.Offset != nil {
		k = &query.Binary{Pos: sel.Limit.Position(), Op: query.OpAdd, L: sel.Limit, R: sel.Offset}
	}
	call := &query.Call{Pos: c.Pos, Name: "NEAREST", Args: []query.Expr{x, k}}
	var n Node = searchNode(call, sel.Where, t, args, set)
	switch s := n.(type) {
	case *HNSWSearch:
		s.EmitRows = true
	case *ExactSearch:
		s.EmitRows = true
	}
	n = &Sort{Input: &Project{Input: n, Items: sel.Items, Keys: sel.OrderBy}, Order: sel.OrderBy}
	n = &Limit{Input: n, Limit: sel.Limit, Offset: sel.Offset, Eager: true}
	return &Plan{Root: n, Table: t.Name(), Cols: ItemNamesOf(sel, t), ArgFree: len(args) == 0}, true
}

func isVectorColumn(x query.Expr) bool {
	id, ok := x.(*query.Ident)
	return ok && id.Name == "vector"
}

// readsRow reports whether x refers to a column of the row.
func readsRow(x query.Expr) bool {
	found := false
	query.Walk(x, func(n query.Node) bool {
		if _, ok := n.(*query.Ident); ok {
			found = true
		}
		return !found
	})
	return found
}
