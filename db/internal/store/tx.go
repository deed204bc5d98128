package store

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Tx is a transaction: a consistent view of the database, and for Update a
// set of changes that commit together or not at all. A Tx is valid only
// inside the function passed to View or Update and is not safe for
// concurrent use.
type Tx struct {
	db  *DB
	tx  *bolt.Tx
	ctx context.Context
	// tables opened in this transaction, so repeated calls and the final
	// metadata save see one handle each.
	open map[string]*Table
}

// View runs fn in a read-only transaction. Readers never wait for writers.
func (d *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return d.BoltView(ctx, func(btx *bolt.Tx) error {
		return fn(&Tx{db: d, tx: btx, ctx: ctx})
	})
}

// Update runs fn in a read-write transaction. If fn returns an error, or ctx
// is cancelled before the commit, nothing of it is kept.
func (d *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	var changed []uint64
	err := d.update(ctx, func(btx *bolt.Tx) error {
		tx := &Tx{db: d, tx: btx, ctx: ctx}
		if err := fn(tx); err != nil {
			return err
		}
		for _, t := range tx.open {
			if err := t.FlushChunks(); err != nil {
				return err
			}
			if t.dirty {
				if err := t.save(); err != nil {
					return err
				}
				changed = append(changed, t.id)
			}
		}
		return nil
	})
	if err == nil {
		for _, id := range changed {
			d.invalidate(id)
		}
	}
	return err
}

func (tx *Tx) table(name string) (*Table, error) {
	if t := tx.open[name]; t != nil {
		return t, nil
	}
	var t *Table
	var err error
	if tx.tx.Writable() {
		t, err = OpenTableBolt(tx.tx, name)
	} else {
		t, err = tx.db.openTableCached(tx.tx, name)
	}
	if err != nil {
		return nil, err
	}
	if tx.open == nil {
		tx.open = make(map[string]*Table)
	}
	tx.open[name] = t
	return t, nil
}

func (tx *Tx) writable() error {
	if !tx.tx.Writable() {
		return ErrReadOnly
	}
	return nil
}

// Tables returns every table, sorted by name.
func (tx *Tx) Tables() ([]*TableInfo, error) {
	names, _, err := catalog(tx.tx)
	if err != nil {
		return nil, err
	}
	out := make([]*TableInfo, 0, len(names))
	for _, name := range names {
		t, err := tx.table(name)
		if err != nil {
			return nil, err
		}
		out = append(out, t.meta.info(name))
	}
	return out, nil
}

// Table describes one table.
func (tx *Tx) Table(name string) (*TableInfo, error) {
	t, err := tx.table(name)
	if err != nil {
		return nil, err
	}
	return t.meta.info(name), nil
}

// CreateTable creates an empty table.
func (tx *Tx) CreateTable(name string, spec TableSpec) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := validName("table name", name); err != nil {
		return err
	}
	if tx.tx.Bucket(BucketCatalog).Get([]byte(name)) != nil {
		return fmt.Errorf("create table %s: %w", Quote(name), ErrTableExists)
	}
	meta, err := spec.meta(Now())
	if err != nil {
		return fmt.Errorf("create table %s: %w", Quote(name), err)
	}
	t, err := newTableBucket(tx.tx, meta)
	if err != nil {
		return err
	}
	return publish(tx.tx, name, t.id)
}

// DropTable deletes a table and everything stored with it.
func (tx *Tx) DropTable(name string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	t, err := tx.table(name)
	if err != nil {
		return err
	}
	delete(tx.open, name)
	if err := tx.tx.Bucket(BucketCatalog).Delete([]byte(name)); err != nil {
		return err
	}
	tx.db.invalidate(t.id)
	return dropTableID(tx.tx, t.id)
}

// RenameTable gives a table a new name.
func (tx *Tx) RenameTable(old, new string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := validName("table name", new); err != nil {
		return err
	}
	t, err := tx.table(old)
	if err != nil {
		return err
	}
	cat := tx.tx.Bucket(BucketCatalog)
	if cat.Get([]byte(new)) != nil {
		return fmt.Errorf("rename %s to %s: %w", Quote(old), Quote(new), ErrTableExists)
	}
	if err := cat.Delete([]byte(old)); err != nil {
		return err
	}
	delete(tx.open, old)
	t.dirty = true
	t.name = new
	tx.open[new] = t
	return publish(tx.tx, new, t.id)
}

