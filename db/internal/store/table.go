package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// TableSpec describes a table to create.
type TableSpec struct {
	// Dim is the length of every vector; it must be at least 1.
	Dim int
	// Elem is the storage type of the elements; zero means Float32.
	Elem ElemType
	// Metric is the similarity NEAREST ranks by: "cosine" (zero value),
	// "dot" or "euclidean".
	Metric string
	// Kind says how the table was made: "created" (zero value), "trained"
	// or "imported".
	Kind string
	// Provenance is a free-form record of how the table was made: training
	// parameters, import source, tokenizer. It is stored as JSON.
	Provenance map[string]any
	// Columns are the table's user columns beside (id, word, count,
	// vector); their IDs and Rows are filled in by CreateTable.
	Columns []Column
}

// TableInfo describes a table: what DESCRIBE shows.
type TableInfo struct {
	Name       string
	Dim        int
	Elem       ElemType
	Metric     string
	Kind       string
	Rows       int64     // live rows
	NextID     uint32    // the id the next inserted row gets
	Created    time.Time // when the table was made
	Modified   time.Time // the last change
	Provenance map[string]any
	Tokenizer  bool       // the table has a tokenizer (TOKENS, EMBED)
	TrainState bool       // the table can continue training (TRAIN ... update = true)
	Index      *IndexInfo // nil without an index
	Columns    []Column   // the user columns; must not be changed
	// ScalarIndexes are the columns with a scalar index (CREATE INDEX ON
	// t (col)); must not be changed.
	ScalarIndexes []string
}

// IndexInfo describes a table's saved index.
type IndexInfo struct {
	Method string         // "hnsw"
	Params map[string]any // m, ef_construction, ef_search, ...
	Upto   uint32         // rows with ids below Upto were indexed; later ones are searched exactly
	Built  time.Time
	Bytes  int64 // size of the saved graph
	// Deleted counts indexed rows deleted since the build; searches filter
	// them out while it is not zero.
	Deleted int64
}

// tableMeta is the JSON stored under a table's "info" key.
type tableMeta struct {
	Dim        int               `json:"dim"`
	Elem       ElemType          `json:"elem"`
	Metric     string            `json:"metric"`
	Kind       string            `json:"kind"`
	Rows       int64             `json:"rows"`
	NextID     uint32            `json:"next_id"`
	ChunkRows  int               `json:"chunk_rows"`
	Created    time.Time         `json:"created"`
	Modified   time.Time         `json:"modified"`
	Provenance map[string]any    `json:"provenance,omitempty"`
	Blobs      map[string]string `json:"blobs,omitempty"` // role -> blob bucket name
	Index      *IndexInfo        `json:"index,omitempty"`
	Scalar     []string          `json:"scalar,omitempty"` // columns with a scalar index (scalar.go)
	// Columns are the user columns; NextCol is the last column id given
	// out. A table made before columns existed has neither.
	Columns []Column `json:"columns,omitempty"`
	NextCol uint32   `json:"next_col,omitempty"`
}

// Blob roles recorded in tableMeta.Blobs.
const (
	BlobIndex     = "index"
	BlobTokenizer = "tokenizer"
	BlobState     = "state"
)

func (m *tableMeta) rowBytes() int { return m.Dim * m.Elem.Size() }

func (m *tableMeta) info(name string) *TableInfo {
	return &TableInfo{
		Name:       name,
		Dim:        m.Dim,
		Elem:       m.Elem,
		Metric:     m.Metric,
		Kind:       m.Kind,
		Rows:       m.Rows,
		NextID:     m.NextID,
		Created:    m.Created,
		Modified:   m.Modified,
		Provenance: m.Provenance,
		Tokenizer:  m.Blobs[BlobTokenizer] != "",
		TrainState: m.Blobs[BlobState] != "",
		Index:      m.Index,
		Columns:    m.Columns,

		ScalarIndexes: m.Scalar,
	}
}

// Table is an open handle on one table inside a transaction.
type Table struct {
	name  string
	id    uint64
	b     *bolt.Bucket
	meta  *tableMeta
	ver   uint64
	dirty bool // meta changed in this transaction: save before commit
	sums  bool // its values carry checksums (checksum.go)
	// verified remembers verified values across read transactions; nil
	// in write transactions.
	verified *sumCache

	// Chunks changed in this transaction, written by flushChunks.
	dirtyRows map[uint32][]rowEntry
	dirtyVec  map[uint32][]byte
	dirtyCols map[colRef][]any
}

