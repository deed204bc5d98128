package store

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// blobPart is the size of one stored part of a blob.
const blobPart = chunkBytes

// blobFlush is how much a blobWriter buffers before it commits a transaction.
const blobFlush = 64 << 20

// BlobWriter stores a large value in a table's blob/ bucket, in parts,
// committing a transaction every blobFlush bytes so no transaction grows
// without bound. The blob is garbage until a later transaction records its
// name in the table's info.
type BlobWriter struct {
	ctx     context.Context
	db      *DB
	tableID uint64
	name    string
	part    uint32
	buf     []byte   // the part being filled
	pending [][]byte // full parts not yet committed
	Size    int64
	flushAt int // bytes to buffer before a commit (0 = blobFlush)
	// async commits each flush on another goroutine while the caller fills the next
	// parts (a bulk load's blobs: see blobwrite.go); the owner must call wait or Close.
	async    bool
	inflight chan flushedParts // the result of the flush being committed, if any
	err      error             // the first flush error
	free     [][]byte          // parts committed, to fill again (blobwrite.go)
}

func NewBlobWriter(ctx context.Context, d *DB, tableID uint64, name string) *BlobWriter {
	return &BlobWriter{ctx: ctx, db: d, tableID: tableID, name: name}
}

func (w *BlobWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = w.newPart()
		}
		k := copy(w.buf[len(w.buf):blobPart], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
		if len(w.buf) == blobPart {
			w.pending = append(w.pending, w.buf)
			w.buf = nil
			if limit := w.flushAt; len(w.pending)*blobPart >= blobFlush || limit > 0 && len(w.pending)*blobPart >= limit {
				if err := w.flush(); err != nil {
					return 0, err
				}
			}
		}
	}
	w.Size += int64(n)
	return n, nil
}

func (w *BlobWriter) flush() error {
	parts := w.pending
	w.pending = nil
	if w.async {
		return w.flushAsync(parts)
	}
	if err := w.commitParts(parts); err != nil {
		return err
	}
	w.free = append(w.free, parts...)
	return nil
}

// commitParts stores parts, in order, in one transaction.
func (w *BlobWriter) commitParts(parts [][]byte) error {
	return w.db.update(w.ctx, func(tx *bolt.Tx) error {
		tb := tx.Bucket(TableKey(w.tableID))
		if tb == nil {
			return fmt.Errorf("%w: table was dropped while writing its %s", ErrNoTable, w.name)
		}
		b, err := tb.Bucket(bucketBlob).CreateBucketIfNotExists([]byte(w.name))
		if err != nil {
			return err
		}
		b.FillPercent = 1
		sums := sumsOn(tx)
		for _, p := range parts {
			k := u32key(w.part)
			if sums {
				p = sealOwned(k, p)
			}
			if err := b.Put(k, p); err != nil {
				return err
			}
			w.part++
		}
		return nil
	})
}

// Close commits what is buffered. The blob exists (possibly empty) afterwards.
func (w *BlobWriter) Close() error {
	if w.buf != nil {
		w.pending = append(w.pending, w.buf)
		w.buf = nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	return w.wait()
}

// blobReader reads a stored blob inside the transaction that opened it,
// part by part. A part that fails its checksum is ErrCorrupt.
type blobReader struct {
	t       *Table
	role    string
	c       *bolt.Cursor
	started bool
	cur     []byte // what is left of the current part
	err     error  // io.EOF after the last part, or the error that ended the reading
}

// OpenBlob opens the blob a table's info records for role.
func (t *Table) OpenBlob(role string) (io.Reader, bool) {
	name := t.meta.Blobs[role]
	if name == "" {
		return nil, false
	}
	b := t.b.Bucket(bucketBlob).Bucket([]byte(name))
	if b == nil {
		return nil, false
	}
	return &blobReader{t: t, role: role, c: b.Cursor()}, true
}

func (r *blobReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.nextPart()
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// nextPart moves to the next part, verifying it.
func (r *blobReader) nextPart() {
	var k, v []byte
	if r.started {
		k, v = r.c.Next()
	} else {
		k, v = r.c.First()
		r.started = true
	}
	if k == nil {
		r.err = io.EOF
		return
	}
	r.cur, r.err = r.t.openPart(k, v, r.role)
}

// blobPartAt returns part i of the blob bucket b that t's info records for
// role, verified and without its checksum; nil if there is none. It is for
// readers that want one part, not the stream openBlob gives.
func (t *Table) blobPartAt(b *bolt.Bucket, i uint32, role string) ([]byte, error) {
	k := u32key(i)
	v := b.Get(k)
	if v == nil {
		return nil, nil
	}
	return t.openPart(k, v, role)
}

// openPart verifies the stored part v under key k of t's blob for role
// and returns it without its checksum.
func (t *Table) openPart(k, v []byte, role string) ([]byte, error) {
	if !t.sums {
		return v, nil
	}
	body, ok := t.verified.unseal(k, v)
	if !ok {
		return nil, fmt.Errorf("%w: table %s: part %d of its %s fails its checksum", ErrCorrupt, Quote(t.name), partNumber(k), role)
	}
	return body, nil
}

// blobSize sums the sizes of a blob's parts.
func (t *Table) blobSize(role string) int64 {
	name := t.meta.Blobs[role]
	if name == "" {
		return 0
	}
	b := t.b.Bucket(bucketBlob).Bucket([]byte(name))
	if b == nil {
		return 0
	}
	var n int64
	b.ForEach(func(_, v []byte) error {
		n += int64(len(v))
		if t.sums {
			n -= sumLen
		}
		return nil
	})
	return n
}

// dropBlob deletes a blob bucket if it exists.
func (t *Table) dropBlob(name string) error {
	if name == "" || t.b.Bucket(bucketBlob).Bucket([]byte(name)) == nil {
		return nil
	}
	return t.b.Bucket(bucketBlob).DeleteBucket([]byte(name))
}

var blobSeq atomic.Uint64

// NewBlobName returns a fresh blob name for role. Names only need to differ
// from the blobs a table already has; the time and a process-wide counter
// make them unique.
func NewBlobName(role string) string {
	return fmt.Sprintf("%s.%x.%d", role, time.Now().UnixNano(), blobSeq.Add(1))
}

// cleanBlobs deletes, in every published table, the blobs its info does not
// name: leftovers of interrupted index builds.
func cleanBlobs(tx *bolt.Tx) error {
	names, _, err := catalog(tx)
	if err != nil {
		return nil // CHECK DATABASE reports it; Open must not fail on it
	}
	for _, name := range names {
		t, err := OpenTableBolt(tx, name)
		if err != nil {
			continue // reported by CHECK DATABASE; Open must not fail on it
		}
		used := make(map[string]bool)
		for _, n := range t.meta.Blobs {
			used[n] = true
		}
		var garbage [][]byte
		c := t.b.Bucket(bucketBlob).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if !used[string(k)] {
				garbage = append(garbage, append([]byte(nil), k...))
			}
		}
		for _, k := range garbage {
			if err := t.b.Bucket(bucketBlob).DeleteBucket(k); err != nil {
				return err
			}
		}
	}
	return nil
}
