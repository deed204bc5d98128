package db

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
	bolt "go.etcd.io/bbolt"
)

// TestCheck_EveryKind checks that a sound database of every table kind
// passes Check, and that damage to the bucket of each kind of table (its
// root page, or its inline page) is reported by Check and refused by
// statements.
func TestCheck_EveryKind(t *testing.T) {
	ref := buildEveryKind(t)
	ctx := context.Background()
	d, err := Open(ref, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := d.Check(ctx)
	d.Close()
	if err != nil || len(problems) > 0 {
		t.Fatalf("Check of a sound database = %q, %v; want none", problems, err)
	}
	l := layoutOf(t, ref)
	src, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"w2v", "imp", "half", "f16", "tok"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			want := damageTableRoot(t, path, l, name)
			d, err := Open(path, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer d.Close()
			var problems []string
			withWatchdog(t, "Check", func() { problems, err = d.Check(ctx) })
			if err != nil || !containsLine(problems, want) || !containsLine(problems, "table checks skipped") {
				t.Fatalf("Check = %q, %v; want lines with %q and that table checks were skipped", problems, err, want)
			}
			_, err = d.Exec(ctx, "SELECT COUNT(*) FROM "+name)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("SELECT: err = %v, want ErrCorrupt", err)
			}
		})
	}
}

// damageTableRoot breaks the bucket of table name: a root page's header
// names another page, an inline page claims more elements than it holds.
// It returns what Check must say.
func damageTableRoot(tb testing.TB, path string, l fileLayout, name string) string {
	tb.Helper()
	var key []byte
	var root uint64
	bdb, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	err = bdb.View(func(tx *bolt.Tx) error {
		id, ok := testCatalogID(tx, name)
		if !ok {
			return errors.New("no table " + name)
		}
		key = store.TableKey(id)
		root = uint64(tx.Bucket(key).Root())
		return nil
	})
	bdb.Close()
	if err != nil {
		tb.Fatal(err)
	}
	if root != 0 {
		poke(tb, path, l, root, 0, le64(root+1))
		return "its header says page"
	}
	// The bucket is inline in the root bucket's leaf: its value is the
	// bucket header and then the page.
	_, off := elementOf(tb, path, l, l.root, key)
	p := readPage(tb, path, l.pageSize, l.root)
	pos, ksize := int64(binary.LittleEndian.Uint32(p[off+4:])), int64(binary.LittleEndian.Uint32(p[off+8:]))
	poke(tb, path, l, l.root, off+pos+ksize+store.BoltBucketHeader+10, le16(0xfff0))
	return "elements need"
}
