package plan

import (
	"fmt"
	"math"

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
}

// Label implements Node.
func (n *ScalarLookup) Label() string {
	return fmt.Sprintf("ScalarLookup on %s (%s, through the index on %s)", n.Table, n.Cond, n.Column)
}

// Inputs implements Node.
func (n *ScalarLookup) Inputs() []Node { return nil }

// scalarLookup finds rows through a scalar index instead of a scan when
// conditions of WHERE allow: col = c, col IN (c, ...), and col < c, <=, >,
// >= (those on one column combine into one range), where col has an index
// and each c is a constant of its type. It returns nil when none does.
func scalarLookup(where query.Expr, t *store.Table, args []any) *ScalarLookup {
	var n *ScalarLookup
	var lo, hi *store.ScalarBound
	var conds []query.Expr
	for _, c := range Conjuncts(where) {
		col, ranges, l, h := scalarCond(c, t, args)
		if col == "" || (n != nil && col != n.Column) {
			continue
		}
		if n == nil {
			n = &ScalarLookup{Table: t.Name(), Column: col}
		}
		if ranges != nil {
			// An equality or IN list names its rows: nothing narrower.
			n.Ranges, conds, lo, hi = ranges, []query.Expr{c}, nil, nil
			break
		}
		conds = append(conds, c)
		lo, hi = tighter(lo, l, false), tighter(hi, h, true)
	}
	if n == nil {
		return nil
	}
	if lo != nil || hi != nil {
		n.Ranges = []store.ScalarRange{{Lo: lo, Hi: hi}}
	}
	n.Cond = conds[0]
	for _, c := range conds[1:] {
		n.Cond = &query.Binary{Pos: n.Cond.Position(), Op: query.OpAnd, L: n.Cond, R: c}
	}
	return n
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
			return name, nil, nil, &store.ScalarBound{Value: v, Inclusive: op == query.OpLe}
		case query.OpGt, query.OpGe:
			return name, nil, &store.ScalarBound{Value: v, Inclusive: op == query.OpGe}, nil
		}
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

func point(v any) store.ScalarRange {
	b := &store.ScalarBound{Value: v, Inclusive: true}
	return store.ScalarRange{Lo: b, Hi: b}
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
