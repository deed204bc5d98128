package store

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// User columns: a table's schema beyond (id, word, count, vector), kept in
// its info, with the values in column chunks (colchunk.go). A table made
// before columns existed simply has none: old files are read as they are,
// and nothing is migrated.

// FixedColumns are the columns every table has; no user column may take
// their names.
var FixedColumns = []string{"id", "word", "count", "vector"}

// colRef names one chunk of one column.
type colRef struct{ col, chunk uint32 }

// Columns returns the table's user columns in their order. The slice must
// not be changed.
func (t *Table) Columns() []Column { return t.meta.Columns }

// ColumnIndex returns the position of user column name in Columns, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i := range t.meta.Columns {
		if t.meta.Columns[i].Name == name {
			return i
		}
	}
	return -1
}

// storedColChunk decodes the stored chunk of column c; nil if none.
func (t *Table) storedColChunk(c *Column, chunk uint32) ([]any, error) {
	b, err := t.ks(KsCol).Get(colKey(c.ID, chunk))
	if err != nil || b == nil {
		return nil, err
	}
	vals, ok := decodeColChunk(c.Type, b, c.Rows)
	if !ok {
		return nil, t.badColChunk(c, chunk)
	}
	return vals, nil
}

// readColChunk returns the values of a chunk of column c as this
// transaction sees them, changed or stored.
func (t *Table) readColChunk(c *Column, chunk uint32) ([]any, error) {
	if v, ok := t.dirtyCols[colRef{c.ID, chunk}]; ok {
		return v, nil
	}
	return t.storedColChunk(c, chunk)
}

// slotValue is the value of slot in a chunk's decoded values.
func slotValue(c *Column, vals []any, slot int) any {
	if slot >= len(vals) {
		return c.Fill
	}
	return vals[slot]
}

// ColumnValue returns the value of user column i (an index into Columns)
// in row id; it does not check that the row is live. Each call decodes the
// column's chunk: a caller reading many rows uses a ColumnReader.
func (t *Table) ColumnValue(i int, id uint32) (any, error) {
	c := &t.meta.Columns[i]
	chunk, slot := id/uint32(c.Rows), int(id%uint32(c.Rows))
	vals, err := t.readColChunk(c, chunk)
	if err != nil {
		return nil, err
	}
	return slotValue(c, vals, slot), nil
}

// ColumnReader reads one column's values by row id, decoding each chunk
// once: a scan, a filter or a scalar index reads a column through one.
// It belongs to its table's transaction and is not safe for concurrent
// use.
type ColumnReader struct {
	t      *Table
	c      *Column
	chunk  uint32
	vals   []any
	loaded bool
	// raw is chunk as stored, while its values are read one by one
	// (colSlot), reads of them so far: past a sixteenth of the chunk's
	// slots it is decoded whole. A scan decodes each chunk once; a lookup
	// of scattered rows (a scalar index's) decodes only their slots.
	raw   []byte
	reads int
}

// ColumnReader returns a reader of user column name, or an error wrapping
// ErrNoColumn.
func (t *Table) ColumnReader(name string) (*ColumnReader, error) {
	i := t.ColumnIndex(name)
	if i < 0 {
		return nil, fmt.Errorf("%w: %s in table %s", ErrNoColumn, Quote(name), Quote(t.name))
	}
	return &ColumnReader{t: t, c: &t.meta.Columns[i]}, nil
}

// Column describes the column the reader reads.
func (r *ColumnReader) Column() Column { return *r.c }

// Value returns the column's value in row id (nil for NULL): int64,
// float64, bool or string as the column's type says. It does not check
// that the row is live.
func (r *ColumnReader) Value(id uint32) (any, error) {
	chunk, slot := id/uint32(r.c.Rows), int(id%uint32(r.c.Rows))
	if chunk != r.chunk || (!r.loaded && r.raw == nil) {
		r.chunk, r.loaded, r.raw, r.reads = chunk, false, nil, 0
		if _, dirty := r.t.dirtyCols[colRef{r.c.ID, chunk}]; !dirty {
			b, err := r.t.ks(KsCol).Get(colKey(r.c.ID, chunk))
			if err != nil {
				return nil, err
			}
			r.raw = b
		}
	}
	if !r.loaded && r.raw != nil && r.reads < r.c.Rows/16 {
		r.reads++
		v, past, ok := colSlot(r.c.Type, r.raw, r.c.Rows, slot)
		if !ok {
			return nil, r.t.badColChunk(r.c, chunk)
		}
		if past {
			return r.c.Fill, nil
		}
		return v, nil
	}
	if !r.loaded {
		vals, err := r.t.readColChunk(r.c, chunk)
		if err != nil {
			return nil, err
		}
		r.vals, r.loaded, r.raw = vals, true, nil
	}
	return slotValue(r.c, r.vals, slot), nil
}

// badColChunk is the error of a malformed chunk of column c.
func (t *Table) badColChunk(c *Column, chunk uint32) error {
	return fmt.Errorf("%w: table %s: column %s: bad chunk %d", ErrCorrupt, Quote(t.name), Quote(c.Name), chunk)
}

