package store

import (
	"sync"

	"github.com/embeddb/embeddb/index"
)

// Quantized indexes keep the graph and one code per row; the float32
// vectors stay in the table, and a search rescores its candidates by
// reading them from there.

// IndexQuantization returns the quantization an index was built with.
func IndexQuantization(ix *IndexInfo) index.Quantization {
	s, _ := ix.Params["quantization"].(string)
	if s == "" {
		return index.QuantNone // before parsing: its error costs a query its time
	}
	q, err := index.ParseQuantization(s)
	if err != nil {
		return index.QuantNone
	}
	return q
}

// VectorSource reads full vectors of t for rescoring. It is valid while
// t's transaction is open.
//
// In a read transaction it reads through the table's chunk map
// (vecChunks): a rescoring reads 20–40 rows at random, and each through
// Table.Vector cost a descent of bbolt's tree and a lookup in the
// checksum cache, several cache misses a row.
func (d *DB) VectorSource(t *Table) func(id uint32, dst []float32) error {
	// Only a read transaction's pages stay put; and a bucket kept inline
	// in its parent's page (root 0: too small for pages of its own; not
	// seen for tables, which hold sub-buckets) moves whenever that page is
	// rewritten for a neighbour.
	if t.verified == nil || len(t.dirtyVec) > 0 || t.b.Root() == 0 {
		return func(id uint32, dst []float32) error { return t.Vector(dst, id) }
	}
	m := d.cached(t).chunkMap(t)
	return func(id uint32, dst []float32) error {
		raw, err := m.row(t, id)
		if err != nil {
			return err
		}
		DecodeVector(dst, raw, t.meta.Elem)
		return nil
	}
}

// vecChunks remembers where the verified bytes of each vector chunk of one
// version of a table lie in one memory map of the file. They stay there
// while that map does: a chunk's pages change only when the table does
// (a new version, a new tableCache), and a map is replaced only by
// reopening the file (a new *bolt.DB) or growing it (a new address).
// After VACUUM or another process's commit the file's pages may hold
// other data at the same address, so those drop every table's map as they
// drop the checksum cache (resetChunkMaps).
type vecChunks struct {
	mu     sync.Mutex
	handle any     // the *bolt.DB whose map this is
	at     uintptr // where that map lay
	bodies [][]byte
}

// chunkMap returns the cache's chunk map for t's transaction, emptied if
// the file's map is not the one it was made for.
func (c *tableCache) chunkMap(t *Table) *vecChunks {
	m := &c.vec
	db := t.b.Tx().DB()
	at := db.Info().Data
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.handle != any(db) || m.at != at {
		m.handle, m.at, m.bodies = db, at, nil
	}
	return m
}

// row returns the stored bytes of row id's vector.
func (m *vecChunks) row(t *Table, id uint32) ([]byte, error) {
	chunk, _ := t.chunkOf(id)
	m.mu.Lock()
	var v []byte
	if int(chunk) < len(m.bodies) {
		v = m.bodies[chunk]
	}
	m.mu.Unlock()
	if v == nil {
		var err error
		if v, err = t.ks(KsVec).Get(u32key(chunk)); err != nil {
			return nil, err
		}
		m.keep(chunk, v)
	}
	return t.vectorIn(v, id)
}

// keep remembers chunk's verified bytes v.
func (m *vecChunks) keep(chunk uint32, v []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if int(chunk) >= len(m.bodies) {
		m.bodies = append(m.bodies, make([][]byte, int(chunk)+1-len(m.bodies))...)
	}
	m.bodies[chunk] = v
}

// resetChunkMaps forgets every table's chunk map: the file's pages may
// now hold other data at the addresses they remember.
func (d *DB) resetChunkMaps() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.cache {
		c.vec.mu.Lock()
		c.vec.handle, c.vec.bodies = nil, nil
		c.vec.mu.Unlock()
	}
}

// checkIndexCodes compares the code of every indexed live row of t with
// its vector, for CHECK DATABASE.
func checkIndexCodes(t *Table, h *index.HNSW, upto uint32, report func(string, ...any)) {
	if h.Options().Quantization == index.QuantNone {
		return
	}
	bad, first := 0, uint32(0)
	t.ForEachRow(0, true, func(r Row) error {
		if r.ID >= upto || !h.Contains(r.ID) {
			return nil
		}
		if err := h.CheckCodes(r.ID, r.Vector); err != nil {
			if bad == 0 {
				first = r.ID
			}
			bad++
		}
		return nil
	})
	if bad > 0 {
		report("%d index codes do not match their rows' vectors (the first: row %d)", bad, first)
	}
}
