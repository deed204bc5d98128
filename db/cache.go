package db

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// tableCache holds what queries derive from a table and keep between
// statements: an exact-search matrix, the loaded index, the tokenizer. It
// belongs to one version of one table; any change to the table makes a new
// version, and the next query builds afresh.
type tableCache struct {
	id  uint64
	ver uint64
	// Filled lazily by the executor; see exec.go.
	vals map[string]any
}

// cached returns the cache of table id at version ver, creating an empty
// one if there is none or it is stale.
func (d *DB) cached(id, ver uint64) *tableCache {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cache == nil {
		return &tableCache{id: id, ver: ver, vals: make(map[string]any)}
	}
	c := d.cache[id]
	if c == nil || c.ver != ver {
		c = &tableCache{id: id, ver: ver, vals: make(map[string]any)}
		d.cache[id] = c
	}
	return c
}

// openTableCached opens a table for reading, reusing the decoded metadata
// of its current version: decoding the JSON costs more than the lookup a
// query makes. The meta it returns is shared and must not be changed, so
// only read transactions use it.
func (d *DB) openTableCached(tx *bolt.Tx, name string) (*table, error) {
	// Nothing has been written since the cache was filled: no need even to
	// read the table's version.
	d.mu.Lock()
	byName := d.byName[name]
	d.mu.Unlock()
	if byName.meta != nil && byName.txid == tx.ID() {
		b := tx.Bucket(bucketTables).Bucket(u64key(byName.id))
		if b != nil {
			return &table{name: name, id: byName.id, b: b, meta: byName.meta, ver: byName.ver}, nil
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
		b := tx.Bucket(bucketTables).Bucket(u64key(id))
		return &table{name: name, id: id, b: b, meta: m.meta, ver: ver}, nil
	}
	t, err := openTable(tx, name)
	if err != nil {
		return nil, err
	}
	m = cachedMeta{ver: t.ver, meta: t.meta}
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
}

// namedMeta is what a table name resolved to in the database as of one
// committed transaction: valid for read transactions of that same id.
type namedMeta struct {
	id   uint64
	txid int
	cachedMeta
}

// invalidate drops the cache of table id.
func (d *DB) invalidate(id uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.cache, id)
	delete(d.metas, id)
}

func beUint64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// now is the clock, replaceable in tests.
var now = time.Now
