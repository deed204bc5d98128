package store

import (
	"context"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// bulkFlush is how many bytes of rows a BulkWriter buffers before it writes
// them in a transaction of their own. The first transaction is smaller
// (bulkFirstFlush), so that writing, the slow part of a load, starts as
// soon as there is something to write.
//
// A flush is held up to four times over at once: the chunks being filled,
// the chunks of the flush in flight, bbolt's pages for them at its commit,
// and, when the file outgrows bbolt's map during that commit, bbolt's copy
// of every key and value of the transaction (its remap "dereferences" the
// dirty nodes). How often those coincide grows with the number of flushes,
// so with 32 MiB flushes a load's peak heap kept rising with the rows long
// after the flushes stopped growing (Parquet at 16 dimensions: 147, 185,
// 188 MiB at 1M, 3.2M, 6.4M rows), reaching its ceiling only after dozens
// of flushes. At 8 MiB that ceiling is 32 MiB and is reached within the
// first few hundred thousand rows; a million rows of 100 dimensions
// import as fast (6.0-7.5 s by wall against 5.8-7.2 s at 32 MiB, 2.5 s of
// CPU either way, on a shared machine).
var bulkFlush = 8 << 20

const bulkFirstFlush = 4 << 20

// BulkOptions configures BulkLoad. The zero value creates a new table and
// fails if the name is taken.
type BulkOptions struct {
	// Replace lets the load replace an existing table of the same name; the
	// old table stays visible, unchanged, until Commit swaps them atomically.
	Replace bool

	// Duplicates says what to do with a word that appears twice: "error"
	// (zero value) fails the load; "first" keeps the first row and skips
	// later ones, as gensim's load_word2vec_format does.
	Duplicates string

	// KeepColumns gives the new table the user columns and scalar indexes
	// of the table it replaces, by word (carry.go): TRAIN's update and
	// IMPORT's replace. The load fails at once if a NOT NULL column has no
	// DEFAULT for new words.
	KeepColumns bool
}

// BulkWriter loads a whole table: millions of rows, written over several
// transactions under a hidden id, and published atomically by Commit. Until
// then no reader sees the table; if the load fails, is aborted, its context
// is cancelled or the process dies, nothing of it remains (the next Open
// removes what a dead process left).
//
// A BulkWriter is not safe for concurrent use. Rows get ids 0, 1, 2, ... in
// the order they are appended (skipped duplicates take no id). Like a bbolt
// transaction, it must end in Commit or Abort (defer Abort right after
// BulkLoad: it does nothing after a Commit); until then it holds a
// goroutine that sorts its words.
type BulkWriter struct {
	ctx  context.Context
	db   *DB
	name string
	opts BulkOptions
	meta *tableMeta
	id   uint64 // the hidden table id
	old  uint64 // the id of the table being replaced, or 0

	next     uint32     // id of the next row
	chunk    []byte     // the vector chunk being filled
	rowChunk []rowEntry // the words and counts of its rows
	chunkNo  uint32     // its number
	chunks   [][]byte   // full vector chunks not yet written
	rowBufs  [][]byte   // their encoded row chunks
	chunkNs  []uint32   // their numbers
	pending  int        // bytes buffered
	flushes  int        // flushes started

	words     []wordEntry       // the named rows not yet handed to the sorter
	sorter    *wordSorter       // sorts the words while the load goes on
	seen      map[string]uint32 // the same, for Duplicates "first" only
	skipped   int64
	blobs     map[string]string // role -> blob name written
	blobSizes map[string]int64
	index     *IndexInfo
	// finiteChecked says the caller checks rows for NaN and Inf itself
	// (IMPORT: the file reader counts them as it parses).
	finiteChecked bool
	sums          bool         // the table's values carry checksums: chunks are sealed as they end (bulkseal.go)
	inflight      chan flushed // the result of the flush being written, if any
	free          [][]byte     // chunk buffers written and committed, to fill again
	wb            *writeback   // starts the disk writes early, from the first flush
	finished      bool
	err           error
	cols          *bulkCols // the user columns' chunks (bulkcols.go)
}

// BulkLoad starts loading a table named name with the given spec.
func (d *DB) BulkLoad(ctx context.Context, name string, spec TableSpec, opts *BulkOptions) (*BulkWriter, error) {
	var o BulkOptions
	if opts != nil {
		o = *opts
	}
	switch o.Duplicates {
	case "", "error", "first":
	default:
		return nil, fmt.Errorf("db: bulk load: unknown duplicates policy %s (want error or first)", Quote(o.Duplicates))
	}
	if err := validName("table name", name); err != nil {
		return nil, err
	}
	meta, err := spec.meta(Now())
	if err != nil {
		return nil, err
	}
	w := &BulkWriter{
		ctx: ctx, db: d, name: name, opts: o, meta: meta,
		blobs: make(map[string]string), blobSizes: make(map[string]int64),
	}
	err = d.update(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(BucketCatalog).Get([]byte(name)) != nil {
			if !o.Replace {
				return fmt.Errorf("%w: %s", ErrTableExists, Quote(name))
			}
			old, err := catalogGet(tx, name)
			if err != nil {
				return err
			}
			w.old = old
			if o.KeepColumns {
				if err := checkKeepable(tx, name, old); err != nil {
					return err
				}
			}
		}
		t, err := newTableBucket(tx, meta)
		if err != nil {
			return err
		}
		w.id, w.sums = t.id, t.sums
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load table %s: %w", Quote(name), err)
	}
	return w, nil
}

// Dim returns the dimension of the table being loaded.
func (w *BulkWriter) Dim() int { return w.meta.Dim }

// Rows returns how many rows have been appended (duplicates skipped aside).
func (w *BulkWriter) Rows() int64 { return int64(w.next) }

// Skipped returns how many duplicate rows were skipped.
func (w *BulkWriter) Skipped() int64 { return w.skipped }

// Append adds rows: words[i] with counts[i] (counts may be nil: all zero)
// and the vector vecs[i*Dim:(i+1)*Dim]. A word may be empty for a row that
// has only an id (the padding rows of a language model's matrix).
func (w *BulkWriter) Append(words []string, counts []int64, vecs []float32) error {
	if err := w.check(words, counts); err != nil {
		return err
	}
	if len(vecs) != len(words)*w.meta.Dim {
		got := len(vecs)
		if len(words) > 0 {
			got /= len(words)
		}
		return w.fail(&DimensionError{Table: w.name, Want: w.meta.Dim, Got: got})
	}
	rb := w.meta.rowBytes()
	for i, word := range words {
		v := vecs[i*w.meta.Dim : (i+1)*w.meta.Dim]
		if err := checkFinite(v); err != nil {
			return w.fail(fmt.Errorf("row %d (%s): %w", w.next, Quote(word), err))
		}
		if !w.addWord(word, countAt(counts, i)) {
			if w.err != nil {
				return w.err
			}
			continue
		}
		encodeVector(w.slot(rb), v, w.meta.Elem)
		if err := w.addRow(word, counts, i); err != nil {
			return err
		}
	}
	return nil
}

// AppendRaw is Append for vectors already encoded in the table's element
// type, little-endian, row after row: raw holds len(words) rows. It lets an
// import keep a file's bfloat16 or float16 bytes as they are.
func (w *BulkWriter) AppendRaw(words []string, counts []int64, raw []byte) error {
	rb := w.meta.rowBytes()
	if err := w.check(words, counts); err != nil {
		return err
	}
	if len(raw) != len(words)*rb {
		return w.fail(fmt.Errorf("db: bulk load: %d bytes of vectors for %d rows of %d bytes", len(raw), len(words), rb))
	}
	for i, word := range words {
		row := raw[i*rb : (i+1)*rb]
		if !w.addWord(word, countAt(counts, i)) {
			if w.err != nil {
				return w.err
			}
			continue
		}
		if !w.finiteChecked {
			if j := firstNonFinite(row, w.meta.Elem); j >= 0 {
				return w.fail(fmt.Errorf("row %d (%s): %w: element %d is NaN or infinite", w.next, Quote(word), ErrInvalidVector, j))
			}
		}
		copy(w.slot(rb), row)
		if err := w.addRow(word, counts, i); err != nil {
			return err
		}
	}
	return nil
}

func (w *BulkWriter) check(words []string, counts []int64) error {
	if w.finished {
		return ErrBulkDone
	}
	if w.err != nil {
		return w.err
	}
	if err := w.ctx.Err(); err != nil {
		return w.fail(err)
	}
	if counts != nil && len(counts) != len(words) {
		return w.fail(fmt.Errorf("db: bulk load: %d counts for %d words", len(counts), len(words)))
	}
	return nil
}

// addWord records word; it returns false for a duplicate to be skipped.
// Without Duplicates "first", duplicates are found at Commit, when the
// words are sorted anyway, which spares a map of every word.
func (w *BulkWriter) addWord(word string, count int64) bool {
	if word == "" {
		return true
	}
	if err := validName("word", word); err != nil {
		w.fail(fmt.Errorf("row %d: %w", w.next, err))
		return false
	}
	if w.opts.Duplicates == "first" {
		if w.seen == nil {
			w.seen = make(map[string]uint32)
		}
		if _, dup := w.seen[word]; dup {
			w.skipped++
			return false
		}
		w.seen[word] = w.next
	}
	if w.words == nil {
		w.words = make([]wordEntry, 0, wordSortBatch)
	}
	w.words = append(w.words, wordEntry{word, w.next, count})
	if len(w.words) == wordSortBatch {
		w.handWords()
	}
	return true
}

// handWords passes the words gathered since the last call to the sorter,
// starting it on the first call.
func (w *BulkWriter) handWords() {
	if w.sorter == nil {
		w.sorter = newWordSorter(spillDir(w.db.path))
	}
	if err := w.sorter.add(w.words); err != nil {
		w.fail(err)
	}
	w.words = nil
}

// slot returns the bytes of the next row in the current chunk.
func (w *BulkWriter) slot(rb int) []byte {
	if w.chunk == nil {
		if n := len(w.free); n > 0 {
			w.chunk, w.free = w.free[n-1][:0], w.free[:n-1]
		} else {
			// Room for the checksum, which endChunk appends in place.
			w.chunk = make([]byte, 0, w.meta.ChunkRows*rb+sumLen)
		}
	}
	n := len(w.chunk)
	w.chunk = w.chunk[:n+rb]
	return w.chunk[n : n+rb]
}

func (w *BulkWriter) addRow(word string, counts []int64, i int) error {
	if w.err != nil {
		return w.err
	}
	var count int64
	if counts != nil {
		count = counts[i]
		if count < 0 {
			return w.fail(fmt.Errorf("db: row %d (%s): negative count %d", w.next, Quote(word), count))
		}
	}
	if err := w.addColumnRow(word, i); err != nil { // bulkcols.go
		return err
	}
	w.rowChunk = append(w.rowChunk, rowEntry{live: true, count: count, word: word})
	w.next++
	if len(w.chunk) == cap(w.chunk)-sumLen {
		w.endChunk()
	}
	if w.next == 0 {
		return w.fail(fmt.Errorf("db: table %s: more than 2^32 rows", Quote(w.name)))
	}
	if w.pending >= w.flushAt() {
		return w.flush()
	}
	return nil
}

// endChunk moves the chunk being filled to the ones waiting to be written.
func (w *BulkWriter) endChunk() {
	key := u32key(w.chunkNo)
	rows := appendSum(w.sums, KsRows, key, encodeRowChunk(w.rowChunk))
	w.chunk = appendSum(w.sums, KsVec, key, w.chunk)
	w.chunks = append(w.chunks, w.chunk)
	w.rowBufs = append(w.rowBufs, rows)
	w.chunkNs = append(w.chunkNs, w.chunkNo)
	w.pending += len(w.chunk) + len(rows)
	w.chunk, w.rowChunk = nil, w.rowChunk[:0]
	w.chunkNo++
}

func (w *BulkWriter) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// flushAt returns how many bytes to buffer before the next flush.
func (w *BulkWriter) flushAt() int {
	if w.flushes == 0 {
		return min(bulkFirstFlush, bulkFlush)
	}
	return bulkFlush
}

// flush writes the buffered rows and full chunks in one transaction.
//
// The transaction runs on another goroutine, so the caller goes on parsing
// and filling the next batch while this one is copied and written; at most
// one is in flight, and its error surfaces at the next call.
func (w *BulkWriter) flush() error {
	if err := w.wait(); err != nil {
		return err
	}
	chunks, rowBufs, nums := w.chunks, w.rowBufs, w.chunkNs
	w.chunks, w.rowBufs, w.chunkNs, w.pending = nil, nil, nil, 0
	w.flushes++
	if w.wb == nil && !w.db.opts.NoSync { // without fsyncs there is nothing to hasten
		w.wb = startWriteback(w.db.path)
	}
	done := make(chan flushed, 1)
	w.inflight = done
	go func() { done <- flushed{w.writeChunks(chunks, rowBufs, nums), chunks} }()
	return nil
}

// flushed is the outcome of a flush: its error, and the chunk buffers it
// wrote, free for reuse once the transaction has committed (bbolt needs
// values to stay unchanged until then). Reusing them spares allocating and
// zeroing the whole matrix a second time.
type flushed struct {
	err    error
	chunks [][]byte
}

// wait waits for the flush in flight, if any, and returns the load's error.
func (w *BulkWriter) wait() error {
	if w.inflight != nil {
		f := <-w.inflight
		w.inflight = nil
		if f.err != nil {
			w.fail(f.err)
		} else {
			w.free = append(w.free, f.chunks...)
		}
	}
	return w.err
}

// writeChunks writes full chunks in one transaction.
func (w *BulkWriter) writeChunks(chunks, rowBufs [][]byte, nums []uint32) error {
	return w.db.update(w.ctx, func(tx *bolt.Tx) error {
		t, err := openTableID(tx, w.id)
		if err != nil {
			return err
		}
		rows, vec := t.ks(KsRows), t.ks(KsVec)
		// Chunks arrive in order: fill pages completely.
		t.b.FillPercent = 1
		for i, c := range chunks {
			if err := rows.putSealed(w.sums, u32key(nums[i]), rowBufs[i]); err != nil {
				return err
			}
			if err := vec.putSealed(w.sums, u32key(nums[i]), c); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetBlob stores data under role ("tokenizer", "state") with the table. It
// is written at once, in its own transactions, and published with the table.
func (w *BulkWriter) SetBlob(role string, data io.Reader) error {
	return w.WriteBlob(role, func(dst io.Writer) error {
		_, err := io.Copy(dst, data)
		return err
	})
}

// WriteBlob is SetBlob for data that fn writes.
func (w *BulkWriter) WriteBlob(role string, fn func(io.Writer) error) error {
	return w.writeBlob(role, 0, fn)
}

// writeBlob is WriteBlob committing every flushAt bytes (0 = blobFlush).
func (w *BulkWriter) writeBlob(role string, flushAt int, fn func(io.Writer) error) error {
	// A blob flushed early to bound memory (flushAt > 0: FastText TRAIN) commits in line,
	// so the collector can take each flush's garbage right after it.
	return w.writeBlobAsync(role, flushAt, flushAt == 0, fn)
}

// writeBlobAsync is writeBlob, committing flushes on another goroutine when async.
func (w *BulkWriter) writeBlobAsync(role string, flushAt int, async bool, fn func(io.Writer) error) error {
	if w.finished {
		return ErrBulkDone
	}
	if err := w.wait(); err != nil {
		return err
	}
	name := NewBlobName(role)
	bw := NewBlobWriter(w.ctx, w.db, w.id, name)
	bw.flushAt = flushAt
	bw.async = async
	if err := fn(bw); err != nil {
		bw.wait() // nothing may write to the table after its load fails
		return w.fail(fmt.Errorf("store %s: %w", role, err))
	}
	if err := bw.Close(); err != nil {
		return w.fail(fmt.Errorf("store %s: %w", role, err))
	}
	w.blobs[role] = name
	w.blobSizes[role] = bw.Size
	return nil
}

// setIndex records, for Commit, the index saved with WriteBlob("index").
func (w *BulkWriter) setIndex(ix *IndexInfo) { w.index = ix }

// Commit writes what remains and publishes the table. If the load replaces
// a table, the old one is dropped in the same transaction. On error nothing
// is published and the partial table is removed.
func (w *BulkWriter) Commit() (*TableInfo, error) {
	if w.finished {
		return nil, ErrBulkDone
	}
	w.endColumns() // bulkcols.go
	if w.err == nil {
		w.commit()
	}
	w.wb.end()
	w.wb = nil
	if w.err != nil {
		w.Abort()
		return nil, fmt.Errorf("load table %s: %w", Quote(w.name), w.err)
	}
	w.finished = true
	w.db.invalidate(w.old)
	return w.meta.info(w.name), nil
}

func (w *BulkWriter) commit() {
	if w.chunk != nil {
		w.endChunk()
	}
	// The words index goes in last: the sorter merges its last runs into
	// the index's chunks while the last rows are written.
	w.handWords()
	w.sorter.end()
	w.seen = nil
	err := w.flush()
	if err == nil {
		err = w.wait()
	}
	// The chunk buffers are not needed again: let the words index have
	// their memory.
	w.free = nil
	if err == nil {
		err = w.writeWords()
	}
	if err != nil {
		w.fail(err)
		return
	}
	if err := w.db.update(w.ctx, w.publishTx); err != nil {
		w.fail(err)
	}
}

// writeWords writes the words index's chunks as the sorter hands them
// over, a transaction per batch, while it merges the next. It ends the
// sorter.
func (w *BulkWriter) writeWords() error {
	defer func() {
		w.sorter.abandon() // after the last batch, this only waits for its cleanup
		w.sorter = nil
	}()
	for {
		b := w.sorter.next()
		if b.err != nil {
			return b.err
		}
		if d := b.dup; d != nil {
			return fmt.Errorf("%w: %s at rows %d and %d", ErrWordExists, Quote(d[0].word), min(d[0].id, d[1].id), max(d[0].id, d[1].id))
		}
		if err := w.writeWordChunks(b.keys, b.vals); err != nil {
			return err
		}
		if b.last {
			return nil
		}
	}
}

// writeWordChunks writes chunks of the words index in one transaction.
func (w *BulkWriter) writeWordChunks(keys, vals [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	return w.db.update(w.ctx, func(tx *bolt.Tx) error {
		t, err := openTableID(tx, w.id)
		if err != nil {
			return err
		}
		words := t.ks(KsWords)
		t.b.FillPercent = 1
		for i, k := range keys {
			if err := words.Put(k, vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// publishTx saves the loaded table's metadata and publishes it under its
// name, replacing the table the name had if the load replaces it; the
// last transaction of a load.
func (w *BulkWriter) publishTx(tx *bolt.Tx) error {
	var cur uint64 // the id the name has now; 0: none
	if tx.Bucket(BucketCatalog).Get([]byte(w.name)) != nil {
		id, err := catalogGet(tx, w.name)
		if err != nil {
			return err
		}
		cur = id
	}
	switch {
	case cur != 0 && !w.opts.Replace:
		return fmt.Errorf("%w: %s (created while loading)", ErrTableExists, Quote(w.name))
	case w.opts.Replace && w.old != 0 && cur != w.old:
		return fmt.Errorf("db: table %s changed while loading; nothing replaced", Quote(w.name))
	}
	t, err := openTableID(tx, w.id)
	if err != nil {
		return err
	}
	t.meta.Rows = int64(w.next)
	t.meta.NextID = w.next
	if w.opts.KeepColumns && cur != 0 {
		if err := carryColumns(tx, cur, t); err != nil {
			return err
		}
	}
	if len(w.blobs) > 0 {
		t.meta.Blobs = w.blobs
	}
	if w.index != nil {
		w.index.Bytes = w.blobSizes[BlobIndex]
		t.meta.Index = w.index
	}
	w.meta = t.meta
	if err := t.save(); err != nil {
		return err
	}
	if cur != 0 {
		if err := dropTableID(tx, cur); err != nil {
			return err
		}
	}
	return publish(tx, w.name, w.id)
}

// Abort abandons the load and removes what it wrote. It is safe to call
// after Commit (it does nothing then) and more than once.
func (w *BulkWriter) Abort() error {
	if w.finished {
		return nil
	}
	w.wait() // let the flush in flight end before removing what it wrote
	w.finished = true
	w.wb.end()
	w.wb = nil
	if w.sorter != nil {
		w.sorter.abandon()
		w.sorter = nil
	}
	if w.err == nil {
		w.err = errors.New("db: bulk load aborted")
	}
	// Clean up even if the load's own context was cancelled.
	err := w.db.update(context.WithoutCancel(w.ctx), func(tx *bolt.Tx) error {
		if tx.Bucket(TableKey(w.id)) == nil {
			return nil
		}
		return dropTableID(tx, w.id)
	})
	if errors.Is(err, ErrClosed) {
		return nil // the next Open removes it
	}
	return err
}

// countAt returns counts[i], or 0 when there are no counts.
func countAt(counts []int64, i int) int64 {
	if counts == nil {
		return 0
	}
	return counts[i]
}

// SetBulkIndex records the index the caller builds into w (IMPORT of a
// table with its graph, VACUUM's rebuild).
func SetBulkIndex(w *BulkWriter, ix *IndexInfo) { w.setIndex(ix) }

// SetFiniteChecked says whether the caller checks rows for NaN and Inf
// itself, so Append need not.
func SetFiniteChecked(w *BulkWriter, checked bool) { w.finiteChecked = checked }

// BulkMetric returns the similarity the table w loads will rank by. It is
// a function, not a method, so that the public BulkWriter gains nothing.
func BulkMetric(w *BulkWriter) string { return w.meta.Metric }
