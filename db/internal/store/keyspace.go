package store

import bolt "go.etcd.io/bbolt"

// A keyspace is one kind of entry inside a table's bucket: the words index,
// the row chunks or the vector chunks, told apart by a one-byte key prefix.
// Keeping them in the table's own bucket, rather than in sub-buckets, saves
// a lookup two bucket opens, a good part of its cost.
type keyspace struct {
	b *bolt.Bucket
	p byte
}

// The key prefixes of a table bucket's keyspaces. Other keys of the bucket
// ("info", "ver", the "blob" sub-bucket) start with a letter.
const (
	KsWords byte = 1
	ksRows  byte = 2
	ksVec   byte = 3
)

func (t *Table) ks(p byte) keyspace { return keyspace{t.b, p} }

func (k keyspace) key(x []byte) []byte {
	b := make([]byte, 1+len(x))
	b[0] = k.p
	copy(b[1:], x)
	return b
}

// Get returns the value of key x, valid only inside the transaction.
func (k keyspace) Get(x []byte) []byte {
	var buf [32]byte // lookups' keys are short: no allocation
	return k.b.Get(append(append(buf[:0], k.p), x...))
}

// Put sets key x to v; v must stay unchanged until the transaction ends.
func (k keyspace) Put(x, v []byte) error { return k.b.Put(k.key(x), v) }

// Delete removes key x.
func (k keyspace) Delete(x []byte) error { return k.b.Delete(k.key(x)) }

// Cursor iterates the keyspace's keys in order, without their prefix.
func (k keyspace) Cursor() kcursor { return kcursor{k.b.Cursor(), k.p} }

type kcursor struct {
	c *bolt.Cursor
	p byte
}

func (c kcursor) strip(k, v []byte) ([]byte, []byte) {
	if len(k) == 0 || k[0] != c.p {
		return nil, nil
	}
	return k[1:], v
}

func (c kcursor) First() ([]byte, []byte) { return c.strip(c.c.Seek([]byte{c.p})) }

func (c kcursor) Seek(x []byte) ([]byte, []byte) {
	return c.strip(c.c.Seek(append([]byte{c.p}, x...)))
}

func (c kcursor) Next() ([]byte, []byte) { return c.strip(c.c.Next()) }

func (c kcursor) Prev() ([]byte, []byte) { return c.strip(c.c.Prev()) }
