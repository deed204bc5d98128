package plan

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// ScalarLookup lists rows through a scalar index (CREATE INDEX ON t (col)):
// those whose value of Column lies in one of Ranges. Cond is the part of
// WHERE it serves; the search or Filter above applies the whole WHERE.
type ScalarLookup struct {
	Table  string
	Column string
	Ranges []store.ScalarRange // the values of the constants, bound when planned
	Cond   query.Expr
	// IDs says that only the rows' ids are read (an exact search on the
	// index's vectors needs no more), not the rows.
	IDs bool
	// Vectors says that the rows' vectors are read (a per-row plan that
	// uses them).
	Vectors bool
	// Est is what the planner counted in the index to choose the lookup
	// over a scan (rowSource); nil when it did not count.
	Est *IndexCount
}

// IndexCount is how many rows a lookup lists, counted in its index when
// planned, of how many the table holds.
type IndexCount struct {
	Listed int
	Rows   int64
}

// Label implements Node.
func (n *ScalarLookup) Label() string {
	est := ""
	if n.Est != nil {
		est = fmt.Sprintf(", %d of %d rows by the index's count", n.Est.Listed, n.Est.Rows)
	}
	return fmt.Sprintf("ScalarLookup on %s (%s, through the index on %s%s)", n.Table, n.Cond, n.Column, est)
}

// Inputs implements Node.
func (n *ScalarLookup) Inputs() []Node { return nil }

// scalarRowCost is what a row a ScalarLookup lists costs, in rows a Scan
// reads: the lookup reads each row's entry and its values by id where the
// scan reads them in order. BenchmarkSelect_ScalarIndex at 100k rows of
// three columns (a shared machine) found the lookup 5x faster than the
// scan at 1% selectivity, 1.1-1.8x at 10%, and the two about even at 20%:
// a lookup is chosen up to 10%.
const scalarRowCost = 10

// rowSource chooses how a statement that reads the table row by row
// (SELECT, COUNT and the other aggregates, UPDATE, DELETE) finds the rows
// WHERE can pass: the words index when WHERE names words or ids, else the
// scalar index that lists the fewest rows when it lists few enough to beat
// a scan (its entries in range are counted, up to that many), else a scan.
// rest is what of WHERE a Filter above must still apply: all of it but the
// conditions a scalar index answers exactly; nil when none remains.
func rowSource(where query.Expr, t *store.Table, args []any, vectors bool) (n Node, rest query.Expr) {
	if lk := wordLookup(where, t, args); lk != nil {
		lk.Vectors = vectors
		return lk, where
	}
	if s := cheapScalarLookup(where, t, args); s != nil {
		s.Vectors = vectors
		return s, without(where, Conjuncts(s.Cond))
	}
	return &Scan{Table: t.Name(), Rows: t.Rows(), Vectors: vectors}, where
}

// filtered puts a Filter of cond over n, unless cond is nil.
func filtered(n Node, cond query.Expr) Node {
	if cond == nil {
		return n
	}
	return &Filter{Input: n, Cond: cond}
}

// without returns the conjunction of the conditions of where other than
// those in served (the same nodes), or nil when none is left.
func without(where query.Expr, served []query.Expr) query.Expr {
	var rest query.Expr
	for _, c := range Conjuncts(where) {
		if slices.Contains(served, c) {
			continue
		}
		if rest == nil {
			rest = c
		} else {
			rest = &query.Binary{Pos: rest.Position(), Op: query.OpAnd, L: rest, R: c}
		}
	}
	return rest
}

// cheapScalarLookup returns the lookup through a scalar index that lists
// the fewest rows, if it lists fewer than a scan costs; nil otherwise. A
// count that fails leaves the choice to the scan, which reports the error.
func cheapScalarLookup(where query.Expr, t *store.Table, args []any) *ScalarLookup {
	limit := int(t.Rows() / scalarRowCost)
	var best *ScalarLookup
	for _, s := range scalarLookups(where, t, args) {
		if best != nil {
			limit = best.Est.Listed - 1
		}
		n, err := t.CountScalar(s.Column, s.Ranges, limit)
		if err != nil || n > limit {
			continue
		}
		s.Est = &IndexCount{Listed: n, Rows: t.Rows()}
		best = s
	}
	return best
}

