package store

import (
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Hooks for the tests of package db that damage a file on purpose and
// check, through the language, what a statement then says. They name the
// layout's internals; nothing else uses them.

// SumFormat is the first storage format whose values carry checksums.
const SumFormat = sumFormat

// SumLen is the length of a value's checksum trailer.
const SumLen = sumLen

// U32Key encodes v as a big-endian key.
func U32Key(v uint32) []byte { return u32key(v) }

// FileFormat returns the storage format of the file tx reads.
func FileFormat(tx *bolt.Tx) uint32 { return fileFormat(tx) }

// BlobBucket returns the bucket of the blob of table id that has role, or
// nil.
func BlobBucket(tx *bolt.Tx, id uint64, role string) (*bolt.Bucket, error) {
	t, err := openTableID(tx, id)
	if err != nil {
		return nil, err
	}
	return t.b.Bucket(bucketBlob).Bucket([]byte(t.meta.Blobs[role])), nil
}

// LastWordOfChunk decodes an encoded words-index chunk (without its
// checksum) and returns its last word; ok is false if it is malformed.
func LastWordOfChunk(b []byte) (word string, ok bool) {
	c, ok := decodeWordChunk(b)
	if !ok || len(c) == 0 {
		return "", false
	}
	return c[len(c)-1].word, true
}

// BucketBlob is the name of a table's blob sub-bucket.
var BucketBlob = bucketBlob

// OverwriteVector sets the stored vector of row id of table name, behind
// the back of its index: for tests of CHECK DATABASE.
func OverwriteVector(tx *Tx, name string, id uint32, v []float32) error {
	tb, err := OpenTableBolt(tx.tx, name)
	if err != nil {
		return err
	}
	chunk, slot := tb.chunkOf(id)
	rb := tb.meta.rowBytes()
	buf, err := tb.vecChunk(chunk, (slot+1)*rb)
	if err != nil {
		return err
	}
	tb.meta.Elem.Encode(buf[slot*rb:(slot+1)*rb], v)
	return tb.FlushChunks()
}

// CountTableBuckets counts the table buckets of the file at path, published
// or not, opening it read-only with bbolt: what a test of interrupted
// writes checks.
func CountTableBuckets(path string) (int, error) {
	bdb, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return 0, err
	}
	defer bdb.Close()
	n := 0
	err = bdb.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(k []byte, _ *bolt.Bucket) error {
			if _, ok := TableID(k); ok {
				n++
			}
			return nil
		})
	})
	return n, err
}

// vacuumReopenFault, when set, is the error Vacuum's reopening of its
// compacted copy fails with (see compactTo).
var vacuumReopenFault atomic.Pointer[error]

// FailVacuumReopen makes every in-place Vacuum fail to reopen its compacted
// copy, with err, until the returned function is called: for the test that
// a failed VACUUM leaves the database open on its old file, which it can
// still read and write. Tests that use it must not run in parallel with
// other Vacuums.
func FailVacuumReopen(err error) (restore func()) {
	vacuumReopenFault.Store(&err)
	return func() { vacuumReopenFault.Store(nil) }
}

// reopenFault is the error FailVacuumReopen set for a compacted copy made
// for purpose, or nil.
func reopenFault(purpose string) error {
	if p := vacuumReopenFault.Load(); p != nil && purpose == vacuumPurpose {
		return *p
	}
	return nil
}
