package exec

import (
	"cmp"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// A filtered search calls its filter on every row it visits: at 10% of a
// million rows, tens of thousands of calls a query, where walking the
// syntax tree of WHERE costs more than comparing the vectors. The usual
// conditions (a column compared with constants, IN, IS NULL, joined by AND,
// OR and NOT) are therefore compiled once per query into closures over the
// values held in memory. They keep SQL's three-valued logic, and hand any
// row they cannot decide alone (values of types that do not compare) to
// the interpreter, so that the result and the errors are the interpreter's.

// tri is a truth value of SQL's three-valued logic, or undecided.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triNull
	triAsk // the compiled form cannot tell: ask the interpreter
)

type compiled func(id uint32) tri

// rowValues are what a compiled condition reads a row's columns from.
type rowValues struct {
	names  []string
	counts []int64
	cols   map[string][]any
}

// compileCond compiles cond, or returns nil when some part of it is not of
// the forms above.
func (s *scope) compileCond(cond query.Expr, rv *rowValues) compiled {
	switch x := cond.(type) {
	case *query.Binary:
		switch x.Op {
		case query.OpAnd, query.OpOr:
			l, r := s.compileCond(x.L, rv), s.compileCond(x.R, rv)
			if l == nil || r == nil {
				return nil
			}
			if x.Op == query.OpAnd {
				return func(id uint32) tri { return and3(l(id), r, id) }
			}
			return func(id uint32) tri { return or3(l(id), r, id) }
		case query.OpEq, query.OpNe, query.OpLt, query.OpLe, query.OpGt, query.OpGe:
			return s.compileCompare(x, rv)
		}
	case *query.Unary:
		if x.Op != query.OpNot {
			return nil
		}
		in := s.compileCond(x.X, rv)
		if in == nil {
			return nil
		}
		return func(id uint32) tri {
			switch v := in(id); v {
			case triTrue:
				return triFalse
			case triFalse:
				return triTrue
			default:
				return v
			}
		}
	case *query.In:
		return s.compileIn(x, rv)
	case *query.IsNull:
		get := s.getter(x.X, rv)
		if get == nil {
			return nil
		}
		return func(id uint32) tri { return truth((get(id) == nil) != x.Not) }
	}
	return nil
}

// and3 and or3 combine a decided left side with the right side of row id,
// which they evaluate only when it can change the answer.
func and3(l tri, r compiled, id uint32) tri {
	if l == triFalse {
		return triFalse
	}
	rv := r(id)
	switch {
	case rv == triFalse:
		return triFalse
	case l == triAsk || rv == triAsk:
		return triAsk
	case l == triNull || rv == triNull:
		return triNull
	}
	return triTrue
}

func or3(l tri, r compiled, id uint32) tri {
	if l == triTrue {
		return triTrue
	}
	rv := r(id)
	switch {
	case rv == triTrue:
		return triTrue
	case l == triAsk || rv == triAsk:
		return triAsk
	case l == triNull || rv == triNull:
		return triNull
	}
	return triFalse
}

func truth(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// getter returns how to read column x of a row, or nil when x is not a
// column the compiled form reads (vector, a JSON column, an expression).
func (s *scope) getter(x query.Expr, rv *rowValues) func(uint32) any {
	id, ok := x.(*query.Ident)
	if !ok {
		return nil
	}
	switch id.Name {
	case "id":
		return func(i uint32) any { return int64(i) }
	case "word":
		return func(i uint32) any { return rv.names[i] }
	case "count":
		return func(i uint32) any { return rv.counts[i] }
	}
	vals, ok := rv.cols[id.Name]
	if i := s.t.ColumnIndex(id.Name); !ok || i < 0 || s.t.Columns()[i].Type == store.ColJSON {
		return nil
	}
	return func(i uint32) any {
		if int(i) < len(vals) {
			return vals[i]
		}
		return nil
	}
}

// constant evaluates a constant operand (a literal or a parameter).
func (s *scope) constant(x query.Expr) (any, bool) {
	if !plan.IsConst(x) {
		return nil, false
	}
	v, err := (&scope{e: s.e}).eval(x)
	return v, err == nil
}

// compileCompare compiles column op constant (either way round).
func (s *scope) compileCompare(x *query.Binary, rv *rowValues) compiled {
	col, k, op := x.L, x.R, x.Op
	if _, isConst := s.constant(col); isConst {
		col, k = k, col
		op = op.Mirrored()
	}
	get := s.getter(col, rv)
	c, ok := s.constant(k)
	if get == nil || !ok {
		return nil
	}
	if ci, isInt := c.(int64); isInt && isIntColumn(col) {
		// id and count: integers compared as integers, without boxing.
		counts := rv.counts
		name := col.(*query.Ident).Name
		return func(id uint32) tri {
			v := int64(id)
			if name == "count" {
				v = counts[id]
			}
			return truth(cmpOp(op, cmp.Compare(v, ci)))
		}
	}
	return func(id uint32) tri {
		v := get(id)
		if v == nil || c == nil {
			return triNull
		}
		n, ok, err := cmpValues(v, c)
		if err != nil || !ok {
			return triAsk
		}
		return truth(cmpOp(op, n))
	}
}

// compileIn compiles column [NOT] IN (constants).
func (s *scope) compileIn(x *query.In, rv *rowValues) compiled {
	get := s.getter(x.X, rv)
	if get == nil {
		return nil
	}
	list := make([]any, len(x.List))
	for i, e := range x.List {
		v, ok := s.constant(e)
		if !ok {
			return nil
		}
		list[i] = v
	}
	return func(id uint32) tri {
		v := get(id)
		if v == nil {
			return triNull
		}
		res := triFalse
		for _, c := range list {
			if c == nil {
				res = triNull
				continue
			}
			n, ok, err := cmpValues(v, c)
			if err != nil || !ok {
				return triAsk
			}
			if n == 0 {
				return truth(!x.Not)
			}
		}
		if res == triNull {
			return triNull
		}
		return truth(x.Not)
	}
}

func isIntColumn(x query.Expr) bool {
	id, ok := x.(*query.Ident)
	return ok && (id.Name == "id" || id.Name == "count")
}

// cmpOp applies a comparison to the order of two values.
func cmpOp(op query.Op, c int) bool {
	switch op {
	case query.OpEq:
		return c == 0
	case query.OpNe:
		return c != 0
	case query.OpLt:
		return c < 0
	case query.OpLe:
		return c <= 0
	case query.OpGt:
		return c > 0
	}
	return c >= 0 // OpGe
}