// scalarLookup finds the rows a filtered NEAREST compares through a scalar
// index instead of a scan when conditions of WHERE allow (see
// scalarLookups): the lookup on the first indexed column WHERE narrows,
// reading the rows' vectors (unless the search sets IDs), or nil.
func scalarLookup(where query.Expr, t *store.Table, args []any) *ScalarLookup {
	if ls := scalarLookups(where, t, args); len(ls) > 0 {
		ls[0].Vectors = true
		return ls[0]
	}
	return nil
}

// scalarLookups returns a lookup for each indexed column that conditions
// of WHERE narrow, in the order the columns first appear: col = c,
// col IN (c, ...), col LIKE 'prefix%' on TEXT, a BOOLEAN col or NOT col,
// and col < c, <=, >, >= (those on one column combine into one range),
// where each c is a constant of the column's type.
func scalarLookups(where query.Expr, t *store.Table, args []any) []*ScalarLookup {
	type narrowing struct {
		n      *ScalarLookup
		lo, hi *store.ScalarBound
		conds  []query.Expr
		points bool // an equality or IN list names its rows: nothing narrower
	}
	var cols []*narrowing
	for _, c := range Conjuncts(where) {
		col, ranges, l, h := scalarCond(c, t, args)
		if col == "" {
			continue
		}
		i := slices.IndexFunc(cols, func(x *narrowing) bool { return x.n.Column == col })
		if i < 0 {
			i = len(cols)
			cols = append(cols, &narrowing{n: &ScalarLookup{Table: t.Name(), Column: col}})
		}
		w := cols[i]
		switch {
		case w.points:
		case ranges != nil:
			w.n.Ranges, w.conds, w.lo, w.hi, w.points = ranges, []query.Expr{c}, nil, nil, true
		default:
			w.conds = append(w.conds, c)
			w.lo, w.hi = tighter(w.lo, l, false), tighter(w.hi, h, true)
		}
	}
	out := make([]*ScalarLookup, len(cols))
	for i, w := range cols {
		if !w.points {
			w.n.Ranges = []store.ScalarRange{{Lo: w.lo, Hi: w.hi}}
		}
		w.n.Cond = w.conds[0]
		for _, c := range w.conds[1:] {
			w.n.Cond = &query.Binary{Pos: w.n.Cond.Position(), Op: query.OpAnd, L: w.n.Cond, R: c}
		}
		out[i] = w.n
	}
	return out
}

// scalarCond reads one condition: the indexed column it is on and either
// the ranges of an equality or IN list, or one bound of a comparison.
func scalarCond(c query.Expr, t *store.Table, args []any) (col string, ranges []store.ScalarRange, lo, hi *store.ScalarBound) {
	switch c := c.(type) {
	case *query.Binary:
		id, val, op := c.L, c.R, c.Op
		if _, isCol := val.(*query.Ident); isCol {
			id, val, op = val, id, op.Mirrored()
		}
		name, typ, ok := indexedColumn(id, t)
		if !ok {
			return "", nil, nil, nil
		}
		v, ok := scalarConst(val, args, typ)
		if !ok {
			return "", nil, nil, nil
		}
		switch op {
		case query.OpEq:
			return name, []store.ScalarRange{point(v)}, nil, nil
		case query.OpLt, query.OpLe:
			return name, nil, nil, scalarBound(v, op == query.OpLe, true)
		case query.OpGt, query.OpGe:
			return name, nil, scalarBound(v, op == query.OpGe, false), nil
		}
	case *query.Like:
		return likeCond(c, t, args)
	case *query.Ident, *query.Unary:
		return boolCond(c, t)
	case *query.In:
		name, typ, ok := indexedColumn(c.X, t)
		if c.Not || !ok {
			return "", nil, nil, nil
		}
		for _, x := range c.List {
			v, ok := scalarConst(x, args, typ)
			if !ok {
				return "", nil, nil, nil
			}
			ranges = append(ranges, point(v))
		}
		return name, ranges, nil, nil
	}
	return "", nil, nil, nil
}

