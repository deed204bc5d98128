package store

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Row is one row of a table: a word, its count (the corpus frequency for
// trained tables, 0 otherwise) and its vector.
type Row struct {
	ID     uint32
	Word   string
	Count  int64
	Vector []float32
	// Cols holds user column values by name: on insert, the columns to
	// set (the others take their defaults); on read, every user column.
	Cols map[string]any
}

// chunkOf splits a row id into its chunk number and slot.
func (t *Table) chunkOf(id uint32) (chunk uint32, slot int) {
	cr := uint32(t.meta.ChunkRows)
	return id / cr, int(id % cr)
}

// Words returns the table's words index.
func (t *Table) Words() wordIndex { return wordIndex{t.ks(KsWords)} }

// WordID looks a word up; found is false if it is absent. A failed read of
// the words index is an error, never "not in vocabulary".
func (t *Table) WordID(word string) (id uint32, found bool, err error) {
	id, _, found, err = t.Words().get(word)
	return id, found, err
}

// rowChunk returns the decoded rows of a chunk for changing it; the result
// is written back when the transaction's changes are flushed.
func (t *Table) rowChunk(chunk uint32) ([]rowEntry, error) {
	if e, ok := t.dirtyRows[chunk]; ok {
		return e, nil
	}
	b, err := t.ks(KsRows).Get(u32key(chunk))
	if err != nil {
		return nil, err
	}
	e, ok := decodeRowChunk(b)
	if !ok {
		return nil, fmt.Errorf("%w: table %s: bad row chunk %d", ErrCorrupt, Quote(t.name), chunk)
	}
	if t.dirtyRows == nil {
		t.dirtyRows = make(map[uint32][]rowEntry)
	}
	t.dirtyRows[chunk] = e
	return e, nil
}

// vecChunk returns a chunk's encoded vectors for changing it, at least
// minLen bytes long.
func (t *Table) vecChunk(chunk uint32, minLen int) ([]byte, error) {
	b, ok := t.dirtyVec[chunk]
	if !ok {
		v, err := t.ks(KsVec).Get(u32key(chunk))
		if err != nil {
			return nil, err
		}
		b = append([]byte(nil), v...)
		if t.dirtyVec == nil {
			t.dirtyVec = make(map[uint32][]byte)
		}
	}
	if len(b) < minLen {
		b = append(b, make([]byte, minLen-len(b))...)
	}
	t.dirtyVec[chunk] = b
	return b, nil
}

// FlushChunks writes the chunks changed in this transaction.
func (t *Table) FlushChunks() error {
	rows, vec := t.ks(KsRows), t.ks(KsVec)
	for c, e := range t.dirtyRows {
		var err error
		if b := encodeRowChunk(e); len(b) > 2+4 {
			err = rows.Put(u32key(c), b)
		} else {
			err = rows.Delete(u32key(c))
		}
		if err != nil {
			return err
		}
	}
	for c, b := range t.dirtyVec {
		if err := vec.Put(u32key(c), b); err != nil {
			return err
		}
	}
	t.dirtyRows, t.dirtyVec = nil, nil
	return t.flushColumns()
}

// RowMeta returns the word and count of a live row.
func (t *Table) RowMeta(id uint32) (word string, count int64, ok bool, err error) {
	chunk, slot := t.chunkOf(id)
	if e, dirty := t.dirtyRows[chunk]; dirty {
		if slot >= len(e) || !e[slot].live {
			return "", 0, false, nil
		}
		return e[slot].word, e[slot].count, true, nil
	}
	b, err := t.ks(KsRows).Get(u32key(chunk))
	if err != nil || b == nil {
		return "", 0, false, err
	}
	count, w, ok, bad := rowChunkSlot(b, slot)
	if bad {
		return "", 0, false, fmt.Errorf("%w: table %s: bad row chunk %d", ErrCorrupt, Quote(t.name), chunk)
	}
	return string(w), count, ok, nil
}

// Vector decodes the vector of row id into dst (len Dim). It does not check
// that the row is live.
func (t *Table) Vector(dst []float32, id uint32) error {
	raw, err := t.vectorBytes(id)
	if err != nil {
		return err
	}
	DecodeVector(dst, raw, t.meta.Elem)
	return nil
}

// vectorBytes returns the stored bytes of row id's vector, valid only in
// the transaction.
func (t *Table) vectorBytes(id uint32) ([]byte, error) {
	chunk, _ := t.chunkOf(id)
	v, ok := t.dirtyVec[chunk]
	if !ok {
		var err error
		if v, err = t.ks(KsVec).Get(u32key(chunk)); err != nil {
			return nil, err
		}
	}
	return t.vectorIn(v, id)
}

// vectorIn returns row id's vector within v, the bytes of its chunk.
func (t *Table) vectorIn(v []byte, id uint32) ([]byte, error) {
	rb := t.meta.rowBytes()
	_, slot := t.chunkOf(id)
	off := slot * rb
	if len(v) < off+rb {
		return nil, fmt.Errorf("%w: table %s: vector of row %d is missing", ErrCorrupt, Quote(t.name), id)
	}
	return v[off : off+rb], nil
}

// lookup returns the row of a word. The words index holds the count too,
// so only the vector is read from the row's chunks.
func (t *Table) lookup(word string) (Row, error) {
	id, count, ok, err := t.Words().get(word)
	if err != nil {
		return Row{}, err
	}
	if !ok {
		return Row{}, fmt.Errorf("%w: %s not in table %s", ErrNoWord, Quote(word), Quote(t.name))
	}
	r := Row{ID: id, Word: word, Count: count, Vector: make([]float32, t.meta.Dim)}
	return r, t.Vector(r.Vector, id)
}

// LookupID returns a live row by id.
func (t *Table) LookupID(id uint32) (Row, error) {
	word, count, ok, err := t.RowMeta(id)
	if err != nil {
		return Row{}, err
	}
	if !ok {
		return Row{}, fmt.Errorf("%w: no row %d in table %s", ErrNoWord, id, Quote(t.name))
	}
	r := Row{ID: id, Word: word, Count: count, Vector: make([]float32, t.meta.Dim)}
	return r, t.Vector(r.Vector, id)
}

// setRow writes a row's word, count and vector (nil: delete the row).
func (t *Table) setRow(id uint32, word string, count int64, v []float32) error {
	chunk, slot := t.chunkOf(id)
	e, err := t.rowChunk(chunk)
	if err != nil {
		return err
	}
	if slot >= len(e) {
		e = append(e, make([]rowEntry, slot+1-len(e))...)
	}
	old := e[slot]
	e[slot] = rowEntry{live: v != nil, count: count, word: word}
	t.dirtyRows[chunk] = e
	if err := t.scalarRowChanged(id, old, e[slot]); err != nil {
		return err
	}
	rb := t.meta.rowBytes()
	buf, err := t.vecChunk(chunk, (slot+1)*rb)
	if err != nil {
		return err
	}
	if v == nil {
		clear(buf[slot*rb : (slot+1)*rb])
	} else {
		encodeVector(buf[slot*rb:(slot+1)*rb], v, t.meta.Elem)
	}
	return nil
}

// Insert adds or replaces a row. With replace, an existing row of the word
// is deleted and the new one added with a new id, as sqlite's REPLACE does:
// a saved index then never holds a stale vector under a live id. Without
// replace, an existing word is an error.
func (t *Table) Insert(word string, count int64, v []float32, replace bool) (uint32, error) {
	return t.InsertRow(Row{Word: word, Count: count, Vector: v}, replace)
}

// InsertRow is Insert for a row with user column values (r.Cols, by name;
// columns not named take their defaults). r.ID is ignored.
func (t *Table) InsertRow(r Row, replace bool) (uint32, error) {
	word, count, v := r.Word, r.Count, r.Vector
	if err := validName("word", word); err != nil {
		return 0, err
	}
	if len(v) != t.meta.Dim {
		return 0, &DimensionError{Table: t.name, Want: t.meta.Dim, Got: len(v)}
	}
	if err := checkFinite(v); err != nil {
		return 0, fmt.Errorf("word %s: %w", Quote(word), err)
	}
	if count < 0 {
		return 0, fmt.Errorf("db: word %s: count must not be negative, got %d", Quote(word), count)
	}
	cols, err := t.rowColumns(word, r.Cols)
	if err != nil {
		return 0, err
	}
	old, exists, err := t.WordID(word)
	if err != nil {
		return 0, err
	}
	if exists {
		if !replace {
			return 0, fmt.Errorf("%w: %s in table %s", ErrWordExists, Quote(word), Quote(t.name))
		}
		if _, err := t.DeleteID(old); err != nil {
			return 0, err
		}
	}
	if t.meta.NextID == math.MaxUint32 {
		return 0, fmt.Errorf("db: table %s is full", Quote(t.name))
	}
	id := t.meta.NextID
	t.meta.NextID++
	t.meta.Rows++
	if err := t.Words().put(word, id, count); err != nil {
		return 0, err
	}
	t.dirty = true
	if err := t.writeColumns(id, cols); err != nil {
		return 0, err
	}
	return id, t.setRow(id, word, count, v)
}

// DeleteID removes a live row; ok is false if there was none.
func (t *Table) DeleteID(id uint32) (bool, error) {
	word, _, ok, err := t.RowMeta(id)
	if err != nil || !ok {
		return false, err
	}
	if word != "" {
		if err := t.Words().remove(word); err != nil {
			return false, err
		}
	}
	t.meta.Rows--
	if ix := t.meta.Index; ix != nil && id < ix.Upto {
		cp := *ix // the meta may be shared with readers' caches: copy before changing
		cp.Deleted++
		t.meta.Index = &cp
	}
	t.dirty = true
	if err := t.clearColumns(id); err != nil {
		return false, err
	}
	return true, t.setRow(id, "", 0, nil)
}

// ForEachRow calls fn for every live row in id order, from id start. The
// row's Vector is nil unless withVectors; it is fn's to keep. Changes not
// yet flushed are not seen: call it before changing the table, or after
// flushChunks.
func (t *Table) ForEachRow(start uint32, withVectors bool, fn func(Row) error) error {
	c := t.ks(KsRows).Cursor()
	vc := t.ks(KsVec)
	rb := t.meta.rowBytes()
	first, _ := t.chunkOf(start)
	var err error
	for k, v := c.Seek(u32key(first)); k != nil; k, v = c.Next() {
		if len(k) != 4 {
			return fmt.Errorf("%w: table %s: bad row chunk key", ErrCorrupt, Quote(t.name))
		}
		chunk := binary.BigEndian.Uint32(k)
		entries, ok := decodeRowChunk(v)
		if !ok {
			return fmt.Errorf("%w: table %s: bad row chunk %d", ErrCorrupt, Quote(t.name), chunk)
		}
		var vecs []byte
		if withVectors {
			if vecs, err = vc.Get(k); err != nil {
				return err
			}
		}
		base := chunk * uint32(t.meta.ChunkRows)
		for i, e := range entries {
			id := base + uint32(i)
			if !e.live || id < start {
				continue
			}
			r := Row{ID: id, Word: e.word, Count: e.count}
			if withVectors {
				if len(vecs) < (i+1)*rb {
					return fmt.Errorf("%w: table %s: vector of row %d is missing", ErrCorrupt, Quote(t.name), id)
				}
				r.Vector = make([]float32, t.meta.Dim)
				DecodeVector(r.Vector, vecs[i*rb:(i+1)*rb], t.meta.Elem)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return c.Err()
}

// forEachChunk calls fn with the vectors of each chunk in id order: first is
// the id of the chunk's first row, vecs holds the decoded rows (deleted rows
// are zero vectors). vecs is reused between calls.
func (t *Table) forEachChunk(fn func(first uint32, vecs []float32) error) error {
	c := t.ks(KsVec).Cursor()
	rb := t.meta.rowBytes()
	buf := make([]float32, t.meta.ChunkRows*t.meta.Dim)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 4 || len(v)%rb != 0 || len(v)/rb > t.meta.ChunkRows {
			return fmt.Errorf("%w: table %s: bad vector chunk", ErrCorrupt, Quote(t.name))
		}
		n := len(v) / rb
		vecs := buf[:n*t.meta.Dim]
		DecodeVector(vecs, v, t.meta.Elem)
		if err := fn(binary.BigEndian.Uint32(k)*uint32(t.meta.ChunkRows), vecs); err != nil {
			return err
		}
	}
	return c.Err()
}
