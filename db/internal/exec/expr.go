package exec

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// rowRef is the row an expression is evaluated against. Its vector is read
// only when an expression asks for it.
type rowRef struct {
	id    uint32
	word  string
	count int64
	vec   []float32
}

// scope is what names in an expression refer to: the FROM table, the
// current row (nil outside per-row evaluation) and, for ORDER BY, the
// output columns by name.
type scope struct {
	e   *env
	t   *store.Table
	row *rowRef
	out map[string]any
	// readers read the user columns the scope's expressions name.
	readers map[string]*store.ColumnReader
	// aggs are the values of the aggregate calls for the group being
	// output, by call.
	aggs map[*query.Call]any
	// colVals, when set, hold user columns' values by row id, read once
	// for a search's filter (filtered.go), which visits rows in no order.
	colVals map[string][]any
}

func (s *scope) eval(x query.Expr) (any, error) {
	switch x := x.(type) {
	case *query.NumberLit:
		if x.IsInt {
			return x.Int, nil
		}
		return x.Float, nil
	case *query.StringLit:
		return x.Value, nil
	case *query.BoolLit:
		return x.Value, nil
	case *query.NullLit:
		return nil, nil
	case *query.Param:
		return s.e.param(x)
	case *query.VectorLit:
		if v, ok := x.AppendFloat32s(make([]float32, 0, x.Len())); ok {
			for i, f := range v {
				if math.IsInf(float64(f), 0) {
					return nil, plan.ErrAt(x.Elem(i), store.ErrInvalidVector, "vector element %d is not a finite float32", i+1)
				}
			}
			return v, nil
		}
		v := make([]float32, len(x.Elems))
		for i, el := range x.Elems {
			if n, ok := el.(*query.NumberLit); ok {
				// Rounded once from the text: 0.1 is the float32 nearest 0.1.
				v[i] = n.Float32()
				if math.IsInf(float64(v[i]), 0) {
					return nil, plan.ErrAt(el, store.ErrInvalidVector, "vector element %d is not a finite float32", i+1)
				}
				continue
			}
			val, err := s.eval(el)
			if err != nil {
				return nil, err
			}
			f, ok := toFloat(val)
			if !ok {
				return nil, plan.ErrAt(el, nil, "vector elements must be numbers, found %s", describeValue(val))
			}
			v[i] = float32(f)
			if math.IsNaN(f) || math.IsInf(float64(v[i]), 0) {
				return nil, plan.ErrAt(el, store.ErrInvalidVector, "vector element %d is not a finite float32", i+1)
			}
		}
		return v, nil
	case *query.Ident:
		return s.column(x)
	case *query.Unary:
		return s.unary(x)
	case *query.Binary:
		return s.binary(x)
	case *query.In:
		return s.in(x)
	case *query.Like:
		return s.like(x)
	case *query.IsNull:
		v, err := s.eval(x.X)
		if err != nil {
			return nil, err
		}
		return (v == nil) != x.Not, nil
	case *query.Call:
		return s.call(x)
	}
	return nil, plan.ErrAt(x, nil, "cannot evaluate %s", x)
}

func (s *scope) column(x *query.Ident) (any, error) {
	if v, ok := s.out[x.Name]; ok {
		return v, nil
	}
	if !plan.IsColumn(x.Name) {
		if v, ok, err := s.userColumn(x); ok {
			return v, err
		}
		if s.t == nil {
			return nil, plan.ErrAt(x, nil, "unknown column %s (there is no FROM table)", store.Quote(x.Name))
		}
		return nil, s.unknownColumn(x)
	}
	if s.row == nil {
		if s.t == nil {
			return nil, plan.ErrAt(x, nil, "column %s needs a FROM table", store.Quote(x.Name))
		}
		return nil, plan.ErrAt(x, nil, "column %s cannot be used here", store.Quote(x.Name))
	}
	switch x.Name {
	case "id":
		return int64(s.row.id), nil
	case "word":
		return s.row.word, nil
	case "count":
		return s.row.count, nil
	}
	if s.row.vec == nil {
		s.row.vec = make([]float32, s.t.Dim())
		if err := s.t.Vector(s.row.vec, s.row.id); err != nil {
			return nil, plan.At(x, err)
		}
	}
	return s.row.vec, nil
}