// likeCond reads col LIKE 'prefix%' on an indexed TEXT column as the
// range of the strings that begin with prefix: [prefix, the first string
// after them), which LIKE's byte-wise, case-sensitive match (exec's
// likeMatch) and the index's byte order agree on.
func likeCond(c *query.Like, t *store.Table, args []any) (col string, ranges []store.ScalarRange, lo, hi *store.ScalarBound) {
	name, typ, ok := indexedColumn(c.X, t)
	if c.Not || !ok || typ != store.ColText || !IsConst(c.Pattern) {
		return "", nil, nil, nil
	}
	p, ok := constString(c.Pattern, args)
	if !ok || !utf8.ValidString(p) {
		// likeMatch compares characters: bytes that are no UTF-8 all
		// read as one, which the index's byte order cannot follow.
		return "", nil, nil, nil
	}
	r, ok := PrefixRange(p)
	if !ok {
		return "", nil, nil, nil
	}
	return name, nil, r.Lo, r.Hi
}

// PrefixRange returns the range of the strings that match a LIKE pattern
// of the form 'prefix%' (a literal prefix, then one %), and whether p has
// that form. Its upper end is open when no string follows every one that
// begins with prefix (a prefix of bytes 0xff only).
func PrefixRange(p string) (store.ScalarRange, bool) {
	prefix, ok := LikePrefix(p)
	if !ok {
		return store.ScalarRange{}, false
	}
	r := store.ScalarRange{Lo: &store.ScalarBound{Value: prefix, Inclusive: true}}
	end := []byte(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			r.Hi = &store.ScalarBound{Value: string(end[:i+1])}
			break
		}
	}
	return r, true
}

// boolCond reads a BOOLEAN indexed column alone as col = true, and NOT col
// as col = false.
func boolCond(c query.Expr, t *store.Table) (col string, ranges []store.ScalarRange, lo, hi *store.ScalarBound) {
	want := true
	if u, ok := c.(*query.Unary); ok {
		if u.Op != query.OpNot {
			return "", nil, nil, nil
		}
		c, want = u.X, false
	}
	name, typ, ok := indexedColumn(c, t)
	if _, isIdent := c.(*query.Ident); !isIdent || !ok || typ != store.ColBoolean {
		return "", nil, nil, nil
	}
	return name, []store.ScalarRange{point(want)}, nil, nil
}

// point is the range of one value.
func point(v any) store.ScalarRange {
	return store.ScalarRange{Lo: scalarBound(v, true, false), Hi: scalarBound(v, true, true)}
}

// scalarBound is one end of a range at v (its upper end when upper). A REAL
// zero is written two ways that compare equal but sort apart in the index
// (-0 before +0): an end at zero takes in both or neither, as the
// comparison does.
func scalarBound(v any, inclusive, upper bool) *store.ScalarBound {
	if f, ok := v.(float64); ok && f == 0 {
		v = 0.0
		if inclusive != upper {
			v = math.Copysign(0, -1)
		}
	}
	return &store.ScalarBound{Value: v, Inclusive: inclusive}
}

// tighter returns the narrower of two bounds on one side (upper when
// upper), either of which may be nil.
func tighter(a, b *store.ScalarBound, upper bool) *store.ScalarBound {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	switch c := store.CompareScalar(a.Value, b.Value); {
	case c == 0:
		if !a.Inclusive {
			return a
		}
		return b
	case (c < 0) == upper:
		return a
	}
	return b
}

// indexedColumn reports whether x names a column of t with a scalar index,
// and the type of its values.
func indexedColumn(x query.Expr, t *store.Table) (string, store.ColType, bool) {
	id, ok := x.(*query.Ident)
	if !ok || !t.HasScalarIndex(id.Name) {
		return "", 0, false
	}
	typ, ok := t.ScalarType(id.Name)
	return id.Name, typ, ok
}

// scalarConst is the value of a constant as an index on a column of type
// typ holds it (an INTEGER column takes whole numbers, REAL any number,
// TEXT strings, BOOLEAN true and false); ok is false for anything else,
// NULL included (a comparison with NULL passes no row).
func scalarConst(x query.Expr, args []any, typ store.ColType) (any, bool) {
	var v any
	switch x := x.(type) {
	case *query.NumberLit:
		v = x.Float
		if x.IsInt {
			v = x.Int
		}
	case *query.StringLit:
		v = x.Value
	case *query.BoolLit:
		v = x.Value
	case *query.Param:
		if x.Index < 1 || x.Index > len(args) {
			return nil, false
		}
		v = args[x.Index-1]
	default:
		return nil, false
	}
	if f, isFloat := v.(float64); isFloat && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return nil, false
	}
	c, ok := typ.Coerce(v)
	return c, ok && c != nil
}
