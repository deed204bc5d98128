package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// A keyspace is one kind of entry inside a table's bucket: the words index,
// the row chunks or the vector chunks, told apart by a one-byte key prefix.
// Keeping them in the table's own bucket, rather than in sub-buckets, saves
// a lookup two bucket opens, a good part of its cost. In a format-2 file
// its values are sealed with checksums (checksum.go): Put seals, Get and
// the cursor verify and strip the trailer.
type keyspace struct {
	t *Table
	p byte
}

// The key prefixes of a table bucket's keyspaces. Other keys of the bucket
// ("info", "ver", the "blob" sub-bucket) start with a letter.
const (
	KsWords byte = 1
	KsRows  byte = 2
	KsVec   byte = 3
	KsCol   byte = 4 // user column chunks (colchunk.go)
)

func (t *Table) ks(p byte) keyspace { return keyspace{t, p} }

func (k keyspace) key(x []byte) []byte {
	b := make([]byte, 1+len(x))
	b[0] = k.p
	copy(b[1:], x)
	return b
}

// Get returns the value of key x, valid only inside the transaction; nil
// if there is none. A value that fails its checksum is ErrCorrupt.
func (k keyspace) Get(x []byte) ([]byte, error) {
	var buf [32]byte // lookups' keys are short: no allocation
	full := append(append(buf[:0], k.p), x...)
	v := k.t.b.Get(full)
	if v == nil || !k.t.sums {
		return v, nil
	}
	body, ok := k.t.verified.unseal(full, v)
	if !ok {
		return nil, k.t.badValue(full)
	}
	return body, nil
}

// Put sets key x to v; v must stay unchanged until the transaction ends.
func (k keyspace) Put(x, v []byte) error {
	full := k.key(x)
	if k.t.sums {
		v = seal(full, v)
	}
	return k.t.b.Put(full, v)
}

// Delete removes key x.
func (k keyspace) Delete(x []byte) error { return k.t.b.Delete(k.key(x)) }

// Cursor iterates the keyspace's keys in order, without their prefix. It
// stops at a value that fails its checksum: check Err after the loop.
func (k keyspace) Cursor() *kcursor { return &kcursor{c: k.t.b.Cursor(), t: k.t, p: k.p} }

type kcursor struct {
	c   *bolt.Cursor
	t   *Table
	p   byte
	err error
}

func (c *kcursor) strip(k, v []byte) ([]byte, []byte) {
	if len(k) == 0 || k[0] != c.p {
		return nil, nil
	}
	if c.t.sums {
		body, ok := c.t.verified.unseal(k, v)
		if !ok {
			c.err = c.t.badValue(k)
			return nil, nil
		}
		v = body
	}
	return k[1:], v
}

// Err returns the error that ended the iteration, if any.
func (c *kcursor) Err() error { return c.err }

func (c *kcursor) First() ([]byte, []byte) { return c.strip(c.c.Seek([]byte{c.p})) }

func (c *kcursor) Seek(x []byte) ([]byte, []byte) {
	return c.strip(c.c.Seek(append([]byte{c.p}, x...)))
}

func (c *kcursor) Next() ([]byte, []byte) { return c.strip(c.c.Next()) }

func (c *kcursor) Prev() ([]byte, []byte) { return c.strip(c.c.Prev()) }

// badValue is the error for a value of the table that fails its checksum;
// key is the value's full key in the table's bucket.
func (t *Table) badValue(key []byte) error {
	return fmt.Errorf("%w: table %s: %s fails its checksum", ErrCorrupt, Quote(t.name), describeKey(key))
}

// describeKey names a key of a table's bucket for an error message.
func describeKey(key []byte) string {
	if len(key) == 0 {
		return "a value"
	}
	chunk := func(kind string) string {
		if len(key) != 5 {
			return kind + " with a malformed key"
		}
		return fmt.Sprintf("%s %d", kind, binary.BigEndian.Uint32(key[1:]))
	}
	switch key[0] {
	case KsWords:
		return fmt.Sprintf("the words index chunk at %s", Quote(string(key[1:])))
	case KsRows:
		return chunk("row chunk")
	case KsVec:
		return chunk("vector chunk")
	case KsCol:
		if len(key) != 9 {
			return "column chunk with a malformed key"
		}
		return fmt.Sprintf("chunk %d of column id %d", binary.BigEndian.Uint32(key[5:]), binary.BigEndian.Uint32(key[1:]))
	}
	return "its " + string(key)
}
