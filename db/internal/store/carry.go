package store

import (
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Carrying a table's columns through a rebuild. TRAIN ... WITH (update =
// true) and IMPORT ... WITH (replace = true) write the table anew through
// a BulkWriter, which knows only words, counts and vectors. With
// BulkOptions.KeepColumns the new table takes the replaced one's user
// columns and scalar indexes when it is published, in the transaction that
// publishes it: a row whose word the old table has keeps that row's
// values, a new word gets each column's DEFAULT (NULL without one), and
// the scalar indexes are built over the new rows.

// RequiredColumn returns the first user column of t that is NOT NULL
// without a DEFAULT, which a row added by a rebuild could not fill; ""
// when there is none.
func (t *Table) RequiredColumn() string {
	for _, c := range t.meta.Columns {
		if c.NotNull && c.Default == nil {
			return c.Name
		}
	}
	return ""
}

// RequiredColumnError is the error of a rebuild of table name that cannot
// keep its column col (see RequiredColumn).
func RequiredColumnError(name, col string) error {
	return fmt.Errorf("%w: table %s: column %s is NOT NULL without a DEFAULT, so the rows of new words would have no value; nothing was loaded (drop the column, or add it again with a DEFAULT, first)",
		ErrNotNull, Quote(name), Quote(col))
}

// checkKeepable fails a load that keeps the columns of the table with id
// old when a column could not be filled, before anything is written.
func checkKeepable(tx *bolt.Tx, name string, old uint64) error {
	t, err := openTableID(tx, old)
	if err != nil {
		return err
	}
	if col := t.RequiredColumn(); col != "" {
		return RequiredColumnError(name, col)
	}
	return nil
}

// carryColumns gives t, a table a bulk load has written (rows 0 to
// NextID-1, all live), the user columns and scalar indexes of the table
// with id old, which it replaces.
func carryColumns(tx *bolt.Tx, old uint64, t *Table) error {
	o, err := openTableID(tx, old)
	if err != nil {
		return err
	}
	if len(o.meta.Columns) == 0 && len(o.meta.Scalar) == 0 {
		return nil
	}
	t.meta.Columns, t.meta.NextCol = slices.Clone(o.meta.Columns), o.meta.NextCol
	from := make([]int64, t.meta.NextID) // the old id of each new row, -1 for a new word
	words := make([]string, t.meta.NextID)
	err = t.ForEachRow(0, false, func(r Row) error {
		from[r.ID], words[r.ID] = -1, r.Word
		if r.Word == "" {
			return nil
		}
		id, found, err := o.WordID(r.Word)
		if found {
			from[r.ID] = int64(id)
		}
		return err
	})
	if err != nil {
		return err
	}
	for i := range t.meta.Columns {
		if err := carryColumn(o, t, &t.meta.Columns[i], from, words); err != nil {
			return err
		}
	}
	for _, col := range o.meta.Scalar {
		if err := t.CreateScalarIndex(col); err != nil {
			return err
		}
	}
	return nil
}

// carryColumn writes every chunk of column c of t: each row's value in
// the old table o, or c's DEFAULT for a new word.
func carryColumn(o, t *Table, c *Column, from []int64, words []string) error {
	r, err := o.ColumnReader(c.Name)
	if err != nil {
		return err
	}
	ks := t.ks(KsCol)
	n := len(from)
	for chunk := 0; chunk*c.Rows < n; chunk++ {
		vals := make([]any, min(c.Rows, n-chunk*c.Rows))
		for slot := range vals {
			id := chunk*c.Rows + slot
			v := c.Default
			if from[id] >= 0 {
				if v, err = r.Value(uint32(from[id])); err != nil {
					return err
				}
			}
			if v == nil && c.NotNull {
				return NotNullError(words[id], c.Name)
			}
			vals[slot] = v
		}
		if err := ks.Put(colKey(c.ID, uint32(chunk)), encodeColChunk(c.Type, vals)); err != nil {
			return err
		}
	}
	return nil
}
