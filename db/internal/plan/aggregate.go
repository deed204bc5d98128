package plan

import (
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// Aggregates: which calls are aggregates, whether a SELECT aggregates, and
// its plan. As in PostgreSQL, a column outside an aggregate must be a
// GROUP BY expression (or inside one).

// IsAggregate reports whether fn (upper case) is an aggregate function.
func IsAggregate(fn string) bool {
	switch fn {
	case "COUNT", "SUM", "AVG", "MIN", "MAX":
		return true
	}
	return false
}

// aggregateCalls returns the aggregate calls in x, outermost only.
func aggregateCalls(x query.Node, out []*query.Call) []*query.Call {
	if x == nil {
		return out
	}
	query.Walk(x, func(n query.Node) bool {
		if c, ok := n.(*query.Call); ok && IsAggregate(c.Name) {
			out = append(out, c)
			return false
		}
		return true
	})
	return out
}

// HasAggregate reports whether the select list uses an aggregate; then every
// other item must be a constant.
func HasAggregate(s *query.Select) (bool, error) { return HasAggregateOf(s, nil) }

// HasAggregateOf reports whether s aggregates (an aggregate call in its
// select list or HAVING, or a GROUP BY) and checks that it reads no column
// of t outside an aggregate but through a GROUP BY expression.
func HasAggregateOf(s *query.Select, t *store.Table) (bool, error) {
	var calls []*query.Call
	for i := range s.Items {
		calls = aggregateCalls(s.Items[i].Expr, calls)
	}
	calls = aggregateCalls(s.Having, calls)
	if len(calls) == 0 && len(s.GroupBy) == 0 {
		if s.Having != nil {
			return false, ErrAt(s.Having, nil, "HAVING needs GROUP BY or an aggregate")
		}
		return false, nil
	}
	for _, c := range calls {
		if err := checkAggregateCall(c); err != nil {
			return false, err
		}
	}
	for i := range s.Items {
		it := &s.Items[i]
		if it.Star {
			return false, ErrAt(it, nil, "cannot mix * with aggregates in one select list")
		}
		if err := checkGrouped(it.Expr, s.GroupBy, t); err != nil {
			return false, err
		}
	}
	return true, checkGrouped(s.Having, s.GroupBy, t)
}

// checkAggregateCall checks an aggregate's arguments.
func checkAggregateCall(c *query.Call) error {
	if c.Star && c.Name != "COUNT" {
		return ErrAt(c, nil, "%s does not take *", c.Name)
	}
	if !c.Star && len(c.Args) != 1 {
		return ErrAt(c, nil, "%s expects %s1 argument, got %d", c.Name, map[bool]string{true: "* or "}[c.Name == "COUNT"], len(c.Args))
	}
	if !c.Star && len(aggregateCalls(c.Args[0], nil)) > 0 {
		return ErrAt(c, nil, "aggregates cannot be nested")
	}
	return nil
}

// checkGrouped reports a column that x reads outside an aggregate and
// outside every GROUP BY expression.
func checkGrouped(x query.Expr, groups []query.Expr, t *store.Table) error {
	if x == nil {
		return nil
	}
	var bad *query.Ident
	query.Walk(x, func(n query.Node) bool {
		if bad != nil {
			return false
		}
		if c, ok := n.(*query.Call); ok && IsAggregate(c.Name) {
			return false
		}
		if e, ok := n.(query.Expr); ok && isGroupExpr(e, groups) {
			return false
		}
		if id, ok := n.(*query.Ident); ok && IsTableColumn(t, id.Name) {
			bad = id
		}
		return true
	})
	if bad != nil {
		if len(groups) == 0 {
			return ErrAt(bad, nil, "cannot mix aggregates with per-row values in one select list: column %s is in no aggregate (add GROUP BY %s?)", bad, bad)
		}
		return ErrAt(bad, nil, "column %s must appear in GROUP BY or be used in an aggregate", bad)
	}
	return nil
}

func isGroupExpr(x query.Expr, groups []query.Expr) bool {
	s := x.String()
	for _, g := range groups {
		if g.String() == s {
			return true
		}
	}
	return false
}

// aggregatePlan plans an aggregating SELECT: COUNT(*) alone, without WHERE
// or GROUP BY, is the table's row count; anything else reads the rows as
// rowSource chooses.
func aggregatePlan(sel *query.Select, t *store.Table, args []any) (*Plan, error) {
	agg := &Aggregate{Table: t.Name(), Items: sel.Items, Groups: sel.GroupBy, Having: sel.Having}
	for i := range sel.Items {
		agg.Calls = aggregateCalls(sel.Items[i].Expr, agg.Calls)
	}
	agg.Calls = aggregateCalls(sel.Having, agg.Calls)
	needScan := sel.Where != nil || len(sel.GroupBy) > 0 || sel.Having != nil
	for _, c := range agg.Calls {
		needScan = needScan || !c.Star
	}
	for i := range sel.Items {
		if _, isCall := sel.Items[i].Expr.(*query.Call); !isCall && UsesColumnsOf(&query.Select{Items: sel.Items[i : i+1]}, t) {
			needScan = true
		}
	}
	if needScan {
		in, rest := rowSource(sel.Where, t, args, RefersTo(sel, "vector"))
		agg.Input = filtered(in, rest)
	}
	p := wrapResult(sel, agg, t.Name(), ItemNamesOf(sel, t))
	p.ArgFree = sel.Where == nil || len(args) == 0 // a lookup may rest on the parameters' values
	return p, nil
}
