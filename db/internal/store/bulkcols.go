package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// A bulk load of a table with user columns (TableSpec.Columns: IMPORT of
// a Parquet or Arrow file with columns of its own) writes their chunks as
// INSERT does (colchunk.go): chunk k of a column holds rows k*Rows to
// (k+1)*Rows-1, and since a load's ids run 0, 1, 2, ..., each chunk is
// filled in turn and written once, full. The chunks are written in
// transactions of their own, every bulkFlush bytes and at Commit, into the
// hidden table that Abort drops, so a failed load leaves none behind.

// bulkCols is what a BulkWriter holds of its table's user columns.
type bulkCols struct {
	batch   [][]any  // the values of the rows being appended, by column; nil: defaults
	bufs    [][]any  // per column, the values of the chunk being filled
	chunkNo []uint32 // per column, that chunk's number
	keys    [][]byte // full chunks not yet written: their keys in KsCol
	vals    [][]byte // and their encoded values
	pending int      // bytes in vals
}

// AppendColumns is Append with the rows' user column values: cols[j][i]
// is column j (in the order of the table's columns) of row i; a nil
// cols[j] gives every row column j's default. Each value is checked
// against its column's type and NOT NULL, as INSERT checks it.
func (w *BulkWriter) AppendColumns(words []string, counts []int64, vecs []float32, cols [][]any) error {
	if err := w.setBatchColumns(len(words), cols); err != nil {
		return err
	}
	defer w.endBatchColumns()
	return w.Append(words, counts, vecs)
}

// AppendRawColumns is AppendRaw with the rows' user column values, as
// AppendColumns takes them.
func (w *BulkWriter) AppendRawColumns(words []string, counts []int64, raw []byte, cols [][]any) error {
	if err := w.setBatchColumns(len(words), cols); err != nil {
		return err
	}
	defer w.endBatchColumns()
	return w.AppendRaw(words, counts, raw)
}

// setBatchColumns holds the column values of the n rows about to be
// appended, for addColumnRow.
func (w *BulkWriter) setBatchColumns(n int, cols [][]any) error {
	if cols == nil {
		return nil
	}
	if len(cols) != len(w.meta.Columns) {
		return w.fail(fmt.Errorf("db: bulk load: %d columns of values for table %s's %d columns", len(cols), Quote(w.name), len(w.meta.Columns)))
	}
	for j, c := range cols {
		if c != nil && len(c) != n {
			return w.fail(fmt.Errorf("db: bulk load: %d values of column %s for %d rows", len(c), Quote(w.meta.Columns[j].Name), n))
		}
	}
	w.columns().batch = cols
	return nil
}

func (w *BulkWriter) endBatchColumns() {
	if w.cols != nil {
		w.cols.batch = nil
	}
}

// columns returns w.cols, made on first use.
func (w *BulkWriter) columns() *bulkCols {
	if w.cols == nil {
		n := len(w.meta.Columns)
		w.cols = &bulkCols{bufs: make([][]any, n), chunkNo: make([]uint32, n)}
	}
	return w.cols
}

// addColumnRow stores the user column values of the row that is about to
// take id w.next: row i of the batch being appended, with word.
func (w *BulkWriter) addColumnRow(word string, i int) error {
	if len(w.meta.Columns) == 0 {
		return nil
	}
	bc := w.columns()
	for j := range w.meta.Columns {
		c := &w.meta.Columns[j]
		var v any = c.Default
		if bc.batch != nil && bc.batch[j] != nil {
			v = bc.batch[j][i]
		}
		cv, err := c.CheckValue(v)
		if err != nil {
			return w.fail(fmt.Errorf("row %d (%s): %w", w.next, Quote(word), err))
		}
		bc.bufs[j] = append(bc.bufs[j], cv)
		if len(bc.bufs[j]) == c.Rows {
			bc.endChunk(c, j)
		}
	}
	if bc.pending >= bulkFlush {
		return w.writeColumnChunks()
	}
	return nil
}

// endChunk encodes column j's chunk being filled, for writing. Its
// trailing NULLs are left out, and a chunk of NULLs only is not written,
// as INSERT leaves them (setColumnValue): a slot past a chunk's end, or
// of no chunk, reads as the column's Fill, which is NULL for a column the
// table was made with. So the bytes are those INSERT writes.
func (bc *bulkCols) endChunk(c *Column, j int) {
	vals := bc.bufs[j]
	n := len(vals)
	for c.Fill == nil && n > 0 && vals[n-1] == nil {
		n--
	}
	if n > 0 {
		b := encodeColChunk(c.Type, vals[:n])
		bc.keys = append(bc.keys, colKey(c.ID, bc.chunkNo[j]))
		bc.vals = append(bc.vals, b)
		bc.pending += len(b)
	}
	bc.chunkNo[j]++
	clear(vals)
	bc.bufs[j] = vals[:0]
}

// writeColumnChunks writes the encoded chunks held, in one transaction,
// after the flush of vectors in flight (bbolt has one writer at a time).
func (w *BulkWriter) writeColumnChunks() error {
	bc := w.cols
	if bc == nil || len(bc.keys) == 0 {
		return nil
	}
	if err := w.wait(); err != nil {
		return err
	}
	err := w.db.update(w.ctx, func(tx *bolt.Tx) error {
		t, err := openTableID(tx, w.id)
		if err != nil {
			return err
		}
		t.b.FillPercent = 1 // chunks arrive in order within a column
		ks := t.ks(KsCol)
		for i, k := range bc.keys {
			if err := ks.Put(k, bc.vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return w.fail(fmt.Errorf("write columns: %w", err))
	}
	bc.keys, bc.vals, bc.pending = nil, nil, 0
	return nil
}

// endColumns writes the columns' last chunks; Commit calls it before the
// table is published.
func (w *BulkWriter) endColumns() {
	if w.cols == nil || w.err != nil {
		return
	}
	for j := range w.meta.Columns {
		if len(w.cols.bufs[j]) > 0 {
			w.cols.endChunk(&w.meta.Columns[j], j)
		}
	}
	w.writeColumnChunks()
}
