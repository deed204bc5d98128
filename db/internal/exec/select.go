package exec

import (
	"slices"
	"sort"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/query"
)

// project evaluates the select list once (in the scope's current row).
func (s *scope) project(items []query.SelectItem) ([]string, []any, error) {
	var cols []string
	var row []any
	for i := range items {
		it := &items[i]
		if it.Star {
			star := plan.StarColumns(s.t)
			cols = append(cols, star...)
			for _, c := range star {
				v, err := s.column(&query.Ident{Pos: it.Pos, Name: c})
				if err != nil {
					return nil, nil, err
				}
				row = append(row, v)
			}
			continue
		}
		v, err := s.eval(it.Expr)
		if err != nil {
			return nil, nil, err
		}
		cols = append(cols, plan.ColumnName(it))
		row = append(row, v)
	}
	return cols, row, nil
}

// lookupValues finds the ids of the rows whose word (or id) is one of
// vals, sorted and without repeats; cond is the condition they came from.
func (s *scope) lookupValues(col string, vals []query.Expr, cond query.Expr) ([]uint32, error) {
	var ids []uint32
	for _, x := range vals {
		v, err := s.eval(x)
		if err != nil {
			return nil, err
		}
		if err := s.lookupTypeError(col, x, v, cond); err != nil {
			return nil, err
		}
		switch col {
		case "word":
			if w, ok := v.(string); ok {
				id, ok, err := s.t.WordID(w)
				if err != nil {
					return nil, err
				}
				if ok {
					ids = append(ids, id)
				}
			}
		case "id":
			if n, ok := toInt(v); ok && n >= 0 && n < 1<<32 {
				ids = append(ids, uint32(n))
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// lookupTypeError is the error of a looked-up value that the column can
// never equal (word = 3, id = 'x'): the same error the condition gives
// when it is evaluated row by row, where a lookup would find no row and
// hide the mistake. NULL is not an error: it equals nothing. The error is
// placed where the row-by-row one would be: at the = of a comparison, at
// the value in an IN list.
func (s *scope) lookupTypeError(col string, x query.Expr, v any, cond query.Expr) error {
	if v == nil {
		return nil
	}
	var same any = int64(0)
	if col == "word" {
		same = ""
	}
	if _, _, err := cmpValues(same, v); err != nil {
		at := x
		if b, ok := cond.(*query.Binary); ok {
			at = b
		}
		return plan.ErrAt(at, plan.ErrSemantic, "cannot compare %s with %s",
			s.describeSide(&query.Ident{Name: col}, same), s.describeSide(x, v))
	}
	return nil
}

// limits evaluates LIMIT and OFFSET; limit is -1 when absent.
func (e *env) limits(limitX, offsetX query.Expr) (limit, offset int64, err error) {
	limit = -1
	if limitX != nil {
		if limit, err = e.intArg(limitX, "LIMIT"); err != nil {
			return 0, 0, err
		}
	}
	if offsetX != nil {
		if offset, err = e.intArg(offsetX, "OFFSET"); err != nil {
			return 0, 0, err
		}
	}
	return limit, offset, nil
}

// orderKeys evaluates the ORDER BY keys of a row: an output column's name or
// alias, a position (ORDER BY 2), or any expression over the row.
func (s *scope) orderKeys(order []query.OrderItem, cols []string, vals []any) ([]any, error) {
	keys := make([]any, len(order))
	out := make(map[string]any, len(cols))
	for i, c := range cols {
		if _, dup := out[c]; !dup {
			out[c] = vals[i]
		}
	}
	for i, o := range order {
		if n, ok := o.Expr.(*query.NumberLit); ok && n.IsInt {
			if n.Int < 1 || int(n.Int) > len(vals) {
				return nil, plan.ErrAt(n, nil, "ORDER BY position %d is not in the select list (1 to %d)", n.Int, len(vals))
			}
			keys[i] = vals[n.Int-1]
			continue
		}
		if id, ok := o.Expr.(*query.Ident); ok {
			if v, ok := out[id.Name]; ok {
				keys[i] = v
				continue
			}
		}
		sc := &scope{e: s.e, t: s.t, row: s.row, out: out}
		v, err := sc.eval(o.Expr)
		if err != nil {
			return nil, err
		}
		keys[i] = v
	}
	return keys, nil
}

// sortByKeys sorts rows by their keys, stably; NULLs sort first, as in
// sqlite.
func sortByKeys(rows [][]any, keys [][]any, order []query.OrderItem) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		for i, o := range order {
			c := cmpOrder(ka[i], kb[i])
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	sorted := make([][]any, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	copy(rows, sorted)
}

// cmpOrder orders any two values: NULL < numbers < strings < others.
func cmpOrder(a, b any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case bool:
			return 1
		case int64, float32, float64:
			return 2
		case string:
			return 3
		}
		return 4
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	if ra == 0 || ra == 4 {
		return 0
	}
	c, _, _ := cmpValues(a, b)
	return c
}