func validName(kind, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty %s", ErrInvalidName, kind)
	case len(s) > MaxWordLen:
		return fmt.Errorf("%w: %s of %d bytes (at most %d)", ErrInvalidName, kind, len(s), MaxWordLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s %s is not valid UTF-8", ErrInvalidName, kind, Quote(s))
	}
	return nil
}

func ValidMetric(m string) (string, error) {
	switch m {
	case "", "cosine":
		return "cosine", nil
	case "dot", "euclidean":
		return m, nil
	}
	return "", fmt.Errorf("db: unknown metric %s (want cosine, dot or euclidean)", Quote(m))
}

func validKind(k string) (string, error) {
	switch k {
	case "", "created":
		return "created", nil
	case "trained", "imported":
		return k, nil
	}
	return "", fmt.Errorf("db: unknown table kind %s", Quote(k))
}

func (s TableSpec) meta(now time.Time) (*tableMeta, error) {
	if s.Dim < 1 || s.Dim > 1<<16 {
		return nil, fmt.Errorf("db: dimension must be between 1 and 65536, got %d", s.Dim)
	}
	if !s.Elem.Valid() {
		return nil, fmt.Errorf("db: unknown element type %d", s.Elem)
	}
	metric, err := ValidMetric(s.Metric)
	if err != nil {
		return nil, err
	}
	kind, err := validKind(s.Kind)
	if err != nil {
		return nil, err
	}
	m := &tableMeta{
		Dim:        s.Dim,
		Elem:       s.Elem,
		Metric:     metric,
		Kind:       kind,
		Created:    now.UTC(),
		Modified:   now.UTC(),
		Provenance: s.Provenance,
	}
	m.ChunkRows = rowsPerChunk(m.rowBytes())
	return m, m.addSpecColumns(s.Columns)
}

// openTable finds a published table by name.
func OpenTableBolt(tx *bolt.Tx, name string) (*Table, error) {
	id, err := catalogGet(tx, name)
	if err != nil {
		return nil, err
	}
	t, err := openTableID(tx, id)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", Quote(name), err)
	}
	t.name = name
	return t, nil
}

// catalogGet returns the id of a published table.
func catalogGet(tx *bolt.Tx, name string) (uint64, error) {
	v := tx.Bucket(BucketCatalog).Get([]byte(name))
	if v == nil {
		return 0, fmt.Errorf("%w: %s", ErrNoTable, Quote(name))
	}
	id, ok := catalogID(sumsOn(tx), []byte(name), v)
	if !ok {
		return 0, fmt.Errorf("%w: catalog entry of %s", ErrCorrupt, Quote(name))
	}
	return id, nil
}

