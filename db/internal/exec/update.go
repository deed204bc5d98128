package exec

import (
	"errors"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

func init() { handle((*env).update) }

// assignment is one bound column = value of UPDATE's SET list.
type assignment struct {
	a   *query.Assignment
	col int // the user column's index; -1 for word, count or vector
}

// rowChange is what UPDATE writes to one row: the new values of its SET
// list, in order, checked.
type rowChange struct {
	id   uint32
	vals []any
}

// update runs UPDATE t SET col = value, ... [WHERE cond]. It finds the
// rows and evaluates their new values first, then writes them, all in one
// transaction: a failure in any row changes nothing. A change of only user
// columns rewrites their column chunks in place; a change of word, count
// or vector deletes the row and inserts it again under a new id, as INSERT
// OR REPLACE does, so that the HNSW index never holds a stale vector under
// a live id.
func (e *env) update(s *query.Update) (*Rows, error) {
	n := 0
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		sets, err := bindAssignments(s, t)
		if err != nil {
			return err
		}
		changes, err := e.updateValues(s, t, sets)
		if err != nil {
			return err
		}
		for i, c := range changes {
			if i%4096 == 0 {
				if err := e.ctx.Err(); err != nil {
					return err
				}
			}
			if err := applyChange(s, t, sets, c); err != nil {
				return err
			}
		}
		n = len(changes)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return message("updated", int64(n)), nil
}

// bindAssignments checks the SET list: known, settable columns, each once.
func bindAssignments(s *query.Update, t *store.Table) ([]assignment, error) {
	seen := map[string]bool{}
	out := make([]assignment, len(s.Sets))
	for i := range s.Sets {
		a := &s.Sets[i]
		name := a.Column.Name
		if seen[name] {
			return nil, plan.ErrAt(a.Column, nil, "column %s is set twice", store.Quote(name))
		}
		seen[name] = true
		out[i] = assignment{a: a, col: t.ColumnIndex(name)}
		switch {
		case name == "id":
			return nil, plan.ErrAt(a.Column, nil, "id cannot be set: it is the row's place in the table")
		case out[i].col < 0 && !plan.IsColumn(name):
			return nil, (&scope{t: t}).unknownColumn(a.Column)
		}
	}
	return out, nil
}

// updateValues finds the rows UPDATE changes and evaluates their new
// values over their old ones.
func (e *env) updateValues(s *query.Update, t *store.Table, sets []assignment) ([]rowChange, error) {
	var out []rowChange
	row := &scope{e: e, t: t, row: &rowRef{}}
	x := &executor{e: e, t: t}
	err := x.run(plan.BuildDelete(s.Where, t, e.args).Root, func(tp *tuple) error {
		*row.row = tp.row
		c := rowChange{id: tp.row.id, vals: make([]any, len(sets))}
		for i, a := range sets {
			v, err := row.eval(a.a.Value)
			if err != nil {
				return err
			}
			if c.vals[i], err = checkAssigned(t, a, v, tp.row.word); err != nil {
				return err
			}
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// checkAssigned checks value v for the column of assignment a in the row
// of word.
func checkAssigned(t *store.Table, a assignment, v any, word string) (any, error) {
	x := a.a.Value
	if a.col >= 0 {
		cv, err := t.Columns()[a.col].CheckValue(v)
		if errors.Is(err, store.ErrNotNull) {
			err = store.NotNullError(word, a.a.Column.Name)
		}
		if err != nil {
			return nil, columnValueError(x, err)
		}
		return cv, nil
	}
	switch a.a.Column.Name {
	case "word":
		if s, ok := v.(string); ok && s != "" {
			return s, nil
		}
		return nil, plan.ErrAt(x, nil, "word must be a non-empty string, found %s", describeValue(v))
	case "count":
		if n, ok := toInt(v); ok && n >= 0 {
			return n, nil
		}
		return nil, plan.ErrAt(x, nil, "count must be a non-negative integer, found %s", describeArg(v))
	}
	vec, ok := v.([]float32)
	if !ok {
		return nil, plan.ErrAt(x, nil, "vector must be a vector such as [0.1, 0.2], found %s", describeValue(v))
	}
	if len(vec) != t.Dim() {
		return nil, plan.ErrAt(x, &store.DimensionError{Table: t.Name(), Want: t.Dim(), Got: len(vec)},
			"table %s has dimension %d, got a vector of length %d", t.Name(), t.Dim(), len(vec))
	}
	return vec, nil
}

// applyChange writes one row's new values.
func applyChange(s *query.Update, t *store.Table, sets []assignment, c rowChange) error {
	for _, a := range sets {
		if a.col < 0 {
			return rewriteRow(s, t, sets, c)
		}
	}
	for i, a := range sets {
		if err := t.SetColumn(a.col, c.id, c.vals[i]); err != nil {
			return plan.At(a.a.Value, err)
		}
	}
	return nil
}

// rewriteRow changes a row's word, count or vector: it deletes the row and
// inserts it, with its columns and the new values, under a new id.
func rewriteRow(s *query.Update, t *store.Table, sets []assignment, c rowChange) error {
	old, err := t.LookupID(c.id)
	if err != nil {
		return plan.At(s, err)
	}
	if old.Cols, err = t.RowColumns(c.id); err != nil {
		return plan.At(s, err)
	}
	r := old
	for i, a := range sets {
		switch name := a.a.Column.Name; {
		case a.col >= 0:
			r.Cols[name] = c.vals[i]
		case name == "word":
			r.Word = c.vals[i].(string)
		case name == "count":
			r.Count = c.vals[i].(int64)
		default:
			r.Vector = c.vals[i].([]float32)
		}
	}
	if _, err := t.DeleteID(c.id); err != nil {
		return plan.At(s, err)
	}
	if _, err := t.InsertRow(r, false); err != nil {
		if errors.Is(err, store.ErrWordExists) {
			return plan.ErrAt(s, store.ErrWordExists, "row %s: word %s is already in %s", store.Quote(old.Word), store.Quote(r.Word), t.Name())
		}
		return plan.At(s, err)
	}
	return nil
}
