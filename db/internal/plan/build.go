package plan

import (
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// Settings are the SET values that planning reads.
type Settings struct {
	Exact    bool    // SET exact = on: NEAREST compares with every row
	EfSearch int     // SET ef_search; 0 leaves the index's own
	Recall   float64 // SET recall; 0 leaves ef_search to EfSearch (recall.go)
}

// Build plans a SELECT. t is the FROM table, opened in the transaction the
// plan is built in (nil without FROM); args are the values of the
// statement's ? parameters. Binding errors (a column without a table, COUNT
// mixed with per-row values) are positioned at the statement's part at
// fault.
func Build(sel *query.Select, t *store.Table, args []any, set Settings) (*Plan, error) {
	return BuildEstimated(sel, t, args, set, nil)
}

// BuildEstimated is Build with an estimator of how many rows a condition
// holds for, by which NEAREST with a WHERE is planned (filtered.go); nil
// leaves NEAREST as Build plans it.
func BuildEstimated(sel *query.Select, t *store.Table, args []any, settings Settings, est Estimator) (*Plan, error) {
	set := planning{Settings: settings, est: est}
	if t == nil {
		if err := NoColumns(sel); err != nil {
			return nil, err
		}
		return wrapResult(sel, &Result{Items: sel.Items}, "", ItemNames(sel)), nil
	}
	if call, ok := TableFunc(sel); ok {
		return tableFuncPlan(sel, call, t, args, set)
	}
	if agg, err := HasAggregateOf(sel, t); err != nil {
		return nil, err
	} else if agg {
		return aggregatePlan(sel, t, args)
	}
	if p, ok := nearestOrderPlan(sel, t, args, set); ok {
		return p, nil
	}
	if sel.Where == nil && !UsesColumnsOf(sel, t) {
		return wrapResult(sel, &Result{Items: sel.Items}, t.Name(), ItemNames(sel)), nil
	}
	return rowPlan(sel, t, args), nil
}

// wrapResult puts ORDER BY and LIMIT over an operator that computes its
// rows whole (a search, a tokenizer, an aggregate, the select list once).
func wrapResult(sel *query.Select, root Node, table string, cols []string) *Plan {
	if len(sel.OrderBy) > 0 {
		root = &Sort{Input: root, Order: sel.OrderBy}
	}
	if sel.Limit != nil || sel.Offset != nil {
		root = &Limit{Input: root, Limit: sel.Limit, Offset: sel.Offset}
	}
	return &Plan{Root: root, Table: table, Cols: cols, ArgFree: true}
}

// tableFuncPlan plans SELECT NEAREST / TOKENS / EMBED.
func tableFuncPlan(sel *query.Select, call *query.Call, t *store.Table, args []any, set planning) (*Plan, error) {
	if call.Name != "NEAREST" {
		if sel.Where != nil {
			return nil, ErrAt(sel.Where, nil, "%s takes no WHERE", call.Name)
		}
		if call.Name == "NEAREST_COSMUL" {
			return wrapResult(sel, &Cosmul{Table: t.Name(), Call: call}, t.Name(), []string{"word", "similarity"}), nil
		}
		return wrapResult(sel, &Tokenize{Table: t.Name(), Call: call}, t.Name(), tokenCols(call.Name)), nil
	}
	cols := []string{"word", "similarity"}
	if t.HasTokenizer() {
		cols = append(cols, "token")
	}
	root := searchNode(call, sel.Where, t, args, set)
	p := wrapResult(sel, root, t.Name(), cols)
	// A filter's plan rests on its estimate and its lookups, which read the
	// parameters' values (filtered.go).
	p.ArgFree = p.ArgFree && (sel.Where == nil || len(args) == 0)
	return p, nil
}

// searchNode plans the search of NEAREST(call) over t with WHERE where:
// through the index or exactly, as SET exact and the filter's estimate
// (planFiltered) decide.
func searchNode(call *query.Call, where query.Expr, t *store.Table, args []any, set planning) Node {
	readable := t.HasTokenizer()
	var root Node
	ix := t.Index()
	quant := index.QuantNone
	if ix != nil {
		quant = store.IndexQuantization(ix)
	}
	if ix != nil && (!set.Exact || quant != index.QuantNone) {
		ef := set.EfSearch
		if ef == 0 {
			ef = toIntDefault(ix.Params["ef_search"], index.DefaultEfSearch)
		}
		n := &HNSWSearch{Table: t.Name(), Call: call, Filter: where, Ef: ef, EfSet: set.EfSearch,
			Pending: max(int64(t.NextID())-int64(ix.Upto), 0), Readable: readable}
		if quant != index.QuantNone {
			n.Quantization, n.ScanCodes, n.Elem = quant.String(), set.Exact, t.Elem().String()
			n.Rescore = toIntDefault(ix.Params["rescore"], index.DefaultRescore)
			if n.Rescore <= 0 { // saved as 0 (the default) before the default was saved
				n.Rescore = index.DefaultRescore
			}
		}
		root = n
		if set.Recall > 0 && set.EfSearch == 0 && !set.Exact {
			root = recallPlan(n, ix, t, set.Recall)
		}
	} else {
		root = &ExactSearch{Table: t.Name(), Call: call, Filter: where, Rows: t.Rows(), Metric: t.Metric(), Readable: readable}
	}
	return planFiltered(root, where, t, args, set)
}

// rowPlan plans a SELECT of one row per row of the table: a scan or a
// lookup, WHERE, the select list, ORDER BY and LIMIT, in that order.
func rowPlan(sel *query.Select, t *store.Table, args []any) *Plan {
	n, rest := rowSource(sel.Where, t, args, RefersTo(sel, "vector") || HasStar(sel))
	n = filtered(n, rest)
	if len(sel.OrderBy) > 0 {
		n = &Sort{Input: &Project{Input: n, Items: sel.Items, Keys: sel.OrderBy}, Order: sel.OrderBy}
	} else {
		n = &Project{Input: n, Items: sel.Items}
	}
	if sel.Limit != nil || sel.Offset != nil {
		n = &Limit{Input: n, Limit: sel.Limit, Offset: sel.Offset, Eager: true}
	}
	// A LIKE pattern given as a parameter may have chosen the lookup.
	return &Plan{Root: n, Table: t.Name(), Cols: ItemNamesOf(sel, t), Stream: len(sel.OrderBy) == 0, ArgFree: len(args) == 0}
}

// wordLookup finds rows through the words index instead of a full scan
// when a top-level condition of WHERE allows: word = 'x', word IN (...),
// word LIKE 'prefix%', id = n, id IN (...). The full WHERE is still applied
// to each row found. It returns nil when the table must be scanned.
func wordLookup(where query.Expr, t *store.Table, args []any) *WordLookup {
	for _, c := range Conjuncts(where) {
		switch c := c.(type) {
		case *query.Binary:
			if c.Op != query.OpEq {
				continue
			}
			col, val := c.L, c.R
			if _, isCol := val.(*query.Ident); isCol {
				col, val = val, col
			}
			id, isIdent := col.(*query.Ident)
			if !isIdent || (id.Name != "word" && id.Name != "id") || !IsConst(val) {
				continue
			}
			return &WordLookup{Table: t.Name(), Column: id.Name, Values: []query.Expr{val}, Cond: c}
		case *query.In:
			id, isIdent := c.X.(*query.Ident)
			if c.Not || !isIdent || (id.Name != "word" && id.Name != "id") {
				continue
			}
			allConst := true
			for _, v := range c.List {
				allConst = allConst && IsConst(v)
			}
			if allConst {
				return &WordLookup{Table: t.Name(), Column: id.Name, Values: c.List, Cond: c}
			}
		case *query.Like:
			id, isIdent := c.X.(*query.Ident)
			if c.Not || !isIdent || id.Name != "word" || !IsConst(c.Pattern) {
				continue
			}
			p, isStr := constString(c.Pattern, args)
			if !isStr {
				continue
			}
			if prefix, ok := LikePrefix(p); ok {
				return &WordLookup{Table: t.Name(), Column: "word", Prefix: prefix, Cond: c}
			}
		}
	}
	return nil
}

// constString returns the value of a constant that is a string: a string
// literal, or a ? parameter given a string.
func constString(x query.Expr, args []any) (string, bool) {
	switch x := x.(type) {
	case *query.StringLit:
		return x.Value, true
	case *query.Param:
		if x.Index >= 1 && x.Index <= len(args) {
			s, ok := args[x.Index-1].(string)
			return s, ok
		}
	}
	return "", false
}

// toIntDefault reads an integer index parameter as JSON stored it.
func toIntDefault(v any, def int) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return def
}

// BuildDelete plans the rows DELETE removes (and UPDATE changes): those of
// t for which where is true (all without WHERE), found through the words
// index or a scalar index when where allows (rowSource). The plan's rows are table rows; it has no Project.
func BuildDelete(where query.Expr, t *store.Table, args []any) *Plan {
	n, rest := rowSource(where, t, args, where != nil && mentions(where, "vector"))
	return &Plan{Root: filtered(n, rest), Table: t.Name()}
}

// mentions reports whether x refers to column name.
func mentions(x query.Expr, name string) bool {
	found := false
	query.Walk(x, func(n query.Node) bool {
		if id, ok := n.(*query.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// tokenCols are the columns of TOKENS and EMBED.
func tokenCols(fn string) []string {
	if fn == "EMBED" {
		return []string{"token", "id", "text", "vector"}
	}
	return []string{"token", "id", "text"}
}