// colChunkForChange returns chunk's values for changing, holding at least
// slot+1 slots; they are written when the transaction's changes are
// flushed.
func (t *Table) colChunkForChange(c *Column, chunk uint32, slot int) ([]any, error) {
	ref := colRef{c.ID, chunk}
	vals, ok := t.dirtyCols[ref]
	if !ok {
		var err error
		if vals, err = t.storedColChunk(c, chunk); err != nil {
			return nil, err
		}
		if t.dirtyCols == nil {
			t.dirtyCols = make(map[colRef][]any)
		}
	}
	for len(vals) <= slot {
		vals = append(vals, c.Fill)
	}
	t.dirtyCols[ref] = vals
	return vals, nil
}

// setColumnValue writes v, already checked, as column i of row id. Every
// change of a column value passes here (INSERT, UPDATE, DELETE): it is
// where an index on the column learns of it (see columnChanged).
func (t *Table) setColumnValue(i int, id uint32, v any) error {
	c := &t.meta.Columns[i]
	if err := t.columnChanged(c, id, v); err != nil {
		return err
	}
	chunk, slot := id/uint32(c.Rows), int(id%uint32(c.Rows))
	if v == nil && c.Fill == nil {
		if vals, err := t.readColChunk(c, chunk); err != nil || slot >= len(vals) {
			return err // NULL already: nothing to write
		}
	}
	vals, err := t.colChunkForChange(c, chunk, slot)
	if err != nil {
		return err
	}
	if err := t.scalarValueChanged(c.Name, id, vals[slot], v); err != nil {
		return err // scalar.go: the column's index follows its values
	}
	vals[slot] = v
	return nil
}

// columnChanged is the hook for scalar indexes on user columns (CREATE
// INDEX ON t (col)): it is called, in the writing transaction, before
// column c of row id becomes v (nil: NULL, or the row deleted). Nothing
// indexes columns yet.
func (t *Table) columnChanged(c *Column, id uint32, v any) error { return nil }

// SetColumn sets user column i of the live row id to v, checking v
// against the column's type and NOT NULL. Only the column's chunk is
// rewritten: not the row's vector chunk.
func (t *Table) SetColumn(i int, id uint32, v any) error {
	c := &t.meta.Columns[i]
	v, err := c.CheckValue(v)
	if err != nil {
		return fmt.Errorf("row %d: %w", id, err)
	}
	t.dirty = true
	return t.setColumnValue(i, id, v)
}

// rowColumns resolves the user column values of a new row: given values
// checked, defaults for the rest. word names the row in errors.
func (t *Table) rowColumns(word string, given map[string]any) ([]any, error) {
	cols := t.meta.Columns
	if len(given) > 0 {
		for name := range given {
			if t.ColumnIndex(name) < 0 {
				return nil, fmt.Errorf("%w: %s in table %s (row %s)", ErrNoColumn, Quote(name), Quote(t.name), Quote(word))
			}
		}
	}
	out := make([]any, len(cols))
	for i := range cols {
		v, ok := given[cols[i].Name]
		if !ok {
			v = cols[i].Default
		}
		cv, err := cols[i].CheckValue(v)
		if errors.Is(err, ErrNotNull) {
			return nil, NotNullError(word, cols[i].Name)
		}
		if err != nil {
			return nil, fmt.Errorf("row %s: %w", Quote(word), err)
		}
		out[i] = cv
	}
	return out, nil
}

// RowColumns returns every user column's value of row id, by name.
func (t *Table) RowColumns(id uint32) (map[string]any, error) {
	if len(t.meta.Columns) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(t.meta.Columns))
	for i := range t.meta.Columns {
		v, err := t.ColumnValue(i, id)
		if err != nil {
			return nil, err
		}
		out[t.meta.Columns[i].Name] = v
	}
	return out, nil
}

// flushColumns writes the column chunks changed in this transaction.
func (t *Table) flushColumns() error {
	if len(t.dirtyCols) == 0 {
		return nil
	}
	types := make(map[uint32]ColType, len(t.meta.Columns))
	for _, c := range t.meta.Columns {
		types[c.ID] = c.Type
	}
	// Chunks are small and mostly appended: fill pages whole, so that a
	// column costs little more than its values.
	t.b.FillPercent = 1
	ks := t.ks(KsCol)
	refs := make([]colRef, 0, len(t.dirtyCols))
	for r := range t.dirtyCols {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(a, b int) bool {
		return refs[a].col < refs[b].col || refs[a].col == refs[b].col && refs[a].chunk < refs[b].chunk
	})
	for _, r := range refs {
		typ, live := types[r.col]
		if !live {
			continue // dropped in this transaction
		}
		if err := ks.Put(colKey(r.col, r.chunk), encodeColChunk(typ, t.dirtyCols[r])); err != nil {
			return err
		}
	}
	t.dirtyCols = nil
	return nil
}

