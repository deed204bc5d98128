package exec

import (
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// insertSelect runs INSERT [OR REPLACE] INTO t [(columns)] SELECT ...: the
// SELECT runs first, whole, in the INSERT's transaction (so a SELECT from
// t itself sees t as it was), and its rows are inserted as VALUES rows
// are. Its columns go, in order, to the columns listed, or, without a
// list, to the target's columns of the same names (word, count, vector and
// user columns).
func (e *env) insertSelect(s *query.Insert) (*Rows, error) {
	n := 0
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		cols, rows, err := e.selectRows(tx, s.Select)
		if err != nil {
			return err
		}
		targets, err := insertTargets(s, t, cols)
		if err != nil {
			return err
		}
		w := &rowWriter{sc: &scope{e: e, t: t}, t: t, s: s}
		for i, r := range rows {
			if err := w.putValues(s.Select, targets, r); err != nil {
				return err
			}
			// The transaction's memory is bounded as an INSERT ... VALUES's.
			if err := w.checkMemory(e.st.MemoryLimit()); err != nil {
				return err
			}
			if err := e.batchEnd(t, int64(i+1)); err != nil {
				return err
			}
		}
		n = len(rows)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return message("inserted", int64(n)), nil
}

// selectRows runs a SELECT in tx and returns its columns and rows.
func (e *env) selectRows(tx *store.Tx, sel *query.Select) ([]string, [][]any, error) {
	var t *store.Table
	var p *plan.Plan
	var err error
	if sel.From == nil {
		p, err = plan.Build(sel, nil, e.args, e.planSettings())
	} else {
		t, p, err = e.plan(tx, sel)
	}
	if err != nil {
		return nil, nil, err
	}
	res, err := (&executor{e: e, t: t}).result(p)
	if err != nil {
		return nil, nil, err
	}
	rows, err := res.All()
	return res.Columns(), rows, err
}

// insertTargets names the target column of each column of the SELECT.
func insertTargets(s *query.Insert, t *store.Table, cols []string) ([]string, error) {
	if len(s.Columns) > 0 {
		if len(s.Columns) != len(cols) {
			return nil, plan.ErrAt(s.Select, nil, "the SELECT gives %d %s for %d listed %s", len(cols), plural(len(cols), "column"), len(s.Columns), plural(len(s.Columns), "column"))
		}
		if err := checkInsertColumns(s, t); err != nil {
			return nil, err
		}
		out := make([]string, len(s.Columns))
		for i, c := range s.Columns {
			out[i] = c.Name
		}
		return out, nil
	}
	named := &query.Insert{Pos: s.Pos, Table: s.Table}
	for _, c := range cols {
		if c == "id" {
			continue
		}
		named.Columns = append(named.Columns, &query.Ident{Pos: s.Select.Pos, Name: c})
	}
	if err := checkInsertColumns(named, t); err != nil {
		return nil, err
	}
	return cols, nil
}

// putValues inserts one row of the SELECT's values.
func (w *rowWriter) putValues(at query.Node, targets []string, vals []any) error {
	var row store.Row
	for i, c := range targets {
		if c == "id" {
			continue // SELECT * gives the source's ids: the rows get new ones
		}
		if err := w.assign(&row, c, at, vals[i]); err != nil {
			return err
		}
	}
	return w.put(at, row)
}