// Insert adds rows to a table. A word already in the table is an error
// (ErrWordExists) and nothing of the call is kept; use Replace to overwrite.
// Rows' IDs are ignored: new rows get the table's next ids.
func (tx *Tx) Insert(name string, rows ...Row) error {
	return tx.insert(name, rows, false)
}

// Replace adds rows; a word already in the table loses its old row, and the
// new one gets a new id (as with sqlite's REPLACE).
func (tx *Tx) Replace(name string, rows ...Row) error {
	return tx.insert(name, rows, true)
}

func (tx *Tx) insert(name string, rows []Row, replace bool) error {
	if err := tx.writable(); err != nil {
		return err
	}
	t, err := tx.table(name)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if i%1024 == 0 {
			if err := tx.ctx.Err(); err != nil {
				return err
			}
		}
		if _, err := t.InsertRow(r, replace); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes the rows of the given words and returns how many it
// removed; words not in the table are ignored.
func (tx *Tx) Delete(name string, words ...string) (int, error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	t, err := tx.table(name)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, w := range words {
		id, ok, err := t.WordID(w)
		if err != nil {
			return n, err
		}
		if !ok {
			continue
		}
		deleted, err := t.DeleteID(id)
		if err != nil {
			return n, err
		}
		if deleted {
			n++
		}
	}
	return n, nil
}

// DeleteIDs removes rows by id and returns how many it removed.
func (tx *Tx) DeleteIDs(name string, ids ...uint32) (int, error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	t, err := tx.table(name)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ok, err := t.DeleteID(id)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// Lookup returns the row of a word (ErrNoWord if absent).
func (tx *Tx) Lookup(name, word string) (Row, error) {
	t, err := tx.table(name)
	if err != nil {
		return Row{}, err
	}
	r, err := t.lookup(word)
	if err == nil {
		r.Cols, err = t.RowColumns(r.ID)
	}
	return r, err
}

// LookupID returns the row with the given id (ErrNoWord if absent).
func (tx *Tx) LookupID(name string, id uint32) (Row, error) {
	t, err := tx.table(name)
	if err != nil {
		return Row{}, err
	}
	r, err := t.LookupID(id)
	if err == nil {
		r.Cols, err = t.RowColumns(r.ID)
	}
	return r, err
}

// ForEach calls fn for every row of a table in id order. Vectors are read
// only if withVectors; each Row is fn's to keep. An error from fn stops the
// iteration and is returned.
func (tx *Tx) ForEach(name string, withVectors bool, fn func(Row) error) error {
	t, err := tx.table(name)
	if err != nil {
		return err
	}
	if err := t.FlushChunks(); err != nil {
		return err
	}
	n := 0
	cols := t.readers()
	return t.ForEachRow(0, withVectors, func(r Row) error {
		if n++; n%4096 == 0 {
			if err := tx.ctx.Err(); err != nil {
				return err
			}
		}
		var err error
		if r.Cols, err = readRow(cols, r.ID); err != nil {
			return err
		}
		return fn(r)
	})
}

// ScanVectors calls fn with the table's vectors a chunk at a time, in id
// order: vecs holds rows first, first+1, ... (Dim values each; the rows of
// deleted ids are zero). vecs is reused after fn returns. This is the
// fastest way to read a whole table.
func (tx *Tx) ScanVectors(name string, fn func(first uint32, vecs []float32) error) error {
	t, err := tx.table(name)
	if err != nil {
		return err
	}
	if err := t.FlushChunks(); err != nil {
		return err
	}
	return t.forEachChunk(func(first uint32, vecs []float32) error {
		if err := tx.ctx.Err(); err != nil {
			return err
		}
		return fn(first, vecs)
	})
}

// The same operations, each in a transaction of its own.

// Tables returns every table, sorted by name.
func (d *DB) Tables(ctx context.Context) (out []*TableInfo, err error) {
	err = d.View(ctx, func(tx *Tx) error { out, err = tx.Tables(); return err })
	return out, err
}

// Table describes one table.
func (d *DB) Table(ctx context.Context, name string) (info *TableInfo, err error) {
	err = d.View(ctx, func(tx *Tx) error { info, err = tx.Table(name); return err })
	return info, err
}

// CreateTable creates an empty table.
func (d *DB) CreateTable(ctx context.Context, name string, spec TableSpec) error {
	return d.Update(ctx, func(tx *Tx) error { return tx.CreateTable(name, spec) })
}

// DropTable deletes a table.
func (d *DB) DropTable(ctx context.Context, name string) error {
	return d.Update(ctx, func(tx *Tx) error { return tx.DropTable(name) })
}

// RenameTable renames a table.
func (d *DB) RenameTable(ctx context.Context, old, new string) error {
	return d.Update(ctx, func(tx *Tx) error { return tx.RenameTable(old, new) })
}

// Insert adds rows to a table; see Tx.Insert.
func (d *DB) Insert(ctx context.Context, name string, rows ...Row) error {
	return d.Update(ctx, func(tx *Tx) error { return tx.Insert(name, rows...) })
}

// Replace adds or overwrites rows; see Tx.Replace.
func (d *DB) Replace(ctx context.Context, name string, rows ...Row) error {
	return d.Update(ctx, func(tx *Tx) error { return tx.Replace(name, rows...) })
}

// Delete removes the rows of words; see Tx.Delete.
func (d *DB) Delete(ctx context.Context, name string, words ...string) (n int, err error) {
	err = d.Update(ctx, func(tx *Tx) error { n, err = tx.Delete(name, words...); return err })
	return n, err
}

// Lookup returns the row of a word.
func (d *DB) Lookup(ctx context.Context, name, word string) (r Row, err error) {
	// The hot path of point queries: no Tx wrapper, cached metadata.
	err = d.BoltView(ctx, func(btx *bolt.Tx) error {
		t, err := d.openTableCached(btx, name)
		if err == nil {
			r, err = t.lookup(word)
		}
		if err == nil {
			r.Cols, err = t.RowColumns(r.ID)
		}
		return err
	})
	return r, err
}

// LookupID returns the row with the given id.
func (d *DB) LookupID(ctx context.Context, name string, id uint32) (r Row, err error) {
	err = d.View(ctx, func(tx *Tx) error { r, err = tx.LookupID(name, id); return err })
	return r, err
}

// WordsWithPrefix returns up to limit words of a table that start with
// prefix, in byte order: what a shell offers to complete.
func (d *DB) WordsWithPrefix(ctx context.Context, name, prefix string, limit int) ([]string, error) {
	var out []string
	err := d.View(ctx, func(tx *Tx) error {
		t, err := tx.table(name)
		if err != nil {
			return err
		}
		p := []byte(prefix)
		return t.Words().Scan(prefix, func(w []byte, _ uint32) bool {
			if len(out) >= limit || !bytes.HasPrefix(w, p) {
				return false
			}
			out = append(out, string(w))
			return true
		})
	})
	return out, err
}

// The SQL engine's ways into a transaction. They are functions, not
// methods, so that the public Tx gains nothing from them.

// OpenTable opens a table for a statement: in a write transaction it is
// kept for the commit, which saves what changed; for reading, its decoded
// metadata comes from the cache, and nothing is kept (a query's hot path).
func OpenTable(tx *Tx, name string) (*Table, error) {
	if !tx.tx.Writable() {
		if t := tx.open[name]; t != nil {
			return t, nil
		}
		return tx.db.openTableCached(tx.tx, name)
	}
	return tx.table(name)
}

// TableNames returns the names of the published tables, sorted.
func TableNames(tx *Tx) []string {
	names, _, _ := catalog(tx.tx)
	return names
}

// HasTable reports whether a table of that name is published.
func HasTable(tx *Tx, name string) bool {
	return tx.tx.Bucket(BucketCatalog).Get([]byte(name)) != nil
}

// DropBlobOf removes blob name of table id, published or not: what a
// statement that wrote the blob does when it cannot attach it.
func DropBlobOf(tx *Tx, id uint64, name string) {
	if t, _ := openTableID(tx.tx, id); t != nil {
		t.dropBlob(name)
	}
}
