package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
	bolt "go.etcd.io/bbolt"
)

// quantizedDB makes a database with a table of 300 rows and an int8 index.
func quantizedDB(t *testing.T) (*DB, string) {
	t.Helper()
	path := t.TempDir() + "/q.db"
	d, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE p (dim = 20); INSERT INTO p VALUES ")
	for i := range 300 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "('w%d', [", i)
		for j := range 20 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%d", (i*7+j*j*3)%23-11)
		}
		b.WriteString("])")
	}
	b.WriteString("; CREATE INDEX ON p USING hnsw WITH (quantization = 'int8')")
	if _, err := d.Exec(context.Background(), b.String()); err != nil {
		t.Fatal(err)
	}
	return d, path
}

// TestQuantizedIndex_CheckCodes: CHECK DATABASE finds a row whose vector no
// longer matches its code.
func TestQuantizedIndex_CheckCodes(t *testing.T) {
	d, _ := quantizedDB(t)
	defer d.Close()
	ctx := context.Background()
	if p, err := d.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("Check of a sound database = %q, %v", p, err)
	}
	// Change row 7's vector behind the index's back.
	err := d.Update(ctx, func(tx *Tx) error {
		v := make([]float32, 20)
		for i := range v {
			v[i] = float32(20 - i)
		}
		return store.OverwriteVector(tx, "p", 7, v)
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Check(ctx)
	if err != nil || !containsLine(p, "index codes do not match their rows' vectors (the first: row 7)") {
		t.Fatalf("Check = %q, %v; want the mismatched code of row 7", p, err)
	}
}

// TestQuantizedIndex_Damaged: a damaged saved index is refused (ErrCorrupt)
// by queries and reported by CHECK DATABASE, never loaded.
func TestQuantizedIndex_Damaged(t *testing.T) {
	d, path := quantizedDB(t)
	d.Close()
	bdb, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		id, ok := testCatalogID(tx, "p")
		if !ok {
			return errors.New("no table p")
		}
		blobs := tx.Bucket(store.TableKey(id)).Bucket(store.BucketBlob)
		return blobs.ForEachBucket(func(name []byte) error {
			if !strings.HasPrefix(string(name), store.BlobIndex) {
				return nil
			}
			b := blobs.Bucket(name)
			k, v := b.Cursor().First()
			bad := append([]byte(nil), v...)
			bad[len(bad)/2] ^= 0x10 // in the codes
			return b.Put(k, bad)
		})
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
	if _, err := d.Exec(context.Background(), "SELECT NEAREST('w1', 3) FROM p"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("NEAREST with a damaged index: %v, want ErrCorrupt", err)
	}
	p, err := d.Check(context.Background())
	if err != nil || !containsLine(p, "saved index") {
		t.Fatalf("Check = %q, %v; want the saved index reported", p, err)
	}
}
