package store

import (
	"encoding/binary"
	"sort"
)

// checkColumns checks the user columns' chunks for CHECK DATABASE: each
// chunk belongs to a column of the table, decodes as the column's type,
// holds no slot past the table's next id, and a NOT NULL column holds a
// value in every live row. live are the ids of the live rows.
func checkColumns(t *Table, live map[uint32]bool, report func(string, ...any)) {
	byID := make(map[uint32]*Column, len(t.meta.Columns))
	for i := range t.meta.Columns {
		byID[t.meta.Columns[i].ID] = &t.meta.Columns[i]
	}
	c := t.ks(KsCol).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			report("column chunk key of %d bytes", len(k))
			continue
		}
		id, chunk := binary.BigEndian.Uint32(k), binary.BigEndian.Uint32(k[4:])
		col := byID[id]
		if col == nil {
			report("chunk %d of column id %d, which the table does not have", chunk, id)
			continue
		}
		vals, ok := decodeColChunk(col.Type, v, col.Rows)
		if !ok {
			report("column %s: chunk %d is malformed", Quote(col.Name), chunk)
			continue
		}
		first := uint64(chunk) * uint64(col.Rows)
		if n := uint64(len(vals)); n > 0 && first+n > uint64(t.meta.NextID) {
			report("column %s: chunk %d holds rows beyond next id %d", Quote(col.Name), chunk, t.meta.NextID)
		}
	}
	checkNotNull(t, live, report)
}

// checkNotNull reports live rows that hold NULL in a NOT NULL column.
func checkNotNull(t *Table, live map[uint32]bool, report func(string, ...any)) {
	ids := make([]uint32, 0, len(live))
	for id := range live {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for i := range t.meta.Columns {
		col := &t.meta.Columns[i]
		if !col.NotNull {
			continue
		}
		r := &ColumnReader{t: t, c: col}
		for _, id := range ids {
			v, err := r.Value(id)
			if err != nil {
				report("column %s: %v", Quote(col.Name), err)
				break
			}
			if v == nil {
				report("column %s is NOT NULL, but row %d holds NULL", Quote(col.Name), id)
				break
			}
		}
	}
}
