package exec

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/query"
)

// Aggregates: COUNT, SUM, AVG, MIN and MAX over the rows of each group, as
// PostgreSQL and sqlite compute them: NULLs are skipped, SUM, AVG, MIN and
// MAX of no values are NULL, COUNT of none is 0. SUM and AVG also take
// vectors (element by element: AVG(vector) is the mean vector). Groups
// come out ordered by their GROUP BY values, as sqlite gives them.

// accum accumulates one aggregate call over a group's rows.
type accum struct {
	n     int64     // values seen (rows, for COUNT(*))
	isum  int64     // SUM of integers while exact
	fsum  float64   // SUM of numbers once one is a real or isum overflowed
	float bool      // fsum is in use
	vsum  []float64 // SUM of vectors
	best  any       // MIN / MAX so far
}

// group is one group of an Aggregate: its key, a row of it (for the GROUP
// BY columns in the select list), and its accumulators.
type group struct {
	key  []any
	row  rowRef
	accs []accum
}

// aggregate runs Aggregate: the groups of its input, their HAVING, and the
// select list per group.
func (x *executor) aggregate(n *plan.Aggregate) ([][]any, error) {
	groups, err := x.groups(n)
	if err != nil {
		return nil, err
	}
	var out [][]any
	for _, g := range groups {
		sc := &scope{e: x.e, t: x.t, aggs: make(map[*query.Call]any, len(n.Calls))}
		if g.row.word != "" { // a group of at least one row
			r := g.row
			sc.row = &r
		}
		for i, c := range n.Calls {
			v, err := g.accs[i].result(c)
			if err != nil {
				return nil, err
			}
			sc.aggs[c] = v
		}
		if n.Having != nil {
			ok, err := sc.truthy(n.Having)
			if err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		_, vals, err := sc.project(n.Items)
		if err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, nil
}

// groups reads the input into groups, sorted by key. Without GROUP BY there
// is one group, even of no rows.
func (x *executor) groups(n *plan.Aggregate) ([]*group, error) {
	if n.Input == nil {
		g := &group{accs: make([]accum, len(n.Calls))}
		for i := range g.accs {
			g.accs[i].n = x.t.Rows()
		}
		return []*group{g}, nil
	}
	byKey := map[string]*group{}
	var list []*group
	if len(n.Groups) == 0 {
		g := &group{accs: make([]accum, len(n.Calls))}
		byKey[""], list = g, []*group{g}
	}
	row := &scope{e: x.e, t: x.t, row: &rowRef{}}
	err := x.run(n.Input, func(tp *tuple) error {
		*row.row = tp.row
		g, err := row.groupOf(n, byKey, &list)
		if err != nil {
			return err
		}
		for i, c := range n.Calls {
			if err := g.accs[i].add(row, c); err != nil {
				return err
			}
		}
		return x.e.ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(a, b int) bool {
		for i := range list[a].key {
			if c := cmpOrder(list[a].key[i], list[b].key[i]); c != 0 {
				return c < 0
			}
		}
		return false
	})
	return list, nil
}

// groupOf finds (or starts) the group of the scope's row.
func (s *scope) groupOf(n *plan.Aggregate, byKey map[string]*group, list *[]*group) (*group, error) {
	if len(n.Groups) == 0 {
		g := byKey[""]
		if g.row.word == "" {
			g.row = *s.row
		}
		return g, nil
	}
	key := make([]any, len(n.Groups))
	var b strings.Builder
	for i, gx := range n.Groups {
		v, err := s.eval(gx)
		if err != nil {
			return nil, err
		}
		key[i] = v
		b.WriteString(groupKeyText(v))
		b.WriteByte(0)
	}
	g := byKey[b.String()]
	if g == nil {
		g = &group{key: key, row: *s.row, accs: make([]accum, len(n.Calls))}
		byKey[b.String()] = g
		*list = append(*list, g)
	}
	return g, nil
}

// groupKeyText encodes a group value so that equal values (2 and 2.0
// included) encode alike and different ones differently.
func groupKeyText(v any) string {
	switch x := v.(type) {
	case nil:
		return "n"
	case string:
		return "s" + x
	case bool:
		if x {
			return "bt"
		}
		return "bf"
	case []float32:
		return "v" + fmt.Sprint(x)
	}
	if f, ok := toFloat(v); ok {
		if i, ok := toInt(f); ok {
			return "i" + fmt.Sprint(i)
		}
		return "f" + fmt.Sprint(f)
	}
	return "?" + fmt.Sprint(v)
}

// add adds the scope's row to the accumulator of call c.
func (a *accum) add(s *scope, c *query.Call) error {
	if c.Star {
		a.n++
		return nil
	}
	v, err := s.eval(c.Args[0])
	if err != nil || v == nil {
		return err
	}
	a.n++
	switch c.Name {
	case "COUNT":
		return nil
	case "MIN", "MAX":
		return a.minMax(c, v)
	}
	return a.sum(c, v)
}

func (a *accum) minMax(c *query.Call, v any) error {
	if a.best == nil {
		a.best = v
		return nil
	}
	cmp, ok, err := cmpValues(v, a.best)
	if err != nil || !ok {
		if err == nil {
			return plan.ErrAt(c, nil, "%s cannot order vectors", c.Name)
		}
		return plan.ErrAt(c, nil, "%s: %v", c.Name, err)
	}
	if c.Name == "MIN" && cmp < 0 || c.Name == "MAX" && cmp > 0 {
		a.best = v
	}
	return nil
}

func (a *accum) sum(c *query.Call, v any) error {
	if vec, ok := v.([]float32); ok {
		if a.vsum == nil && a.n == 1 {
			a.vsum = make([]float64, len(vec))
		}
		if a.vsum == nil || len(vec) != len(a.vsum) {
			return plan.ErrAt(c, nil, "%s needs values of one kind: vectors of one length, or numbers", c.Name)
		}
		for i, f := range vec {
			a.vsum[i] += float64(f)
		}
		return nil
	}
	if a.vsum != nil {
		return plan.ErrAt(c, nil, "%s needs values of one kind: vectors of one length, or numbers", c.Name)
	}
	if i, ok := v.(int64); ok && !a.float {
		if s := a.isum + i; (s > a.isum) == (i > 0) {
			a.isum = s
			return nil
		}
	}
	f, ok := toFloat(v)
	if !ok {
		return plan.ErrAt(c, nil, "%s needs numbers or vectors, found %s", c.Name, describeValue(v))
	}
	if !a.float {
		a.float, a.fsum = true, float64(a.isum)
	}
	a.fsum += f
	return nil
}

// result is the aggregate's value over the values added.
func (a *accum) result(c *query.Call) (any, error) {
	switch c.Name {
	case "COUNT":
		return a.n, nil
	case "MIN", "MAX":
		return a.best, nil
	}
	if a.n == 0 {
		return nil, nil
	}
	if a.vsum != nil {
		out := make([]float32, len(a.vsum))
		for i, s := range a.vsum {
			if c.Name == "AVG" {
				s /= float64(a.n)
			}
			out[i] = float32(s)
		}
		return out, nil
	}
	sum := a.fsum
	if !a.float {
		if c.Name == "SUM" {
			return a.isum, nil
		}
		sum = float64(a.isum)
	}
	if c.Name == "AVG" {
		return sum / float64(a.n), nil
	}
	if math.IsInf(sum, 0) {
		return nil, plan.ErrAt(c, nil, "SUM overflows")
	}
	return sum, nil
}

// aggregateValue evaluates an aggregate call: inside an Aggregate, its
// value for the group being output; elsewhere an error.
func (s *scope) aggregateValue(x *query.Call) (any, error) {
	if v, ok := s.aggs[x]; ok {
		return v, nil
	}
	return nil, plan.ErrAt(x, nil, "%s is an aggregate: use it in the select list or HAVING of a SELECT", x.Name)
}

// byItemPosition rewrites ORDER BY keys that repeat an item of the select
// list (ORDER BY COUNT(*) after SELECT year, COUNT(*)) as that item's
// position, so that an aggregate is sorted by the value it gave.
func byItemPosition(order []query.OrderItem, items []query.SelectItem) []query.OrderItem {
	out := make([]query.OrderItem, len(order))
	for i, o := range order {
		out[i] = o
		s := o.Expr.String()
		for j := range items {
			if items[j].Expr != nil && items[j].Expr.String() == s {
				out[i].Expr = &query.NumberLit{Pos: o.Expr.Position(), Text: fmt.Sprint(j + 1), IsInt: true, Int: int64(j + 1), Float: float64(j + 1)}
				break
			}
		}
	}
	return out
}
