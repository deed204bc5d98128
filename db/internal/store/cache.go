package store

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	"github.com/embeddb/embeddb/index"
	bolt "go.etcd.io/bbolt"
)

// tableCache holds what queries derive from one version of one table and
// keep between statements: the matrix for exact search. Any change to the
// table makes a new version, and the next query builds afresh. Caches that
// depend only on an immutable blob (the saved index graph, the tokenizer)
// are kept by blob name instead, so they survive changes to the rows.
type tableCache struct {
	id  uint64
	ver uint64

	mu      sync.Mutex
	flat    *index.Flat
	flatErr error

	// The words and counts of all rows by id ("" and 0 for deleted and
	// unnamed rows), so that search results and WHERE filters need no
	// reads of row chunks.
	names     []string
	counts    []int64
	live      []bool
	namesDone bool
	// The ids of the live named rows by word, over names: a query word
	// then needs no walk of the words index.
	byWord wordSlots
	words  *Words // names and byWord, for callers that keep them (epoch.go)

	vec vecChunks // where the vector chunks lie, for rescoring (quantized.go)
}

// cached returns the cache of table t at its current version, creating an
// empty one if there is none or it is stale.
func (d *DB) cached(t *Table) *tableCache {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.cache[t.id]
	if c == nil || c.ver != t.ver {
		c = &tableCache{id: t.id, ver: t.ver}
		if d.cache != nil {
			d.cache[t.id] = c
		}
	}
	return c
}

