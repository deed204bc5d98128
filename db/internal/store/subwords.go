package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/embeddb/embeddb/internal/vec"
	"github.com/embeddb/embeddb/trainer"
	bolt "go.etcd.io/bbolt"
)

// A FastText table keeps its words' vectors as ordinary rows (each the mean of the word's own
// vector and its n-grams', as gensim's wv.vectors) and its n-gram matrix in a blob of role
// "subwords", through the same blob mechanism as the index graph and the tokenizer: the
// storage format does not change, and a reader that predates FastText sees an ordinary
// trained table. The blob is laid out so that one n-gram row can be read where it lies,
// without loading the matrix: an unseen word's vector costs a dozen row reads.
//
// Layout (version 1, little-endian): "EMBFTSUB", uint32 version, uint32 min_n, uint32 max_n,
// uint32 bucket, uint32 dim, uint32 zero; then bucket rows of dim float32s.
const (
	blobSubwords    = "subwords"
	subwordsMagic   = "EMBFTSUB"
	subwordsVersion = 1
	subwordsHeader  = 32
)

// subwordTable reads a table's n-gram rows inside the transaction that opened it.
type subwordTable struct {
	minN, maxN, bucket, dim int
	t                       *Table
	b                       *bolt.Bucket // the blob's parts, valid in t's transaction
}

// subwordParts keeps, for one table's n-gram blob, its checked header and the parts that
// queries have read, decoded to float32s, so that an unseen word's dozens of rows cost
// memory reads and additions, not B+tree searches and byte decoding, after the first
// queries (gensim holds the whole matrix in memory; this holds what was asked for, at most
// the blob's size). The blob is immutable: a new one gets a new name.
type subwordParts struct {
	blob                    string
	minN, maxN, bucket, dim int
	mu                      sync.Mutex
	parts                   [][]float32
}

// subwordCache returns the part cache of t's n-gram blob, checking the blob's header and
// size when it is first opened; nil when t has no n-grams.
func (d *DB) subwordCache(t *Table) (*subwordParts, error) {
	name := t.meta.Blobs[blobSubwords]
	if name == "" {
		return nil, nil
	}
	d.mu.Lock()
	c := d.subs[t.id]
	d.mu.Unlock()
	if c != nil && c.blob == name {
		return c, nil
	}
	st, ok, err := t.subwords()
	if err != nil || !ok {
		return nil, err
	}
	end := int64(subwordsHeader) + int64(st.bucket)*int64(st.dim)*4
	c = &subwordParts{blob: name, minN: st.minN, maxN: st.maxN, bucket: st.bucket, dim: st.dim,
		parts: make([][]float32, (end+blobPart-1)/blobPart)}
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		if d.subs == nil {
			d.subs = make(map[uint64]*subwordParts)
		}
		d.subs[t.id] = c
	}
	return c, nil
}

// part returns part i of t's n-gram blob as float32s, from the cache or decoded into it
// (verified) from the blob, whose bucket *b is looked up the first time one is needed.
// The caller holds c.mu.
func (c *subwordParts) part(t *Table, b **bolt.Bucket, i int) ([]float32, error) {
	if c.parts[i] != nil {
		return c.parts[i], nil
	}
	if *b == nil {
		if *b = t.b.Bucket(bucketBlob).Bucket([]byte(c.blob)); *b == nil {
			return nil, fmt.Errorf("%w: table %s: n-gram vectors: missing", ErrCorrupt, Quote(t.name))
		}
	}
	p, err := t.blobPartAt(*b, uint32(i), blobSubwords)
	if err != nil {
		return nil, err
	}
	// Parts hold whole float32s: the header and a part's size are multiples of 4.
	f := make([]float32, len(p)/4)
	vec.Float32.Decode(f, p)
	c.parts[i] = f
	return f, nil
}

// subwordsFlush is how much of the n-gram matrix one transaction stores.
const subwordsFlush = 8 << 20

// WriteSubwords stores a FastText model's n-gram matrix as the subwords blob of w's table.
// The matrix is most of the heap, so the garbage that storing it leaves (the parts, bbolt's
// page buffers) would otherwise let the heap grow to twice its size before the collector
// runs: it commits every subwordsFlush bytes and collects after each commit, to keep TRAIN's
// peak memory near the matrix's own size (gensim's FastText holds the same matrix).
//
// IMPORT passes collect = false: it holds the file's matrices as well, so collecting every
// 8 MiB saves proportionally less; its flushes of 64 MiB commit on another goroutine, which
// collects after each (BlobWriter.flushAsync).
func WriteSubwords(w *BulkWriter, m *trainer.Model, collect bool) error {
	o := m.Options
	return writeNgrams(w, o.MinN, o.MaxN, o.Bucket, m.Dim, m.Ngrams, collect)
}

