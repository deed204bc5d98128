package store

// Checksums on stored values (format 2). bbolt checks nothing of what it
// stores: a flipped bit in a vector, a word or a table's info is read back
// as if it had been written so, and a query answers differently with no
// error. In a format-2 file every value that holds table data carries a
// CRC-32 trailer, computed over its key and its bytes, so that a value
// moved under another key fails too; reading a value verifies it, and a
// mismatch is ErrCorrupt naming the table and the value. (The IEEE
// polynomial rather than Castagnoli: Go computes it with carry-less
// multiplication, 17 GB/s against 10 on our machines.)
//
// Read transactions remember the values they verified (sumCache), so that
// a lookup or scan that comes back to a 64 KiB vector chunk does not pay
// for its checksum again.
//
// The values covered: catalog entries, a table's info, the chunks of its
// words index, rows and vectors, and the parts of its blobs (index graph,
// tokenizer, trainer state). Not covered: the table's "ver" counter (a
// damaged one only makes caches reload) and bbolt's own pages, which the
// page walker checks (pagecheck.go). A format-1 file (made before
// checksums) is read and written without them, as it was.

import (
	"encoding/binary"
	"hash/crc32"
	"sync"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// sumFormat is the first format whose values carry checksums.
const sumFormat = 2

// sumLen is the size of a value's checksum trailer.
const sumLen = 4

func valueSum(key, v []byte) uint32 {
	return crc32.Update(crc32.ChecksumIEEE(key), crc32.IEEETable, v)
}

// seal returns a copy of v with the checksum of key and v appended.
func seal(key, v []byte) []byte {
	out := make([]byte, len(v)+sumLen)
	copy(out, v)
	binary.LittleEndian.PutUint32(out[len(v):], valueSum(key, v))
	return out
}

// unseal verifies a sealed value and returns it without its trailer.
func unseal(key, v []byte) ([]byte, bool) {
	if len(v) < sumLen {
		return nil, false
	}
	body := v[:len(v)-sumLen]
	return body, binary.LittleEndian.Uint32(v[len(body):]) == valueSum(key, body)
}

// sumCache remembers the sealed values that read transactions verified,
// by where they lie in the memory map, their length and their stored
// checksum. A value bbolt later writes at the same place (a page freed and
// reused) is a new value: it is verified again unless it has the same
// length and checksum, that is, unless it is, all but surely, the same
// bytes. Values of write transactions live in bbolt's own memory until
// commit and are never remembered.
type sumCache struct {
	mu sync.Mutex
	m  map[sumKey]struct{}
}

type sumKey struct {
	at  uintptr
	n   int
	sum uint32
}

// sumCacheMax bounds the entries kept: a 400 MB table has about 6,500
// vector chunks; past the bound the cache starts again.
const sumCacheMax = 1 << 18

func keyOf(v []byte) sumKey {
	return sumKey{uintptr(unsafe.Pointer(unsafe.SliceData(v))), len(v), binary.LittleEndian.Uint32(v[len(v)-sumLen:])}
}

// unseal is the package's unseal through the cache c (which may be nil).
func (c *sumCache) unseal(key, v []byte) ([]byte, bool) {
	if c == nil || len(v) < sumLen {
		return unseal(key, v)
	}
	k := keyOf(v)
	c.mu.Lock()
	_, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v[:len(v)-sumLen], true
	}
	body, ok := unseal(key, v)
	if ok {
		c.mu.Lock()
		if c.m == nil || len(c.m) >= sumCacheMax {
			c.m = make(map[sumKey]struct{})
		}
		c.m[k] = struct{}{}
		c.mu.Unlock()
	}
	return body, ok
}

// reset forgets every verified value.
func (c *sumCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// fileFormat reads the format version of the file a transaction sees
// (0 if the header is missing, which Open has refused already).
func fileFormat(tx *bolt.Tx) uint32 {
	root := tx.Bucket(bucketRoot)
	if root == nil {
		return 0
	}
	v := root.Get(keyFormat)
	if len(v) != 4 {
		return 0
	}
	return binary.BigEndian.Uint32(v)
}

// sumsOn reports whether the values of the file carry checksums.
func sumsOn(tx *bolt.Tx) bool { return fileFormat(tx) >= sumFormat }

// checkSums verifies every sealed value of a table, its blobs' parts
// included, for CHECK DATABASE: unlike a query, which stops at the first
// bad value, it reports each one.
func checkSums(t *Table, report func(string, ...any)) {
	if !t.sums {
		return
	}
	bad := 0
	c := t.b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil || string(k) == string(keyVer) || string(k) == string(KeyInfo) {
			continue // a sub-bucket, the unsealed version, the info verified on open
		}
		if _, ok := unseal(k, v); !ok {
			if bad++; bad <= 10 {
				report("%s fails its checksum", describeKey(k))
			}
		}
	}
	blobs := t.b.Bucket(bucketBlob)
	if blobs == nil {
		return
	}
	for role, name := range t.meta.Blobs {
		b := blobs.Bucket([]byte(name))
		if b == nil {
			continue // reported as missing
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if _, ok := unseal(k, v); !ok {
				if bad++; bad <= 10 {
					report("part %d of its %s fails its checksum", partNumber(k), role)
				}
			}
		}
	}
	if bad > 10 {
		report("%d values in all fail their checksums", bad)
	}
}

func partNumber(k []byte) int64 {
	if len(k) != 4 {
		return -1
	}
	return int64(binary.BigEndian.Uint32(k))
}