// Flat returns the exact-search index of every live row of t, building it
// on first use. ctx cancels the build.
func (d *DB) Flat(ctx context.Context, t *Table) (*index.Flat, error) {
	c := d.cached(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flat != nil || c.flatErr != nil {
		return c.flat, c.flatErr
	}
	need := int64(t.meta.Rows) * int64(t.meta.Dim*t.meta.Elem.Size()+16)
	if lim := d.opts.MemoryLimit; lim > 0 && need > lim {
		return nil, TooLarge("an exact search of "+t.name, need, lim,
			"create an index (CREATE INDEX ON "+t.name+" USING hnsw) or raise the limit")
	}
	metric, err := index.ParseMetric(t.meta.Metric)
	if err != nil {
		return nil, err
	}
	// A 16-bit table's rows stay 16-bit: the scan reads half the bytes.
	f, err := index.NewFlatElem(t.meta.Dim, metric, t.meta.Elem)
	if err != nil {
		return nil, err
	}
	err = t.ForEachLiveChunk(func(ids []uint32, vecs []float32) error {
		return f.Add(ctx, ids, vecs)
	})
	if err != nil {
		if ctx.Err() == nil {
			c.flatErr = err // a real failure: don't retry at every query
		}
		return nil, err
	}
	c.flat = f
	return f, nil
}

// CachedFlat returns the exact-search index of t if a query built it
// already, or nil.
func (d *DB) CachedFlat(t *Table) *index.Flat {
	c := d.cached(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flat
}

// RowNames returns the words, counts and liveness of every row of t by id,
// read once per version of the table.
func (d *DB) RowNames(t *Table) (names []string, counts []int64, live []bool, err error) {
	c := d.cached(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.namesDone {
		return c.names, c.counts, c.live, nil
	}
	n := int(t.meta.NextID)
	names, counts, live = make([]string, n), make([]int64, n), make([]bool, n)
	err = t.ForEachRow(0, false, func(r Row) error {
		if int(r.ID) < n {
			names[r.ID], counts[r.ID], live[r.ID] = r.Word, r.Count, true
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	c.names, c.counts, c.live, c.namesDone = names, counts, live, true
	c.byWord = newWordSlots(names, live)
	return names, counts, live, nil
}

// CachedWordID looks word up among the words of t that an earlier query
// has read (rowNames). answered is false when they are not read yet: the
// caller then asks the words index.
func (d *DB) CachedWordID(t *Table, word string) (id uint32, found, answered bool) {
	c := d.cached(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.namesDone {
		return 0, false, false
	}
	id, found = c.byWord.find(c.names, word)
	return id, found, true
}

// wordSlots finds a row's id by its word: an open-addressing hash table of
// ids over the table's words by id, at most half full. It holds no
// pointers, so the garbage collector never scans it, costs 8 to 16 bytes a
// row, and is built from words already in memory in one pass: 32 ms for a
// million words, where a presized map[string]uint32 takes about 150 ms.
type wordSlots struct {
	seed  maphash.Seed
	slots []uint32 // id + 1; 0 is an empty slot
}

// newWordSlots indexes the live, named rows of names.
func newWordSlots(names []string, live []bool) wordSlots {
	n := 16
	for n < 2*len(names) {
		n <<= 1
	}
	ws := wordSlots{seed: maphash.MakeSeed(), slots: make([]uint32, n)}
	mask := uint64(n - 1)
	for id, w := range names {
		if !live[id] || w == "" {
			continue
		}
		i := maphash.String(ws.seed, w) & mask
		for ws.slots[i] != 0 {
			i = (i + 1) & mask
		}
		ws.slots[i] = uint32(id) + 1
	}
	return ws
}

// find returns the id of the row whose word is w.
func (ws wordSlots) find(names []string, w string) (uint32, bool) {
	if len(ws.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(ws.slots) - 1)
	for i := maphash.String(ws.seed, w) & mask; ; i = (i + 1) & mask {
		s := ws.slots[i]
		if s == 0 {
			return 0, false
		}
		if names[s-1] == w {
			return s - 1, true
		}
	}
}

// hnswEntry is a loaded index graph and the blob it came from.
type hnswEntry struct {
	blob string
	h    *index.HNSW
}

// HNSW returns the saved index of t, loading it on first use.
func (d *DB) HNSW(t *Table) (*index.HNSW, error) {
	blob := t.meta.Blobs[BlobIndex]
	if blob == "" {
		return nil, fmt.Errorf("%w: %s", ErrNoIndex, Quote(t.name))
	}
	// The graph is usually loaded already: find it without waiting for a
	// load of another table's graph, so concurrent queries do not queue.
	d.mu.Lock()
	ent, ok := d.graphs[t.id]
	d.mu.Unlock()
	if ok && ent.blob == blob {
		return ent.h, nil
	}
	d.loadMu.Lock()
	defer d.loadMu.Unlock()
	d.mu.Lock()
	ent, ok = d.graphs[t.id]
	d.mu.Unlock()
	if ok && ent.blob == blob {
		return ent.h, nil // loaded while this query waited
	}
	r, ok := t.OpenBlob(BlobIndex)
	if !ok {
		return nil, fmt.Errorf("%w: table %s: index data is missing", ErrCorrupt, Quote(t.name))
	}
	h, err := index.ReadHNSW(r)
	if err != nil {
		return nil, fmt.Errorf("%w: table %s: saved index: %v", ErrCorrupt, Quote(t.name), err)
	}
	d.mu.Lock()
	if d.graphs != nil {
		d.graphs[t.id] = hnswEntry{blob: blob, h: h}
	}
	d.mu.Unlock()
	return h, nil
}

// RememberGraph keeps h, just built and saved as blob of table id, so the
// next search need not load it.
func (d *DB) RememberGraph(id uint64, blob string, h *index.HNSW) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.graphs != nil {
		d.graphs[id] = hnswEntry{blob: blob, h: h}
	}
}

// ForgetGraph drops the loaded index graph of table id.
func (d *DB) ForgetGraph(id uint64) {
	defer d.moved()
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.graphs, id)
}

// MemoryLimit returns Options.MemoryLimit: what a statement may hold.
func (d *DB) MemoryLimit() int64 { return d.opts.MemoryLimit }

// ForEachLiveChunk calls fn with the live rows of each chunk: their ids and
// vectors. Both slices are reused between calls.
func (t *Table) ForEachLiveChunk(fn func(ids []uint32, vecs []float32) error) error {
	rows := t.ks(KsRows)
	dim := t.meta.Dim
	ids := make([]uint32, 0, t.meta.ChunkRows)
	live := make([]float32, 0, t.meta.ChunkRows*dim)
	return t.forEachChunk(func(first uint32, vecs []float32) error {
		b, err := rows.Get(u32key(first / uint32(t.meta.ChunkRows)))
		if err != nil {
			return err
		}
		if b == nil {
			// DELETE removes the words of a chunk whose rows are all
			// gone; its vectors stay, zeroed, until the ids are reused.
			return nil
		}
		ids, live = ids[:0], live[:0]
		n := len(vecs) / dim
		for i := 0; i < n; i++ {
			_, _, ok, bad := rowChunkSlot(b, i)
			if bad {
				return fmt.Errorf("%w: table %s: bad row chunk", ErrCorrupt, Quote(t.name))
			}
			if ok {
				ids = append(ids, first+uint32(i))
				live = append(live, vecs[i*dim:(i+1)*dim]...)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		return fn(ids, live)
	})
}

// openTableCached opens a table for reading, reusing the decoded metadata
// of its current version: decoding the JSON costs more than the lookup a
// query makes. The meta it returns is shared and must not be changed, so
// only read transactions use it.
func (d *DB) openTableCached(tx *bolt.Tx, name string) (*Table, error) {
	// Nothing has been written since the cache was filled: no need even to
	// read the table's version.
	d.mu.Lock()
	byName := d.byName[name]
	d.mu.Unlock()
	if byName.meta != nil && byName.txid == tx.ID() {
		b := tx.Bucket(TableKey(byName.id))
		if b != nil {
			return &Table{name: name, id: byName.id, b: b, meta: byName.meta, ver: byName.ver, sums: byName.sums, verified: &d.verified}, nil
		}
	}
	id, ver, err := tableVersion(tx, name)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	m := d.metas[id]
	d.mu.Unlock()
	if m.meta != nil && m.ver == ver {
		d.remember(name, id, tx.ID(), m)
		b := tx.Bucket(TableKey(id))
		return &Table{name: name, id: id, b: b, meta: m.meta, ver: ver, sums: m.sums, verified: &d.verified}, nil
	}
	t, err := OpenTableBolt(tx, name)
	if err != nil {
		return nil, err
	}
	t.verified = &d.verified
	m = cachedMeta{ver: t.ver, meta: t.meta, sums: t.sums}
	d.mu.Lock()
	if d.metas != nil {
		d.metas[id] = m
	}
	d.mu.Unlock()
	d.remember(name, id, tx.ID(), m)
	return t, nil
}

// remember notes which table a name meant as of transaction txid.
func (d *DB) remember(name string, id uint64, txid int, m cachedMeta) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byName != nil {
		d.byName[name] = namedMeta{id: id, txid: txid, cachedMeta: m}
	}
}

type cachedMeta struct {
	ver  uint64
	meta *tableMeta
	sums bool // the file's values carry checksums
}

// namedMeta is what a table name resolved to in the database as of one
// committed transaction: valid for read transactions of that same id.
type namedMeta struct {
	id   uint64
	txid int
	cachedMeta
}

// invalidate drops the caches of table id.
func (d *DB) invalidate(id uint64) {
	defer d.moved()
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.cache, id)
	delete(d.metas, id)
	clear(d.byName)
}

// Now is the clock, replaceable in tests.
var Now = time.Now