// WriteNgrams is WriteSubwords for an n-gram matrix of bucket rows of dim values whose model
// is not built yet: IMPORT of a .bin stores the file's matrix while the words' vectors are
// being made from it. It does not collect (see WriteSubwords).
func WriteNgrams(w *BulkWriter, minN, maxN, bucket, dim int, ngrams []float32) error {
	if len(ngrams) != bucket*dim {
		return fmt.Errorf("store subwords: %d values for %d buckets of dimension %d", len(ngrams), bucket, dim)
	}
	return writeNgrams(w, minN, maxN, bucket, dim, ngrams, false)
}

func writeNgrams(w *BulkWriter, minN, maxN, bucket, dim int, ngrams []float32, collect bool) error {
	flushAt := subwordsFlush
	if !collect {
		flushAt = 0
	} else {
		runtime.GC() // the state's garbage, before the matrix adds its own
	}
	return w.writeBlob(blobSubwords, flushAt, func(out io.Writer) error {
		var dst io.Writer = out
		if collect {
			dst = &collectingWriter{w: out, d: w.db}
		}
		hdr := make([]byte, 0, subwordsHeader)
		hdr = append(hdr, subwordsMagic...)
		for _, v := range []int{subwordsVersion, minN, maxN, bucket, dim, 0} {
			hdr = binary.LittleEndian.AppendUint32(hdr, uint32(v))
		}
		if _, err := dst.Write(hdr); err != nil {
			return err
		}
		return vec.WriteFloat32s(dst, ngrams)
	})
}

// WriteState stores m's training state ([trainer.Model.WriteState]) as the state blob of w's
// table. With collect (a FastText TRAIN, whose n-gram matrix fills most of the heap), it
// first collects the garbage the rows left, then commits every subwordsFlush bytes and
// collects after each commit, as WriteSubwords does: the state holds two more matrices of
// the vocabulary's size, whose copies would otherwise pile up on top of the n-gram matrix
// before the collector's next turn (at twice the heap).
func WriteState(w *BulkWriter, m *trainer.Model, collect bool) error {
	if !collect {
		return w.WriteBlob(BlobState, m.WriteState)
	}
	runtime.GC()
	return w.writeBlob(BlobState, subwordsFlush, func(out io.Writer) error {
		return m.WriteState(&collectingWriter{w: out, d: w.db})
	})
}

// subwords opens t's n-gram matrix; ok is false when t has none (it is not FastText).
func (t *Table) subwords() (st *subwordTable, ok bool, err error) {
	name := t.meta.Blobs[blobSubwords]
	if name == "" {
		return nil, false, nil
	}
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: table %s: n-gram vectors: %s", ErrCorrupt, Quote(t.name), fmt.Sprintf(format, args...))
	}
	b := t.b.Bucket(bucketBlob).Bucket([]byte(name))
	if b == nil {
		return nil, false, corrupt("missing")
	}
	h, err := t.blobPartAt(b, 0, blobSubwords)
	if err != nil {
		return nil, false, err
	}
	if len(h) < subwordsHeader || string(h[:8]) != subwordsMagic {
		return nil, false, corrupt("bad header")
	}
	u := func(i int) int { return int(binary.LittleEndian.Uint32(h[8+4*i:])) }
	if u(0) != subwordsVersion {
		return nil, false, corrupt("version %d (this build reads %d)", u(0), subwordsVersion)
	}
	st = &subwordTable{minN: u(1), maxN: u(2), bucket: u(3), dim: u(4), t: t, b: b}
	if st.dim != t.meta.Dim || st.bucket < 0 || st.bucket > 1<<30 {
		return nil, false, corrupt("dimension %d, %d buckets for a table of dimension %d", st.dim, st.bucket, t.meta.Dim)
	}
	// The last part must be where the sizes put it, and no shorter.
	end := int64(subwordsHeader) + int64(st.bucket)*int64(st.dim)*4
	last := (end - 1) / blobPart
	p, err := t.blobPartAt(b, uint32(last), blobSubwords)
	if err != nil {
		return nil, false, err
	}
	if int64(len(p)) != end-last*blobPart {
		return nil, false, corrupt("the matrix is truncated")
	}
	return st, true, nil
}