func (s *scope) unary(x *query.Unary) (any, error) {
	v, err := s.eval(x.X)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case query.OpNot:
		if v == nil {
			return nil, nil
		}
		b, ok := v.(bool)
		if !ok {
			return nil, plan.ErrAt(x, nil, "NOT needs a boolean, found %s", describeValue(v))
		}
		return !b, nil
	case query.OpNeg:
		switch n := v.(type) {
		case int64:
			if n == math.MinInt64 {
				return -float64(n), nil
			}
			return -n, nil
		case float32:
			return -n, nil
		case float64:
			return -n, nil
		case []float32:
			out := make([]float32, len(n))
			for i, f := range n {
				out[i] = -f
			}
			return out, nil
		case nil:
			return nil, nil
		}
		return nil, plan.ErrAt(x, nil, "cannot negate %s", describeValue(v))
	}
	return nil, plan.ErrAt(x, nil, "unknown operator %s", x.Op)
}

func (s *scope) binary(x *query.Binary) (any, error) {
	if x.Op == query.OpAnd || x.Op == query.OpOr {
		return s.logic(x)
	}
	l, err := s.eval(x.L)
	if err != nil {
		return nil, err
	}
	r, err := s.eval(x.R)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case query.OpAdd, query.OpSub, query.OpMul, query.OpDiv:
		return arith(x, l, r)
	case query.OpJSON, query.OpJSONText:
		return jsonField(x, l, r, x.Op == query.OpJSONText)
	}
	v, err := compare(x, x.Op, l, r)
	if err != nil && l != nil && r != nil {
		if _, _, cerr := cmpValues(l, r); cerr != nil {
			return nil, s.compareError(x, l, r) // names the columns compared
		}
	}
	return v, err
}

// logic evaluates AND and OR with SQL's three-valued logic, short-circuiting.
func (s *scope) logic(x *query.Binary) (any, error) {
	truth := func(e query.Expr) (v, null bool, err error) {
		val, err := s.eval(e)
		if err != nil {
			return false, false, err
		}
		if val == nil {
			return false, true, nil
		}
		b, ok := val.(bool)
		if !ok {
			return false, false, plan.ErrAt(e, nil, "%s needs booleans, found %s", x.Op, describeValue(val))
		}
		return b, false, nil
	}
	l, lnull, err := truth(x.L)
	if err != nil {
		return nil, err
	}
	if x.Op == query.OpAnd && !l && !lnull {
		return false, nil
	}
	if x.Op == query.OpOr && l {
		return true, nil
	}
	r, rnull, err := truth(x.R)
	if err != nil {
		return nil, err
	}
	switch {
	case x.Op == query.OpAnd && !r && !rnull:
		return false, nil
	case x.Op == query.OpOr && r:
		return true, nil
	case lnull || rnull:
		return nil, nil
	}
	return x.Op == query.OpAnd, nil
}

func arith(x *query.Binary, l, r any) (any, error) {
	if l == nil || r == nil {
		return nil, nil
	}
	lv, lvec := l.([]float32)
	rv, rvec := r.([]float32)
	switch {
	case lvec && rvec:
		return vectorArith(x, lv, rv)
	case lvec:
		return scaleVector(x, lv, r, false)
	case rvec:
		return scaleVector(x, rv, l, true)
	}
	li, lint := l.(int64)
	ri, rint := r.(int64)
	if lint && rint {
		if v, ok, err := intArith(x, li, ri); ok || err != nil {
			return v, err
		}
		// Overflow, or an inexact division: fall through to floats.
	}
	lf, lok := toFloat(l)
	rf, rok := toFloat(r)
	if !lok || !rok {
		return nil, plan.ErrAt(x, nil, "cannot %s %s and %s", opVerb(x.Op), describeValue(l), describeValue(r))
	}
	switch x.Op {
	case query.OpAdd:
		return lf + rf, nil
	case query.OpSub:
		return lf - rf, nil
	case query.OpMul:
		return lf * rf, nil
	}
	if rf == 0 {
		return nil, plan.ErrAt(x, nil, "division by zero")
	}
	return lf / rf, nil
}

// vectorArith adds or subtracts two vectors.
func vectorArith(x *query.Binary, lv, rv []float32) (any, error) {
	if x.Op != query.OpAdd && x.Op != query.OpSub {
		return nil, plan.ErrAt(x, nil, "vectors can be added and subtracted, not combined with %s (use DOT for a dot product)", x.Op)
	}
	if len(lv) != len(rv) {
		return nil, plan.ErrAt(x, &store.DimensionError{Want: len(lv), Got: len(rv)}, "cannot %s vectors of lengths %d and %d", opVerb(x.Op), len(lv), len(rv))
	}
	out := make([]float32, len(lv))
	for i := range out {
		if x.Op == query.OpAdd {
			out[i] = lv[i] + rv[i]
		} else {
			out[i] = lv[i] - rv[i]
		}
	}
	return out, nil
}

