package store

// The read side of a table handle, for the SQL engine: what a table is, by
// methods, so that no statement reads the stored metadata itself.

// Name returns the table's name.
func (t *Table) Name() string { return t.name }

// ID returns the table's id, which names its bucket and keys its caches.
func (t *Table) ID() uint64 { return t.id }

// Ver returns the table's version, bumped by every change.
func (t *Table) Ver() uint64 { return t.ver }

// Dim returns the length of the table's vectors.
func (t *Table) Dim() int { return t.meta.Dim }

// Elem returns how the table stores its vectors' elements.
func (t *Table) Elem() ElemType { return t.meta.Elem }

// Metric returns the similarity NEAREST ranks by.
func (t *Table) Metric() string { return t.meta.Metric }

// Rows returns the number of live rows.
func (t *Table) Rows() int64 { return t.meta.Rows }

// NextID returns the id the next inserted row gets.
func (t *Table) NextID() uint32 { return t.meta.NextID }

// Index describes the table's saved index, or is nil. It must not be
// changed.
func (t *Table) Index() *IndexInfo { return t.meta.Index }

// Provenance returns the record of how the table was made.
func (t *Table) Provenance() map[string]any { return t.meta.Provenance }

// RowBytes returns the stored size of one vector.
func (t *Table) RowBytes() int { return t.meta.rowBytes() }

// VectorBytes returns the stored bytes of row id's vector (Elem's
// encoding), valid only in the transaction.
func (t *Table) VectorBytes(id uint32) ([]byte, error) { return t.vectorBytes(id) }

// Sibling opens the published table name in t's transaction.
func (t *Table) Sibling(name string) (*Table, error) { return OpenTableBolt(t.b.Tx(), name) }

// SiblingNames returns the names of the published tables, as t's
// transaction sees them.
func (t *Table) SiblingNames() []string {
	names, _, _ := catalog(t.b.Tx())
	return names
}

// HasTokenizer reports whether the table has a tokenizer (TOKENS, EMBED,
// text queries).
func (t *Table) HasTokenizer() bool { return t.meta.Blobs[BlobTokenizer] != "" }

// Info describes the table as DESCRIBE and Tx.Table do.
func (t *Table) Info() *TableInfo { return t.meta.info(t.name) }

// SetIndex records blob as the table's saved index graph, described by
// info; the change is saved when the transaction commits.
func (t *Table) SetIndex(blob string, info *IndexInfo) {
	if t.meta.Blobs == nil {
		t.meta.Blobs = map[string]string{}
	}
	t.meta.Blobs[BlobIndex] = blob
	t.meta.Index = info
	t.dirty = true
}

// DropIndex removes the table's saved index graph.
func (t *Table) DropIndex() error {
	if err := t.dropBlob(t.meta.Blobs[BlobIndex]); err != nil {
		return err
	}
	delete(t.meta.Blobs, BlobIndex)
	t.meta.Index = nil
	t.dirty = true
	return nil
}
