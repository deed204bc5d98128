package db

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
	bolt "go.etcd.io/bbolt"
)

// TestWordID_ReadErrorIsNotAbsence: a words-index chunk that cannot be
// decoded made every lookup of its words say "not in vocabulary" (and
// INSERT add a second row for a word it could not see). It is an error
// now, ErrCorrupt, and never ErrNoWord.
func TestWordID_ReadErrorIsNotAbsence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	d, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(context.Background(), "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2]), ('b', [2, 1])"); err != nil {
		t.Fatal(err)
	}
	d.Close()

	bdb, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		id, ok := testCatalogID(tx, "t")
		if !ok {
			return errors.New("no table t")
		}
		b := tx.Bucket(store.TableKey(id))
		c := b.Cursor()
		for k, _ := c.Seek([]byte{store.KsWords}); k != nil && k[0] == store.KsWords; k, _ = c.Next() {
			return b.Put(append([]byte(nil), k...), []byte{0xff, 0xff, 0xff}) // not a words chunk
		}
		return errors.New("no words chunk")
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}

	d, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, sql := range []string{"SELECT VECTOR('a') FROM t", "SELECT * FROM t WHERE word = 'a'", "INSERT INTO t VALUES ('a', [3, 3])"} {
		_, err := d.Exec(context.Background(), sql)
		if errors.Is(err, ErrNoWord) || !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s = %v, want ErrCorrupt, not a missing word", sql, err)
		}
	}
}
