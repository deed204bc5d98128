package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// spillTestWords returns n distinct words, shuffled, of several scripts and
// lengths, some prefixes of others.
func spillTestWords(n int) []string {
	words := make([]string, n)
	for i := range words {
		switch i % 4 {
		case 0:
			words[i] = fmt.Sprint(i)
		case 1:
			words[i] = fmt.Sprintf("naïve-%d", i)
		case 2:
			words[i] = fmt.Sprintf("日本%d語", i)
		default:
			words[i] = fmt.Sprintf("w%0*d", 1+i%9, i)
		}
	}
	rand.New(rand.NewPCG(5, 6)).Shuffle(n, func(i, j int) { words[i], words[j] = words[j], words[i] })
	return words
}

// withSortBatch sets how many words a bulk load hands its sorter at a time
// for the rest of the test.
func withSortBatch(t *testing.T, n int) {
	t.Helper()
	old := wordSortBatch
	wordSortBatch = n
	t.Cleanup(func() { wordSortBatch = old })
}

// bulkLoadWords loads words (row i has count i and vector {i}) into table t
// of a new database in dir, and returns the database and Commit's error.
func bulkLoadWords(t *testing.T, dir string, words []string) (*DB, error) {
	t.Helper()
	d, err := Open(filepath.Join(dir, "w.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	w, err := d.BulkLoad(context.Background(), "t", TableSpec{Dim: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	counts := make([]int64, len(words))
	vecs := make([]float32, len(words))
	for i := range words {
		counts[i], vecs[i] = int64(i), float32(i)
	}
	for i := 0; i < len(words); i += 777 { // batches that straddle the sorter's
		j := min(i+777, len(words))
		if err := w.Append(words[i:j], counts[i:j], vecs[i:j]); err != nil {
			t.Fatal(err)
		}
	}
	_, err = w.Commit()
	return d, err
}

// wordsIndexBytes returns the keys and values of table t's words index.
func wordsIndexBytes(t *testing.T, d *DB) (keys, vals [][]byte) {
	t.Helper()
	err := d.bolt.View(func(tx *bolt.Tx) error {
		id, err := catalogGet(tx, "t")
		if err != nil {
			return err
		}
		tb, err := openTableID(tx, id)
		if err != nil {
			return err
		}
		c := tb.ks(KsWords).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v))
		}
		return c.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, vals
}

// TestBulkLoad_SpilledWords loads a table whose words sort through spill
// files (runs of a few thousand words, merged in levels, handed over in
// many transactions) and wants the words index byte for byte what an
// in-memory sort writes, every word found with its row, CHECK clean, and
// no file but the database left in its directory.
func TestBulkLoad_SpilledWords(t *testing.T) {
	words := spillTestWords(50_000)
	memDir := t.TempDir()
	mem, err := bulkLoadWords(t, memDir, words)
	if err != nil {
		t.Fatal(err)
	}
	withWordKnobs(t, 100_000, 20_000, 3)
	withSortBatch(t, 1000)
	dir := t.TempDir()
	d, err := bulkLoadWords(t, dir, words)
	if err != nil {
		t.Fatal(err)
	}
	wk, wv := wordsIndexBytes(t, mem)
	gk, gv := wordsIndexBytes(t, d)
	if len(gk) != len(wk) || len(wk) < 10 {
		t.Fatalf("spilled sort wrote %d chunks, in-memory %d", len(gk), len(wk))
	}
	for i := range wk {
		if !bytes.Equal(gk[i], wk[i]) || !bytes.Equal(gv[i], wv[i]) {
			t.Fatalf("chunk %d differs: key %q, want %q", i, gk[i], wk[i])
		}
	}
	ctx := context.Background()
	for i, w := range words {
		r, err := d.Lookup(ctx, "t", w)
		if err != nil || r.ID != uint32(i) || r.Count != int64(i) || r.Vector[0] != float32(i) {
			t.Fatalf("Lookup(%q) = %+v, %v; want row %d", w, r, err, i)
		}
	}
	if p, err := d.Check(ctx); err != nil || len(p) > 0 {
		t.Fatalf("Check = %v, %v", p, err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("files left beside the database: %v", left)
	}
}

// TestBulkLoad_SpilledDuplicate repeats a word in rows far apart, so that
// the two lie in different spilled runs: the load fails naming both rows,
// no table is left, and neither is a spill file.
func TestBulkLoad_SpilledDuplicate(t *testing.T) {
	withWordKnobs(t, 100_000, 20_000, 3)
	withSortBatch(t, 1000)
	words := spillTestWords(30_000)
	words[29_000] = words[17]
	dir := t.TempDir()
	d, err := bulkLoadWords(t, dir, words)
	want := fmt.Sprintf("%s at rows 17 and 29000", Quote(words[17]))
	if !errors.Is(err, ErrWordExists) || !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Fatalf("Commit = %v, want ErrWordExists naming %s", err, want)
	}
	if _, err := d.Lookup(context.Background(), "t", words[0]); err == nil {
		t.Fatal("the failed load left a table")
	}
	if n := countTableBucketsOf(t, d); n != 0 {
		t.Fatalf("%d table buckets left", n)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("files left beside the database: %v", left)
	}
}

// countTableBucketsOf counts the table buckets of an open database.
func countTableBucketsOf(t *testing.T, d *DB) int {
	t.Helper()
	n := 0
	err := d.bolt.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if len(name) > 0 && name[0] == TableKey(0)[0] && len(name) == len(TableKey(0)) {
				n++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