// readAll reads the whole n-gram matrix (for continued training and export).
func (st *subwordTable) readAll() ([]float32, error) {
	r, ok := st.t.OpenBlob(blobSubwords)
	if !ok {
		return nil, fmt.Errorf("%w: table %s: n-gram vectors missing", ErrCorrupt, Quote(st.t.name))
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if _, err := br.Discard(subwordsHeader); err != nil {
		return nil, err
	}
	out := make([]float32, st.bucket*st.dim)
	buf := make([]byte, 1<<16)
	for off := 0; off < len(out); {
		k := min(len(out)-off, len(buf)/4)
		if _, err := io.ReadFull(br, buf[:4*k]); err != nil {
			return nil, fmt.Errorf("%w: table %s: n-gram vectors: %v", ErrCorrupt, Quote(st.t.name), err)
		}
		vec.Float32.Decode(out[off:off+k], buf[:4*k])
		off += k
	}
	return out, nil
}

// RestoreSubwords gives a FastText model restored from t's state its n-gram matrix.
func RestoreSubwords(t *Table, m *trainer.Model) error {
	if m.Options.Kind != trainer.FastText {
		return nil
	}
	st, ok, err := t.subwords()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: table %s: a FastText state without n-gram vectors", ErrCorrupt, Quote(t.name))
	}
	ng, err := st.readAll()
	if err != nil {
		return err
	}
	return m.SetSubwords(ng, nil)
}

// collectingWriter runs the garbage collector after every subwordsFlush bytes written
// through it (see WriteSubwords), and drops the database file's pages that the commits
// touched through bbolt's map from the resident set (dropMapped).
type collectingWriter struct {
	w    io.Writer
	d    *DB
	done int
}

func (c *collectingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if c.done/subwordsFlush != (c.done+n)/subwordsFlush {
		runtime.GC()
		c.d.dropMapped()
	}
	c.done += n
	return n, err
}

// OOVVector is the vector of a word a FastText table does not have as a row, built from
// its n-grams: the mean of their rows, summed in float32 in order and divided by their
// number, as gensim's FastTextKeyedVectors.get_vector (zero for a word with no n-gram, as
// there); ok is false for a table without n-grams.
func (d *DB) OOVVector(t *Table, word string) (vec []float32, ok bool, err error) {
	c, err := d.subwordCache(t)
	if err != nil || c == nil || c.bucket == 0 {
		return nil, false, err
	}
	var stack [128]uint32
	buckets := trainer.NgramBuckets(stack[:0], word, c.minN, c.maxN, c.bucket)
	out := make([]float32, c.dim)
	if len(buckets) == 0 {
		return out, true, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var b *bolt.Bucket
	for _, r := range buckets {
		off := int64(subwordsHeader) + int64(r)*int64(c.dim)*4 // in bytes
		for i := 0; i < c.dim; {
			part := off / blobPart
			p, err := c.part(t, &b, int(part))
			if err != nil {
				return nil, false, err
			}
			in := int(off-part*blobPart) / 4
			if in >= len(p) {
				return nil, false, fmt.Errorf("%w: table %s: n-gram row %d is missing", ErrCorrupt, Quote(t.name), r)
			}
			n := min(c.dim-i, len(p)-in)
			addFloats(out[i:i+n], p[in:in+n])
			i, off = i+n, off+int64(n)*4
		}
	}
	k := float32(len(buckets))
	for i := range out {
		out[i] /= k
	}
	return out, true, nil
}

// addFloats sets dst[i] += src[i]; len(src) >= len(dst). An addition by Axpy with a = 1 is
// rounded as the plain one is, so the sum is gensim's to the bit.
func addFloats(dst, src []float32) {
	n := len(dst) &^ 7
	vec.Axpy(1, src, dst, n)
	for i := n; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// Ngrams reads the whole n-gram matrix of a FastText table; ok is false
// for a table without one.
func (t *Table) Ngrams() (ng []float32, ok bool, err error) {
	st, ok, err := t.subwords()
	if err != nil || !ok {
		return nil, ok, err
	}
	ng, err = st.readAll()
	return ng, true, err
}
