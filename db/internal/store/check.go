package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/embeddb/embeddb/index"
	bolt "go.etcd.io/bbolt"
)

// Check verifies the database file: bbolt's page structure (walked by
// pageProblems, which reads the file itself and cannot be crashed by
// damage), and embeddb's invariants (catalog and table buckets, row
// counts, words and rows agreeing, vectors present, saved indexes and
// tokenizers readable and matching their tables). It returns one line per
// problem found; none means the database is sound. The invariants are not
// checked on a file whose page structure is damaged: bbolt's cursors
// cannot be trusted on it. Check also runs on a file whose statements are
// refused because Open found it damaged.
func (d *DB) Check(ctx context.Context) ([]string, error) {
	if d.IsClosed() {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.gate.RLock()
	defer d.gate.RUnlock()
	for range maxSnapshotsTried {
		var problems []string
		err := d.run(false, func(tx *bolt.Tx) (err error) {
			if problems, err = d.PageProblems(ctx, tx); err != nil {
				return err
			}
			if len(problems) > 0 {
				problems = append(problems, "table checks skipped: the page structure is damaged")
				return nil
			}
			problems = checkTables(ctx, tx)
			return ctx.Err()
		})
		if !errors.Is(err, ErrSnapshotMoved) {
			return problems, err
		}
	}
	return []string{metaLost}, nil
}

func checkTables(ctx context.Context, tx *bolt.Tx) (problems []string) {
	report := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	defer func() {
		if r := recover(); r != nil {
			report("checking stopped: %v", r)
		}
	}()
	root := tx.Bucket(bucketRoot)
	if root == nil || len(root.Get(keyFormat)) != 4 {
		report("missing embeddb header")
		return
	}
	if tx.Bucket(BucketCatalog) == nil {
		report("missing catalog")
		return
	}
	ids, err := orphans(tx)
	if err != nil {
		report("%v", err)
		return
	}
	for _, id := range ids {
		report("table id %d has no catalog entry (an interrupted write; the next writable open removes it)", id)
	}
	names, _, _ := catalog(tx)
	for _, name := range names {
		if ctx.Err() != nil {
			return
		}
		t, err := OpenTableBolt(tx, name)
		if err != nil {
			report("table %s: %v", Quote(name), err)
			continue
		}
		problems = append(problems, checkTable(t)...)
	}
	return problems
}

func checkTable(t *Table) (problems []string) {
	report := func(format string, a ...any) {
		problems = append(problems, fmt.Sprintf("table %s: ", Quote(t.name))+fmt.Sprintf(format, a...))
	}
	if t.b.Bucket(bucketBlob) == nil {
		report("missing blob bucket")
		return
	}
	if want := rowsPerChunk(t.meta.rowBytes()); t.meta.ChunkRows != want && t.meta.ChunkRows < 1 {
		report("chunk of %d rows", t.meta.ChunkRows)
	}
	checkSums(t, report)
	named, counts := checkRows(t, report)
	checkWords(t, named, counts, report)
	live := make(map[uint32]bool, len(named))
	for _, id := range named {
		live[id] = true
	}
	checkColumns(t, live, report)
	checkScalar(t, report)
	for role, name := range t.meta.Blobs {
		if t.b.Bucket(bucketBlob).Bucket([]byte(name)) == nil {
			report("its %s (%s) is missing", role, name)
		}
	}
	checkIndex(t, report)
	checkTokenizer(t, report)
	return problems
}

// checkRows checks the row chunks: ids below the next id, a vector for
// every row, no word twice, every word indexed to its row, and the row
// count. It returns the rows' words with their ids and counts.
func checkRows(t *Table, report func(string, ...any)) (named map[string]uint32, counts map[string]int64) {
	var live int64
	named = map[string]uint32{}
	counts = map[string]int64{}
	rb := t.meta.rowBytes()
	vec := t.ks(KsVec)
	c := t.ks(KsRows).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 4 {
			report("row chunk key of %d bytes", len(k))
			continue
		}
		chunk := binary.BigEndian.Uint32(k)
		entries, ok := decodeRowChunk(v)
		if !ok {
			report("row chunk %d is malformed", chunk)
			continue
		}
		if len(entries) > t.meta.ChunkRows {
			report("row chunk %d holds %d rows, more than %d", chunk, len(entries), t.meta.ChunkRows)
		}
		vecs, err := vec.Get(k)
		if err != nil {
			continue // checkSums reports it
		}
		for i, e := range entries {
			if !e.live {
				continue
			}
			id := chunk*uint32(t.meta.ChunkRows) + uint32(i)
			live++
			if id >= t.meta.NextID {
				report("row %d is beyond next id %d", id, t.meta.NextID)
			}
			if len(vecs) < (i+1)*rb {
				report("row %d has no vector", id)
			}
			if e.word != "" {
				checkRowWord(t, e, id, named, report)
				named[e.word] = id
				counts[e.word] = e.count
			}
		}
	}
	if live != t.meta.Rows {
		report("holds %d rows, its info says %d", live, t.meta.Rows)
	}
	return named, counts
}

