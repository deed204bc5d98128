package store

import (
	"encoding/binary"
	"fmt"
)

// RowChunk is the live rows of one storage chunk, in id order: IDs[i],
// Words[i] and Counts[i] go with Vecs[i*Dim:(i+1)*Dim]. Its slices are
// reused by the next chunk.
type RowChunk struct {
	IDs    []uint32
	Words  []string
	Counts []int64
	Vecs   []float32
}

// ForEachRowChunk calls fn with the live rows of each chunk in id order,
// decoded to float32. It is ForEachRow for a reader of whole tables (EXPORT):
// a chunk of rows at a time, without a vector allocated per row.
func (t *Table) ForEachRowChunk(fn func(*RowChunk) error) error {
	c := t.ks(KsRows).Cursor()
	vc := t.ks(KsVec)
	rb, dim := t.meta.rowBytes(), t.meta.Dim
	rc := &RowChunk{Vecs: make([]float32, 0, t.meta.ChunkRows*dim)}
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 4 {
			return fmt.Errorf("%w: table %s: bad row chunk key", ErrCorrupt, Quote(t.name))
		}
		chunk := binary.BigEndian.Uint32(k)
		entries, ok := decodeRowChunk(v)
		if !ok || len(entries) > t.meta.ChunkRows {
			return fmt.Errorf("%w: table %s: bad row chunk %d", ErrCorrupt, Quote(t.name), chunk)
		}
		vecs, err := vc.Get(k)
		if err != nil {
			return err
		}
		base := chunk * uint32(t.meta.ChunkRows)
		rc.IDs, rc.Words, rc.Counts, rc.Vecs = rc.IDs[:0], rc.Words[:0], rc.Counts[:0], rc.Vecs[:0]
		for i, e := range entries {
			if !e.live {
				continue
			}
			if len(vecs) < (i+1)*rb {
				return fmt.Errorf("%w: table %s: vector of row %d is missing", ErrCorrupt, Quote(t.name), base+uint32(i))
			}
			rc.IDs, rc.Words, rc.Counts = append(rc.IDs, base+uint32(i)), append(rc.Words, e.word), append(rc.Counts, e.count)
			n := len(rc.Vecs)
			rc.Vecs = rc.Vecs[:n+dim]
			DecodeVector(rc.Vecs[n:], vecs[i*rb:(i+1)*rb], t.meta.Elem)
		}
		if len(rc.IDs) == 0 {
			continue
		}
		if err := fn(rc); err != nil {
			return err
		}
	}
	return c.Err()
}