// ValidColumnName checks a user column's name: not empty, not a fixed
// column's, not the name of another column of the table.
func (t *Table) ValidColumnName(name string) error {
	if err := validName("column name", name); err != nil {
		return err
	}
	for _, f := range FixedColumns {
		if f == name {
			return fmt.Errorf("%w: %s is a column of every table", ErrInvalidName, Quote(name))
		}
	}
	if t.ColumnIndex(name) >= 0 {
		return fmt.Errorf("%w: column %s already exists in table %s", ErrInvalidName, Quote(name), Quote(t.name))
	}
	return nil
}

// newColumn fills in a column's id and chunk size, and checks its default.
func (m *tableMeta) newColumn(c Column) (Column, error) {
	d, err := c.CheckValue(c.Default)
	if c.Default == nil && c.NotNull {
		err = nil // NOT NULL without DEFAULT: every INSERT must set it
	}
	if err != nil {
		return Column{}, fmt.Errorf("default of column %s: %w", Quote(c.Name), err)
	}
	m.NextCol++
	c.ID, c.Default, c.Fill, c.Rows = m.NextCol, d, nil, c.Type.chunkRows()
	return c, nil
}

// AddColumn adds a user column. Existing rows read its default (NULL
// without one) without any chunk being written; a NOT NULL column needs a
// default when the table has rows.
func (t *Table) AddColumn(c Column) error {
	if err := t.ValidColumnName(c.Name); err != nil {
		return err
	}
	if c.NotNull && c.Default == nil && t.meta.Rows > 0 {
		return fmt.Errorf("%w: column %s is NOT NULL without a DEFAULT, and table %s has rows", ErrNotNull, Quote(c.Name), Quote(t.name))
	}
	nc, err := t.meta.newColumn(c)
	if err != nil {
		return err
	}
	nc.Fill = nc.Default
	// The meta may be shared with readers' caches: a new slice.
	t.meta.Columns = append(append([]Column(nil), t.meta.Columns...), nc)
	t.dirty = true
	return nil
}

// DropColumn removes a user column and its chunks.
func (t *Table) DropColumn(name string) error {
	i := t.ColumnIndex(name)
	if i < 0 {
		return fmt.Errorf("%w: %s in table %s", ErrNoColumn, Quote(name), Quote(t.name))
	}
	if t.HasScalarIndex(name) {
		if err := t.DropScalarIndex(name); err != nil { // scalar.go
			return err
		}
	}
	id := t.meta.Columns[i].ID
	cols := append([]Column(nil), t.meta.Columns[:i]...)
	t.meta.Columns = append(cols, t.meta.Columns[i+1:]...)
	for r := range t.dirtyCols {
		if r.col == id {
			delete(t.dirtyCols, r)
		}
	}
	t.dirty = true
	return t.deleteColumnChunks(id)
}

// deleteColumnChunks removes every stored chunk of column id.
func (t *Table) deleteColumnChunks(id uint32) error {
	prefix := append([]byte{KsCol}, u32key(id)...)
	var keys [][]byte
	c := t.b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := t.b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// clearColumns sets every user column of row id to NULL: its row was
// deleted.
func (t *Table) clearColumns(id uint32) error {
	for i := range t.meta.Columns {
		if err := t.setColumnValue(i, id, nil); err != nil {
			return err
		}
	}
	return nil
}

// writeColumns writes the values of a new row's user columns.
func (t *Table) writeColumns(id uint32, vals []any) error {
	for i, v := range vals {
		if err := t.setColumnValue(i, id, v); err != nil {
			return err
		}
	}
	return nil
}

// addSpecColumns adds the columns of a new table's spec.
func (m *tableMeta) addSpecColumns(cols []Column) error {
	seen := map[string]bool{}
	for _, f := range FixedColumns {
		seen[f] = true
	}
	for _, c := range cols {
		if err := validName("column name", c.Name); err != nil {
			return err
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: column %s named twice (id, word, count and vector are every table's)", ErrInvalidName, Quote(c.Name))
		}
		seen[c.Name] = true
		if _, ok := colTypeNames[c.Type]; !ok {
			return fmt.Errorf("column %s: unknown type %d", Quote(c.Name), c.Type)
		}
		nc, err := m.newColumn(c)
		if err != nil {
			return err
		}
		m.Columns = append(m.Columns, nc)
	}
	return nil
}

// validColumns checks and decodes the columns of loaded metadata.
func (m *tableMeta) validColumns() bool {
	for i := range m.Columns {
		c := &m.Columns[i]
		if _, ok := colTypeNames[c.Type]; !ok || c.Rows < 1 || c.ID < 1 || c.ID > m.NextCol || c.decodeValues() != nil {
			return false
		}
	}
	return true
}

// readers returns a reader of each user column, in order.
func (t *Table) readers() []*ColumnReader {
	out := make([]*ColumnReader, len(t.meta.Columns))
	for i := range t.meta.Columns {
		out[i] = &ColumnReader{t: t, c: &t.meta.Columns[i]}
	}
	return out
}

// readRow reads row id's user columns by name with readers (nil: none).
func readRow(readers []*ColumnReader, id uint32) (map[string]any, error) {
	if len(readers) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(readers))
	for _, r := range readers {
		v, err := r.Value(id)
		if err != nil {
			return nil, err
		}
		out[r.c.Name] = v
	}
	return out, nil
}