// scaleVector multiplies vec by the number num, or divides it by num;
// numOnLeft says num is the left operand (num / vec is refused).
func scaleVector(x *query.Binary, vec []float32, num any, numOnLeft bool) (any, error) {
	f, ok := toFloat(num)
	if !ok {
		return nil, plan.ErrAt(x, nil, "cannot %s a vector and %s", opVerb(x.Op), describeValue(num))
	}
	if x.Op != query.OpMul && !(x.Op == query.OpDiv && !numOnLeft) {
		return nil, plan.ErrAt(x, nil, "a vector can be multiplied or divided by a number, not combined with %s", x.Op)
	}
	if x.Op == query.OpDiv {
		if f == 0 {
			return nil, plan.ErrAt(x, nil, "division by zero")
		}
		f = 1 / f
	}
	out := make([]float32, len(vec))
	for i, e := range vec {
		out[i] = float32(float64(e) * f)
	}
	return out, nil
}

// intArith computes an integer result; ok is false on overflow or an
// inexact division, which the caller computes in floats.
func intArith(x *query.Binary, li, ri int64) (v any, ok bool, err error) {
	switch x.Op {
	case query.OpAdd:
		if s := li + ri; (s > li) == (ri > 0) {
			return s, true, nil
		}
	case query.OpSub:
		if d := li - ri; (d < li) == (ri > 0) {
			return d, true, nil
		}
	case query.OpMul:
		if li == 0 || ri == 0 {
			return int64(0), true, nil
		}
		if p := li * ri; p/ri == li && !(li == -1 && ri == math.MinInt64) && !(ri == -1 && li == math.MinInt64) {
			return p, true, nil
		}
	case query.OpDiv:
		if ri == 0 {
			return nil, false, plan.ErrAt(x, nil, "division by zero")
		}
		if li%ri == 0 && !(li == math.MinInt64 && ri == -1) {
			return li / ri, true, nil
		}
	}
	return nil, false, nil
}

func opVerb(op query.Op) string {
	switch op {
	case query.OpAdd:
		return "add"
	case query.OpSub:
		return "subtract"
	case query.OpMul:
		return "multiply"
	case query.OpDiv:
		return "divide"
	}
	return "combine"
}

// compare evaluates = <> < <= > >=. NULL on either side gives NULL.
func compare(n query.Node, op query.Op, l, r any) (any, error) {
	if l == nil || r == nil {
		return nil, nil
	}
	c, ok, err := cmpValues(l, r)
	if err != nil {
		return nil, plan.ErrAt(n, nil, "%v", err)
	}
	if !ok {
		if op == query.OpEq || op == query.OpNe {
			return op == query.OpNe, nil // vectors: equal or not
		}
		return nil, plan.ErrAt(n, nil, "vectors cannot be ordered with %s", op)
	}
	switch op {
	case query.OpEq:
		return c == 0, nil
	case query.OpNe:
		return c != 0, nil
	case query.OpLt:
		return c < 0, nil
	case query.OpLe:
		return c <= 0, nil
	case query.OpGt:
		return c > 0, nil
	case query.OpGe:
		return c >= 0, nil
	}
	return nil, plan.ErrAt(n, nil, "unknown comparison %s", op)
}

// cmpValues orders two non-NULL values of comparable types. For vectors ok
// is false unless they are equal (then c is 0 and ok true).
func cmpValues(l, r any) (c int, ok bool, err error) {
	if li, lok := l.(int64); lok {
		if ri, rok := r.(int64); rok {
			switch {
			case li < ri:
				return -1, true, nil
			case li > ri:
				return 1, true, nil
			}
			return 0, true, nil
		}
	}
	if lf, lok := toFloat(l); lok {
		rf, rok := toFloat(r)
		if !rok {
			return 0, false, fmt.Errorf("cannot compare %s with %s", describeValue(l), describeValue(r))
		}
		switch {
		case lf < rf:
			return -1, true, nil
		case lf > rf:
			return 1, true, nil
		}
		return 0, true, nil
	}
	switch lv := l.(type) {
	case string:
		rv, ok := r.(string)
		if !ok {
			return 0, false, fmt.Errorf("cannot compare %s with %s", describeValue(l), describeValue(r))
		}
		return strings.Compare(lv, rv), true, nil
	case bool:
		rv, ok := r.(bool)
		if !ok {
			return 0, false, fmt.Errorf("cannot compare %s with %s", describeValue(l), describeValue(r))
		}
		switch {
		case lv == rv:
			return 0, true, nil
		case !lv:
			return -1, true, nil
		}
		return 1, true, nil
	case []float32:
		rv, ok := r.([]float32)
		if !ok {
			return 0, false, fmt.Errorf("cannot compare %s with %s", describeValue(l), describeValue(r))
		}
		if len(lv) != len(rv) {
			return 1, false, nil
		}
		for i := range lv {
			if lv[i] != rv[i] {
				return 1, false, nil
			}
		}
		return 0, true, nil
	}
	return 0, false, fmt.Errorf("cannot compare %s with %s", describeValue(l), describeValue(r))
}