// catalogID decodes a catalog entry: the table id, sealed in a format-2
// file.
func catalogID(sums bool, name, v []byte) (uint64, bool) {
	if sums {
		body, ok := unseal(name, v)
		if !ok {
			return 0, false
		}
		v = body
	}
	if len(v) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

// openTableID opens the table bucket with the given id, published or not.
func openTableID(tx *bolt.Tx, id uint64) (*Table, error) {
	b := tx.Bucket(TableKey(id))
	if b == nil {
		return nil, fmt.Errorf("%w: missing bucket of table id %d", ErrCorrupt, id)
	}
	t := &Table{id: id, b: b, sums: sumsOn(tx)}
	raw := b.Get(KeyInfo)
	if raw == nil {
		return nil, fmt.Errorf("%w: table id %d has no info", ErrCorrupt, id)
	}
	if t.sums {
		body, ok := unseal(KeyInfo, raw)
		if !ok {
			return nil, fmt.Errorf("%w: info of table id %d fails its checksum", ErrCorrupt, id)
		}
		raw = body
	}
	t.meta = new(tableMeta)
	if err := json.Unmarshal(raw, t.meta); err != nil {
		return nil, fmt.Errorf("%w: info of table id %d: %v", ErrCorrupt, id, err)
	}
	if t.meta.Dim < 1 || !t.meta.Elem.Valid() || t.meta.ChunkRows < 1 || !t.meta.validColumns() {
		return nil, fmt.Errorf("%w: info of table id %d is invalid", ErrCorrupt, id)
	}
	if v := b.Get(keyVer); len(v) == 8 {
		t.ver = binary.BigEndian.Uint64(v)
	}
	return t, nil
}

// tableVersion reads only the version of a published table: the cheap check
// a cached query does before trusting its cache.
func tableVersion(tx *bolt.Tx, name string) (id, ver uint64, err error) {
	id, err = catalogGet(tx, name)
	if err != nil {
		return 0, 0, err
	}
	b := tx.Bucket(TableKey(id))
	if b == nil {
		return 0, 0, fmt.Errorf("%w: missing bucket of table %s", ErrCorrupt, Quote(name))
	}
	if v := b.Get(keyVer); len(v) == 8 {
		ver = binary.BigEndian.Uint64(v)
	}
	return id, ver, nil
}

// newTableBucket creates the bucket of a new, unpublished table.
func newTableBucket(tx *bolt.Tx, meta *tableMeta) (*Table, error) {
	id, err := tx.Bucket(BucketCatalog).NextSequence()
	if err != nil {
		return nil, err
	}
	b, err := tx.CreateBucket(TableKey(id))
	if err != nil {
		return nil, err
	}
	if _, err := b.CreateBucket(bucketBlob); err != nil {
		return nil, err
	}
	t := &Table{id: id, b: b, meta: meta, sums: sumsOn(tx)}
	return t, t.save()
}

// save writes the table's metadata and bumps its version.
func (t *Table) save() error {
	t.meta.Modified = time.Now().UTC()
	for i := range t.meta.Columns {
		t.meta.Columns[i].encodeValues()
	}
	raw, err := json.Marshal(t.meta)
	if err != nil {
		return err
	}
	if t.sums {
		raw = seal(KeyInfo, raw)
	}
	if err := t.b.Put(KeyInfo, raw); err != nil {
		return err
	}
	t.ver = nextVersion(t.ver)
	return t.b.Put(keyVer, u64key(t.ver))
}

// nextVersion returns a table's version after a change: a random number
// other than the last, not the last plus one. Caches of this process are
// keyed by (table, version), and a statement inside a transaction fills
// them from the transaction's own view; were versions counted, a rollback
// would hand the same number to the next commit of different rows, and the
// caches would serve the rolled-back rows as that commit's (a filter's
// matches, the exact-search matrix, a prepared plan). Only equality of
// versions means anything.
func nextVersion(last uint64) uint64 {
	for {
		if v := rand.Uint64(); v != last && v != 0 {
			return v
		}
	}
}

// publish adds the catalog entry name -> id, sealed in a format-2 file.
func publish(tx *bolt.Tx, name string, id uint64) error {
	v := u64key(id)
	if sumsOn(tx) {
		v = seal([]byte(name), v)
	}
	return tx.Bucket(BucketCatalog).Put([]byte(name), v)
}

// CatalogID returns the id the catalog gives table name, checking its
// seal: for tests that look at the file with bbolt.
func CatalogID(tx *bolt.Tx, name string) (uint64, error) { return catalogGet(tx, name) }

// catalog returns the published tables, sorted by name, with their ids. A
// damaged entry is an error: callers that remove what the catalog does not
// name must not take its table for a leftover.
func catalog(tx *bolt.Tx) (names []string, ids []uint64, err error) {
	sums := sumsOn(tx)
	c := tx.Bucket(BucketCatalog).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		id, ok := catalogID(sums, k, v)
		if !ok {
			return nil, nil, fmt.Errorf("%w: catalog entry of %s", ErrCorrupt, Quote(string(k)))
		}
		names = append(names, string(k))
		ids = append(ids, id)
	}
	return names, ids, nil
}

// dropTableID removes a table's bucket.
func dropTableID(tx *bolt.Tx, id uint64) error {
	return tx.DeleteBucket(TableKey(id))
}

// orphans returns the ids of table buckets that no catalog entry names.
// With a damaged catalog it returns an error and no ids.
func orphans(tx *bolt.Tx) ([]uint64, error) {
	_, ids, err := catalog(tx)
	if err != nil {
		return nil, err
	}
	live := make(map[uint64]bool, len(ids))
	for _, id := range ids {
		live[id] = true
	}
	var out []uint64
	c := tx.Cursor()
	for k, _ := c.Seek([]byte("t")); len(k) > 0 && k[0] == 't'; k, _ = c.Next() {
		if id, ok := TableID(k); ok && !live[id] {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}
