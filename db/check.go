package db

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
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
	if d.isClosed() {
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
			if problems, err = d.pageProblems(ctx, tx); err != nil {
				return err
			}
			if len(problems) > 0 {
				problems = append(problems, "table checks skipped: the page structure is damaged")
				return nil
			}
			problems = checkTables(ctx, tx)
			return ctx.Err()
		})
		if !errors.Is(err, errSnapshotMoved) {
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
	if tx.Bucket(bucketCatalog) == nil {
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
		t, err := openTable(tx, name)
		if err != nil {
			report("table %s: %v", quote(name), err)
			continue
		}
		problems = append(problems, checkTable(t)...)
	}
	return problems
}

func checkTable(t *table) (problems []string) {
	report := func(format string, a ...any) {
		problems = append(problems, fmt.Sprintf("table %s: ", quote(t.name))+fmt.Sprintf(format, a...))
	}
	if t.b.Bucket(bucketBlob) == nil {
		report("missing blob bucket")
		return
	}
	if want := rowsPerChunk(t.meta.rowBytes()); t.meta.ChunkRows != want && t.meta.ChunkRows < 1 {
		report("chunk of %d rows", t.meta.ChunkRows)
	}
	checkSums(t, report)
	var live int64
	named := map[string]uint32{}
	counts := map[string]int64{}
	rb := t.meta.rowBytes()
	vec := t.ks(ksVec)
	c := t.ks(ksRows).Cursor()
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
				if prev, dup := named[e.word]; dup {
					report("word %s is in rows %d and %d", quote(e.word), prev, id)
				}
				named[e.word] = id
				counts[e.word] = e.count
				if got, ok, err := t.wordID(e.word); err != nil {
					report("word %s of row %d: %v", quote(e.word), id, err)
				} else if !ok || got != id {
					report("word %s of row %d is not indexed to it", quote(e.word), id)
				}
			}
		}
	}
	if live != t.meta.Rows {
		report("holds %d rows, its info says %d", live, t.meta.Rows)
	}
	var words int
	var prev []byte
	wc := t.ks(ksWords).Cursor()
	for k, v := wc.First(); k != nil; k, v = wc.Next() {
		es, ok := decodeWordChunk(v)
		if !ok || len(es) == 0 || es[0].word != string(k) {
			report("words chunk %s is malformed", quote(string(k)))
			continue
		}
		for _, e := range es {
			words++
			if prev != nil && bytes.Compare([]byte(e.word), prev) <= 0 {
				report("words out of order at %s", quote(e.word))
			}
			prev = []byte(e.word)
			if id, ok := named[e.word]; !ok || id != e.id {
				report("word %s points to row %d, which does not hold it", quote(e.word), e.id)
			} else if e.count != counts[e.word] {
				report("word %s has count %d in the words index, %d in its row", quote(e.word), e.count, counts[e.word])
			}
		}
	}
	if words != len(named) {
		report("%d words indexed, %d named rows", words, len(named))
	}
	for role, name := range t.meta.Blobs {
		if t.b.Bucket(bucketBlob).Bucket([]byte(name)) == nil {
			report("its %s (%s) is missing", role, name)
		}
	}
	if ix := t.meta.Index; ix != nil {
		r, ok := t.openBlob(blobIndex)
		if !ok {
			report("has an index but no saved graph")
		} else if h, err := index.ReadHNSW(r); err != nil {
			report("saved index: %v", err)
		} else {
			if h.Dim() != t.meta.Dim {
				report("index has dimension %d, the table %d", h.Dim(), t.meta.Dim)
			}
			missing := 0
			t.forEachRow(0, false, func(row Row) error {
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
	}
	if t.meta.Blobs[blobTokenizer] != "" {
		if r, ok := t.openBlob(blobTokenizer); ok {
			b := make([]byte, 0, t.blobSize(blobTokenizer))
			buf := make([]byte, 64<<10)
			for {
				n, err := r.Read(buf)
				b = append(b, buf[:n]...)
				if err != nil {
					break
				}
			}
			if tok, err := loadTokenizer(b); err != nil {
				report("tokenizer: %v", err)
			} else if size := tok.bpe.VocabSize(); int64(size) > int64(t.meta.NextID) {
				report("tokenizer: token ids run to %d, but the table has rows 0 to %d only", size-1, int64(t.meta.NextID)-1)
			}
		}
	}
	return problems
}

// check runs CHECK DATABASE.
func (e *env) check(s *query.CheckDatabase) (*Rows, error) {
	problems, err := e.d.Check(e.ctx)
	if err != nil {
		return nil, at(s, err)
	}
	if len(problems) == 0 {
		return message("check", "ok"), nil
	}
	rows := make([][]any, len(problems))
	for i, p := range problems {
		rows[i] = []any{p}
	}
	return newRows([]string{"check"}, rows), nil
}
