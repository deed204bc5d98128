package exec

import (
	"errors"
	"fmt"
	"slices"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// Scalar indexes: CREATE INDEX ON t (col) and DROP INDEX ON t (col). The
// index is an ordered set of (value, row id) entries in the table's bucket
// (store/scalar.go), kept by every write of a row in the same transaction;
// the planner reads it to list the rows a condition on col selects
// (plan/scalar.go).

// createScalarIndex runs CREATE INDEX [IF NOT EXISTS] ON t (col).
func (e *env) createScalarIndex(s *query.CreateIndex) (*Rows, error) {
	col, err := scalarColumn(s.Columns)
	if err != nil {
		return nil, err
	}
	if s.Method != "" || len(s.Options) > 0 {
		return nil, plan.ErrAt(s, nil, "an index on a column takes no USING or WITH")
	}
	exists := false
	err = e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if t.HasScalarIndex(col.Name) && s.IfNotExists {
			exists = true
			return nil
		}
		if err := knownColumn(t, col); err != nil {
			return err
		}
		return atColumn(col, t.CreateScalarIndex(col.Name))
	})
	if err != nil {
		return nil, err
	}
	if exists {
		return message("index", "exists"), nil
	}
	return message("created", fmt.Sprintf("index on %s (%s)", s.Table.Name, col.Name)), nil
}

// dropScalarIndex runs DROP INDEX [IF EXISTS] ON t (col).
func (e *env) dropScalarIndex(s *query.DropIndex) (*Rows, error) {
	col, err := scalarColumn(s.Columns)
	if err != nil {
		return nil, err
	}
	none := false
	err = e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		err = t.DropScalarIndex(col.Name)
		if errors.Is(err, store.ErrNoIndex) && s.IfExists {
			none = true
			return nil
		}
		return atColumn(col, err)
	})
	if err != nil {
		return nil, err
	}
	if none {
		return message("index", "none"), nil
	}
	return message("dropped", fmt.Sprintf("index on %s (%s)", s.Table.Name, col.Name)), nil
}

// atColumn positions a store error at the column it is about.
func atColumn(col *query.Ident, err error) error {
	if err == nil {
		return nil
	}
	return plan.ErrAt(col, err, "%s", trimPrefix(err.Error(), "db: "))
}

// scalarColumn checks the column list of a scalar index: one column (the
// store says which can be indexed).
func scalarColumn(cols []*query.Ident) (*query.Ident, error) {
	if len(cols) != 1 {
		return nil, plan.ErrAt(cols[1], nil, "an index covers one column, found %d", len(cols))
	}
	return cols[0], nil
}

// scalarLookup runs ScalarLookup: the rows whose value lies in its ranges,
// in id order; only their ids when the plan needs no more.
func (x *executor) scalarLookup(n *plan.ScalarLookup, out sink) error {
	if !x.t.HasScalarIndex(n.Column) {
		// Dropped since the plan was made (a streamed SELECT reads in a
		// transaction of its own): the rows a scan finds for the condition
		// the lookup served, which the Filter above may not repeat.
		scan := &plan.Scan{Table: n.Table, Vectors: n.Vectors || !n.IDs}
		return x.filter(&plan.Filter{Input: scan, Cond: n.Cond}, out)
	}
	var ids []uint32
	for _, r := range n.Ranges {
		err := x.t.ScanScalar(n.Column, r, func(id uint32) bool {
			ids = append(ids, id)
			return true
		})
		if err != nil {
			return err
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var tp tuple
	for i, id := range ids {
		if (i+1)%4096 == 0 {
			if err := x.e.ctx.Err(); err != nil {
				return err
			}
		}
		tp.row = rowRef{id: id}
		if !n.IDs {
			live, err := x.listedRow(&tp.row, n.Vectors)
			if err != nil {
				return err
			}
			if !live {
				continue
			}
		}
		if err := out(&tp); err != nil {
			return err
		}
	}
	return nil
}

// listedRow reads the row of r.id into r, with its vector when vectors;
// live is false when no live row has that id.
func (x *executor) listedRow(r *rowRef, vectors bool) (live bool, err error) {
	if vectors {
		row, err := x.t.LookupID(r.id)
		if errors.Is(err, store.ErrNoWord) {
			return false, nil
		}
		*r = rowRef{id: row.ID, word: row.Word, count: row.Count, vec: row.Vector}
		return err == nil, err
	}
	word, count, live, err := x.t.RowMeta(r.id)
	*r = rowRef{id: r.id, word: word, count: count}
	return live, err
}