func (s *scope) in(x *query.In) (any, error) {
	v, err := s.eval(x.X)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	sawNull := false
	for _, e := range x.List {
		w, err := s.eval(e)
		if err != nil {
			return nil, err
		}
		if w == nil {
			sawNull = true
			continue
		}
		c, ok, err := cmpValues(v, w)
		if err != nil {
			return nil, plan.ErrAt(e, plan.ErrSemantic, "cannot compare %s with %s", s.describeSide(x.X, v), s.describeSide(e, w))
		}
		if ok && c == 0 {
			return !x.Not, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return x.Not, nil
}

func (s *scope) like(x *query.Like) (any, error) {
	v, err := s.eval(x.X)
	if err != nil {
		return nil, err
	}
	p, err := s.eval(x.Pattern)
	if err != nil {
		return nil, err
	}
	if v == nil || p == nil {
		return nil, nil
	}
	str, ok1 := v.(string)
	pat, ok2 := p.(string)
	if !ok1 || !ok2 {
		return nil, plan.ErrAt(x, nil, "LIKE compares strings, found %s LIKE %s", describeValue(v), describeValue(p))
	}
	return likeMatch(str, pat) != x.Not, nil
}

// likeMatch reports whether s matches the SQL LIKE pattern p: % matches any
// run of characters, _ exactly one; everything else matches itself, case
// sensitively (as PostgreSQL's LIKE).
func likeMatch(s, p string) bool {
	// Iterative matching with backtracking to the last %.
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			pr, pw := utf8.DecodeRuneInString(p[pi:])
			switch pr {
			case '%':
				starP, starS = pi, si
				pi += pw
				continue
			case '_':
				_, sw := utf8.DecodeRuneInString(s[si:])
				si += sw
				pi += pw
				continue
			default:
				sr, sw := utf8.DecodeRuneInString(s[si:])
				if sr == pr && sw == pw {
					si += sw
					pi += pw
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, sw := utf8.DecodeRuneInString(s[starS:])
		starS += sw
		si = starS
		pi = starP + 1
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

// ---------------------------------------------------------------------------
// Functions

func (s *scope) call(x *query.Call) (any, error) {
	switch x.Name {
	case "VECTOR":
		if err := arity(x, 1, 1); err != nil {
			return nil, err
		}
		return s.vectorOf(x.Args[0])
	case "TOKEN":
		if err := arity(x, 1, 1); err != nil {
			return nil, err
		}
		_, v, err := s.tokenRow(x)
		return v, err
	case "EMBED_TEXT":
		return s.embedText(x)
	case "SIMILARITY", "COSINE", "DOT", "DISTANCE":
		if err := arity(x, 2, 2); err != nil {
			return nil, err
		}
		a, err := s.vectorOf(x.Args[0])
		if err != nil {
			return nil, err
		}
		b, err := s.vectorOf(x.Args[1])
		if err != nil {
			return nil, err
		}
		if len(a) != len(b) {
			return nil, plan.ErrAt(x, &store.DimensionError{Want: len(a), Got: len(b)}, "%s needs two vectors of one length, found lengths %d and %d", x.Name, len(a), len(b))
		}
		switch x.Name {
		case "DOT":
			d, err := index.DotProduct(a, b)
			return d, plan.At(x, err)
		case "DISTANCE":
			var sum float64
			for i := range a {
				d := float64(a[i]) - float64(b[i])
				sum += d * d
			}
			return float32(math.Sqrt(sum)), nil
		}
		c, err := index.CosineSimilarity(a, b)
		if err != nil {
			return nil, plan.ErrAt(x, err, "%s: %v", x.Name, err)
		}
		return c, nil
	case "NORM":
		if err := arity(x, 1, 1); err != nil {
			return nil, err
		}
		v, err := s.vectorOf(x.Args[0])
		if err != nil {
			return nil, err
		}
		return float32(index.Norm(v)), nil
	case "DIM":
		if err := arity(x, 1, 1); err != nil {
			return nil, err
		}
		v, err := s.vectorOf(x.Args[0])
		if err != nil {
			return nil, err
		}
		return int64(len(v)), nil
	case "DOESNT_MATCH":
		return s.doesntMatch(x)
	case "MEAN_VECTOR":
		return s.meanVector(x)
	case "WMDISTANCE":
		return s.wmdistance(x)
	case "NEAREST", "TOKENS", "EMBED", "NEAREST_COSMUL":
		return nil, plan.ErrAt(x, nil, "%s returns rows: use it alone in the select list, as in SELECT %s(...) FROM table", x.Name, x.Name)
	case "COUNT", "SUM", "AVG", "MIN", "MAX":
		return s.aggregateValue(x)
	case "JSON_EXTRACT":
		return s.jsonExtract(x)
	}
	return nil, plan.ErrAt(x, nil, "unknown function %s", x.Name)
}

func arity(x *query.Call, lo, hi int) error {
	if x.Star {
		return plan.ErrAt(x, nil, "%s does not take *", x.Name)
	}
	n := len(x.Args)
	if n >= lo && n <= hi {
		return nil
	}
	want := fmt.Sprintf("%d argument", lo)
	if lo != 1 {
		want += "s"
	}
	switch {
	case hi == lo+1:
		want = fmt.Sprintf("%d or %d arguments", lo, hi)
	case hi != lo:
		want = fmt.Sprintf("%d to %d arguments", lo, hi)
	}
	return plan.ErrAt(x, nil, "%s takes %s, found %d", x.Name, want, n)
}

// vectorOf evaluates x as a vector: a vector expression as it is, a string
// as the vector of that word of the FROM table.
func (s *scope) vectorOf(x query.Expr) ([]float32, error) {
	v, err := s.eval(x)
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case []float32:
		return v, nil
	case string:
		_, vec, err := s.wordRows(x, v)
		return vec, err
	}
	return nil, plan.ErrAt(x, nil, "expected a word or a vector, found %s", describeValue(v))
}

// wordRow looks up a word of the FROM table, for error messages at node n.
func (s *scope) wordRow(n query.Node, word string) (uint32, []float32, error) {
	if s.t == nil {
		return 0, nil, plan.ErrAt(n, store.ErrNoTable, "looking up %s needs a FROM table", store.Quote(word))
	}
	id, ok, err := s.t.WordID(word)
	if err != nil {
		return 0, nil, plan.At(n, err)
	}
	if !ok {
		if vec, ok, err := s.oovVector(word); ok || err != nil {
			return noRow, vec, plan.At(n, err) // FastText: built from the word's n-grams
		}
		msg := fmt.Sprintf("word %s not in vocabulary of %s", store.Quote(word), s.t.Name())
		if alt := suggestWord(s.t, word); alt != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", store.Quote(alt))
		}
		return 0, nil, plan.ErrAt(n, store.ErrNoWord, "%s", msg)
	}
	vec := make([]float32, s.t.Dim())
	if err := s.t.Vector(vec, id); err != nil {
		return 0, nil, plan.At(n, err)
	}
	return id, vec, nil
}

// tokenRow evaluates TOKEN(id): the vector of the row with that id.
func (s *scope) tokenRow(x *query.Call) (uint32, []float32, error) {
	if s.t == nil {
		return 0, nil, plan.ErrAt(x, store.ErrNoTable, "TOKEN needs a FROM table")
	}
	v, err := s.eval(x.Args[0])
	if err != nil {
		return 0, nil, err
	}
	n, ok := toInt(v)
	if !ok || n < 0 || n > math.MaxUint32 {
		return 0, nil, plan.ErrAt(x.Args[0], nil, "TOKEN expects a row id (a non-negative integer), found %s", describeArg(v))
	}
	_, _, live, err := s.t.RowMeta(uint32(n))
	if err != nil {
		return 0, nil, plan.At(x, err)
	}
	if !live {
		return 0, nil, plan.ErrAt(x.Args[0], store.ErrNoWord, "no row with id %d in %s (ids run from 0 to %d)", n, s.t.Name(), int64(s.t.NextID())-1)
	}
	vec := make([]float32, s.t.Dim())
	if err := s.t.Vector(vec, uint32(n)); err != nil {
		return 0, nil, plan.At(x, err)
	}
	return uint32(n), vec, nil
}

// truthy evaluates a condition: true only for TRUE (NULL and FALSE fail).
func (s *scope) truthy(x query.Expr) (bool, error) {
	v, err := s.eval(x)
	if err != nil {
		return false, err
	}
	switch v := v.(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	}
	return false, plan.ErrAt(x, nil, "WHERE needs a condition, found %s", describeValue(v))
}

var errStop = errors.New("stop")