// checkRowWord checks that the word of row id is in no earlier row and is
// indexed to id.
func checkRowWord(t *Table, e rowEntry, id uint32, named map[string]uint32, report func(string, ...any)) {
	if prev, dup := named[e.word]; dup {
		report("word %s is in rows %d and %d", Quote(e.word), prev, id)
	}
	if got, ok, err := t.WordID(e.word); err != nil {
		report("word %s of row %d: %v", Quote(e.word), id, err)
	} else if !ok || got != id {
		report("word %s of row %d is not indexed to it", Quote(e.word), id)
	}
}

// checkWords checks the words index against the rows: in order, each
// word pointing at the row that holds it, with its count.
func checkWords(t *Table, named map[string]uint32, counts map[string]int64, report func(string, ...any)) {
	var words int
	var prev []byte
	wc := t.ks(KsWords).Cursor()
	for k, v := wc.First(); k != nil; k, v = wc.Next() {
		es, ok := decodeWordChunk(v)
		if !ok || len(es) == 0 || es[0].word != string(k) {
			report("words chunk %s is malformed", Quote(string(k)))
			continue
		}
		for _, e := range es {
			words++
			if prev != nil && bytes.Compare([]byte(e.word), prev) <= 0 {
				report("words out of order at %s", Quote(e.word))
			}
			prev = []byte(e.word)
			if id, ok := named[e.word]; !ok || id != e.id {
				report("word %s points to row %d, which does not hold it", Quote(e.word), e.id)
			} else if e.count != counts[e.word] {
				report("word %s has count %d in the words index, %d in its row", Quote(e.word), e.count, counts[e.word])
			}
		}
	}
	if words != len(named) {
		report("%d words indexed, %d named rows", words, len(named))
	}
}

// checkIndex checks that a saved index graph reads, has the table's
// dimension and holds every row it should.
func checkIndex(t *Table, report func(string, ...any)) {
	ix := t.meta.Index
	if ix == nil {
		return
	}
	r, ok := t.OpenBlob(BlobIndex)
	if !ok {
		report("has an index but no saved graph")
		return
	}
	h, err := index.ReadHNSW(r)
	if err != nil {
		report("saved index: %v", err)
		return
	}
	if h.Dim() != t.meta.Dim {
		report("index has dimension %d, the table %d", h.Dim(), t.meta.Dim)
	}
	missing := 0
	t.ForEachRow(0, false, func(row Row) error {
		if row.ID < ix.Upto && !h.Contains(row.ID) {
			missing++
		}
		return nil
	})
	if missing > 0 {
		report("%d indexed rows are missing from the index", missing)
	}
	checkIndexCodes(t, h, ix.Upto, report)
}

// checkTokenizer checks that a saved tokenizer parses.
func checkTokenizer(t *Table, report func(string, ...any)) {
	if t.meta.Blobs[BlobTokenizer] == "" {
		return
	}
	r, ok := t.OpenBlob(BlobTokenizer)
	if !ok {
		return
	}
	b := make([]byte, 0, t.blobSize(BlobTokenizer))
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			break
		}
	}
	if tok, err := LoadTokenizer(b); err != nil {
		report("tokenizer: %v", err)
	} else if size := tok.BPE.VocabSize(); int64(size) > int64(t.meta.NextID) {
		report("tokenizer: token ids run to %d, but the table has rows 0 to %d only", size-1, int64(t.meta.NextID)-1)
	}
}
