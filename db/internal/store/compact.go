package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// compactTxBytes bounds the keys and values one write transaction of a
// compaction copies, so that its dirty pages stay bounded in memory.
const compactTxBytes = 64 << 20

// compactInto copies every bucket, key, value and bucket sequence of the
// snapshot src reads into dst, an empty database, packing its pages full.
// It is bbolt's Compact with a context: a long VACUUM stops when its
// statement is cancelled, and, since src is a transaction the caller runs
// (inside run), a fault on a damaged page of src becomes ErrCorrupt. A
// format-1 file is upgraded on the way: its values are sealed with
// checksums and the copy is format 2; a format-2 file's values are
// verified.
func compactInto(ctx context.Context, dst *bolt.DB, src *bolt.Tx) error {
	c := &compactor{ctx: ctx, dst: dst, upgrade: fileFormat(src) < sumFormat}
	defer func() {
		if c.tx != nil {
			c.tx.Rollback()
		}
	}()
	err := src.ForEach(func(name []byte, b *bolt.Bucket) error {
		return c.bucket(nil, name, b)
	})
	if err != nil {
		return err
	}
	return c.commit()
}

// compactor holds the write transaction a compaction fills.
type compactor struct {
	ctx   context.Context
	dst   *bolt.DB
	tx    *bolt.Tx
	bytes int // keys and values put in tx
	keys  int // keys put, to check ctx now and then
	// upgrade seals the values of a format-1 file (see copyValue).
	upgrade bool
}

// bucket copies bucket b, named name under the buckets of path.
func (c *compactor) bucket(path [][]byte, name []byte, b *bolt.Bucket) error {
	if err := c.room(len(name)); err != nil {
		return err
	}
	var nb *bolt.Bucket
	var err error
	if len(path) == 0 {
		nb, err = c.tx.CreateBucket(name)
	} else {
		nb, err = c.parent(path).CreateBucket(name)
	}
	if err != nil {
		return err
	}
	if err := nb.SetSequence(b.Sequence()); err != nil {
		return err
	}
	path = append(path[:len(path):len(path)], name)
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return c.bucket(path, k, b.Bucket(k))
		}
		if err := c.room(len(k) + len(v)); err != nil {
			return err
		}
		p := c.parent(path)
		p.FillPercent = 1.0
		v, err := c.copyValue(path, k, v)
		if err != nil {
			return err
		}
		return p.Put(k, v) // src's bytes stay valid for as long as tx is open
	})
}

// parent returns the bucket at path in the current write transaction.
func (c *compactor) parent(path [][]byte) *bolt.Bucket {
	b := c.tx.Bucket(path[0])
	for _, name := range path[1:] {
		b = b.Bucket(name)
	}
	return b
}

// room makes sure a write transaction is open with room for n more bytes,
// committing the full one first; it also checks for cancellation.
func (c *compactor) room(n int) error {
	c.keys++
	if c.keys%1024 == 0 {
		if err := c.ctx.Err(); err != nil {
			return err
		}
	}
	if c.tx != nil && c.bytes+n > compactTxBytes {
		if err := c.commit(); err != nil {
			return err
		}
	}
	if c.tx == nil {
		tx, err := c.dst.Begin(true)
		if err != nil {
			return err
		}
		c.tx, c.bytes = tx, 0
	}
	c.bytes += n
	return nil
}

// commit commits the open write transaction, if any.
func (c *compactor) commit() error {
	if c.tx == nil {
		return nil
	}
	tx := c.tx
	c.tx = nil
	return tx.Commit()
}

// sealedValue reports whether the value under key k of the bucket at path
// is one that checksum.go seals: a catalog entry, a table's info and
// chunks (not its "ver"), a blob's part.
func sealedValue(path [][]byte, k []byte) bool {
	if string(path[0]) == string(BucketCatalog) {
		return len(path) == 1
	}
	if _, ok := TableID(path[0]); !ok {
		return false
	}
	switch {
	case len(path) == 1:
		return string(k) != string(keyVer)
	case len(path) == 3:
		return string(path[1]) == string(bucketBlob)
	}
	return false
}

// copyValue returns what to store in the copy for the value v under key k
// of the bucket at path: a format-1 file's values sealed and its format
// made 2; a format-2 file's values verified, so that VACUUM refuses a
// damaged file rather than carry the damage into its copy.
func (c *compactor) copyValue(path [][]byte, k, v []byte) ([]byte, error) {
	sealed := sealedValue(path, k)
	switch {
	case c.upgrade && sealed:
		return seal(k, v), nil
	case c.upgrade && len(path) == 1 && string(path[0]) == string(bucketRoot) && string(k) == string(keyFormat):
		return u32key(sumFormat), nil
	case !c.upgrade && sealed:
		if _, ok := unseal(k, v); !ok {
			return nil, fmt.Errorf("%w: %s", ErrCorrupt, describeSealed(path, k))
		}
	}
	return v, nil
}

// describeSealed names a sealed value that fails its checksum.
func describeSealed(path [][]byte, k []byte) string {
	if string(path[0]) == string(BucketCatalog) {
		return fmt.Sprintf("catalog entry of %s fails its checksum", Quote(string(k)))
	}
	id, _ := TableID(path[0])
	if len(path) == 3 {
		return fmt.Sprintf("table id %d: part %d of blob %s fails its checksum", id, partNumber(k), Quote(string(path[2])))
	}
	return fmt.Sprintf("table id %d: %s fails its checksum", id, describeKey(k))
}
