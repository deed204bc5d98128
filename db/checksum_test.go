package db

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"

	bolt "go.etcd.io/bbolt"
)

// TestChecksums_DamagedValueRefused damages one stored value of each kind
// the way a flipped byte on disk would, leaving bbolt's pages sound, and
// checks that the statement reading it fails with ErrCorrupt (before
// checksums each answered differently with no error), that CHECK DATABASE
// names the value, and that VACUUM refuses the file.
func TestChecksums_DamagedValueRefused(t *testing.T) {
	ref := buildEveryKind(t)
	src, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx) (stmt string, err error) // damages a value, returns the statement that reads it
		check  string                                     // what CHECK DATABASE says
	}{
		{"vector chunk", func(tx *bolt.Tx) (string, error) {
			return "SELECT VECTOR('w0') FROM imp", flipValue(tx, "imp", []byte{store.KsVec, 0, 0, 0, 0}, func(b []byte) { b[8] ^= 0x40 })
		}, "vector chunk 0 fails its checksum"},
		{"row chunk", func(tx *bolt.Tx) (string, error) {
			return "SELECT word FROM imp", flipValue(tx, "imp", []byte{store.KsRows, 0, 0, 0, 0}, func(b []byte) { b[len(b)-1] ^= 0x01 })
		}, "row chunk 0 fails its checksum"},
		{"words chunk", damageWordsChunk, "the words index chunk at"},
		{"words chunk key", moveWordsChunk, "the words index chunk at"},
		{"info", func(tx *bolt.Tx) (string, error) {
			return "SELECT COUNT(*) FROM imp", flipValue(tx, "imp", store.KeyInfo, func(b []byte) {
				i := bytes.Index(b, []byte(`"rows":`)) + len(`"rows":`)
				b[i] = '1' + (b[i]-'0')%8 // another digit
			})
		}, "info of table id"},
		{"index part", func(tx *bolt.Tx) (string, error) {
			return "SELECT NEAREST('w0', 10) FROM imp", damageBlobPart(tx, "imp", store.BlobIndex)
		}, "part 0 of its index fails its checksum"},
		{"tokenizer part", func(tx *bolt.Tx) (string, error) {
			return "SELECT TOKENS('ab') FROM tok", damageBlobPart(tx, "tok", store.BlobTokenizer)
		}, "part 0 of its tokenizer fails its checksum"},
		{"catalog entry", func(tx *bolt.Tx) (string, error) {
			half, err := store.CatalogID(tx, "half")
			if err != nil {
				return "", err
			}
			cat := tx.Bucket(store.BucketCatalog)
			v := bytes.Clone(cat.Get([]byte("imp")))
			binary.BigEndian.PutUint64(v, half) // imp names half's bucket
			return "SELECT COUNT(*) FROM imp", cat.Put([]byte("imp"), v)
		}, `catalog entry of "imp"`},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			stmt := rawUpdate(t, path, tc.damage)
			d, err := Open(path, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			res, err := d.Exec(ctx, stmt)
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s = %v, %v; want ErrCorrupt", stmt, res, err)
			}
			problems, err := d.Check(ctx)
			if err != nil || !containsLine(problems, tc.check) {
				t.Errorf("Check = %q, %v; want a line with %q", problems, err, tc.check)
			}
			// VACUUM refuses to carry the damage into a copy.
			if _, err := d.Exec(ctx, "VACUUM"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "fails its checksum") {
				t.Errorf("VACUUM: err = %v, want ErrCorrupt naming the value", err)
			}
			d.Close()
			// A writable Open removes unpublished tables: a damaged catalog
			// entry must not make imp's own bucket look like one.
			if n := countTableBuckets(t, path); n != 5 {
				t.Errorf("%d table buckets after reopening, want 5", n)
			}
		})
	}
}

// rawUpdate runs fn in a write transaction of bbolt alone.
func rawUpdate(tb testing.TB, path string, fn func(tx *bolt.Tx) (string, error)) string {
	tb.Helper()
	bdb, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer bdb.Close()
	var out string
	if err := bdb.Update(func(tx *bolt.Tx) (err error) { out, err = fn(tx); return err }); err != nil {
		tb.Fatal(err)
	}
	return out
}

// flipValue changes the stored value under key in table name's bucket with
// flip, which sees the value without its checksum trailer; the trailer is
// kept, as a flipped byte on disk would keep it.
func flipValue(tx *bolt.Tx, name string, key []byte, flip func([]byte)) error {
	id, err := store.CatalogID(tx, name)
	if err != nil {
		return err
	}
	b := tx.Bucket(store.TableKey(id))
	v := bytes.Clone(b.Get(key))
	if len(v) <= store.SumLen {
		return fmt.Errorf("table %s has no value %q", name, key)
	}
	flip(v[:len(v)-store.SumLen])
	return b.Put(key, v)
}

// damageWordsChunk moves the last word of imp's first words chunk to the
// next row id, and returns a statement that looks that word up.
func damageWordsChunk(tx *bolt.Tx) (string, error) {
	id, err := store.CatalogID(tx, "imp")
	if err != nil {
		return "", err
	}
	c := tx.Bucket(store.TableKey(id)).Cursor()
	k, v := c.Seek([]byte{store.KsWords})
	if k == nil || k[0] != store.KsWords {
		return "", errors.New("imp has no words chunk")
	}
	last, ok := store.LastWordOfChunk(v[:len(v)-store.SumLen])
	if !ok {
		return "", errors.New("imp's first words chunk does not decode")
	}
	err = flipValue(tx, "imp", bytes.Clone(k), func(b []byte) { b[len(b)-12]++ }) // the low byte of its row id
	return fmt.Sprintf("SELECT VECTOR('%s') FROM imp", last), err
}

// moveWordsChunk changes the key of imp's second words chunk, its first
// word, to sort a little later (but before the third chunk), as a flipped
// byte of a key would, and returns a statement that looks that first word
// up: the lookup lands on the chunk before, misses, and must not say "not
// in vocabulary".
func moveWordsChunk(tx *bolt.Tx) (string, error) {
	id, err := store.CatalogID(tx, "imp")
	if err != nil {
		return "", err
	}
	b := tx.Bucket(store.TableKey(id))
	c := b.Cursor()
	c.Seek([]byte{store.KsWords})
	k, v := c.Next()
	next, _ := c.Next()
	if k == nil || k[0] != store.KsWords || next == nil || next[0] != store.KsWords {
		return "", errors.New("imp has fewer than three words chunks")
	}
	moved := append(bytes.Clone(k), 0) // sorts right after k, before next
	if bytes.Compare(moved, next) >= 0 {
		return "", errors.New("no room between the chunks")
	}
	v = bytes.Clone(v)
	if err := b.Delete(bytes.Clone(k)); err != nil {
		return "", err
	}
	return fmt.Sprintf("SELECT VECTOR('%s') FROM imp", k[1:]), b.Put(moved, v)
}

// damageBlobPart flips a byte in the middle of the first part of a blob.
func damageBlobPart(tx *bolt.Tx, name, role string) error {
	id, err := store.CatalogID(tx, name)
	if err != nil {
		return err
	}
	b, err := store.BlobBucket(tx, id, role)
	if err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("table %s has no %s", name, role)
	}
	v := bytes.Clone(b.Get(store.U32Key(0)))
	v[(len(v)-store.SumLen)/2] ^= 0x10
	return b.Put(store.U32Key(0), v)
}

// TestChecksums_FormatOne checks that a file made before checksums (format
// 1) is read and written as it was: no trailers, the format kept, CHECK
// clean, a new table in it usable.
func TestChecksums_FormatOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	ctx := context.Background()
	d, err := Open(path, formatOptions(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, "CREATE TABLE pets (dim = 3); INSERT INTO pets VALUES ('cat', 3, [1, 2, 3]), ('dog', 5, [1, 2, 2])"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"INSERT INTO pets VALUES ('fish', 1, [3, 2, 1])",
		"DELETE FROM pets WHERE word = 'dog'",
		"CREATE TABLE more (dim = 2)",
		"INSERT INTO more VALUES ('a', [1, 0])",
		"CREATE INDEX ON pets USING hnsw",
	} {
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	got := queryRows(t, d, "SELECT word, count, vector FROM pets")
	if want := "cat 3 [1 2 3];fish 1 [3 2 1]"; got != want {
		t.Errorf("pets = %q, want %q", got, want)
	}
	if got := queryRows(t, d, "SELECT NEAREST('cat', 1) FROM pets"); !strings.HasPrefix(got, "fish ") {
		t.Errorf("NEAREST = %q, want fish", got)
	}
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("Check = %q, %v", problems, err)
	}
	err = d.st.BoltView(ctx, func(tx *bolt.Tx) error {
		if f := store.FileFormat(tx); f != 1 {
			return fmt.Errorf("format %d, want 1", f)
		}
		id, err := store.CatalogID(tx, "more")
		if err != nil {
			return err
		}
		if info := tx.Bucket(store.TableKey(id)).Get(store.KeyInfo); info[len(info)-1] != '}' {
			return fmt.Errorf("info of a table made in a format-1 file ends in %q, want plain JSON", info[len(info)-4:])
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	copyPath := filepath.Join(t.TempDir(), "upgraded.db")
	if _, err := d.Exec(ctx, fmt.Sprintf("VACUUM INTO '%s'", copyPath)); err != nil {
		t.Fatal(err)
	}
	checkUpgraded(t, copyPath)
	// VACUUM in place upgrades too; the open handle reads the sealed copy.
	if _, err := d.Exec(ctx, "VACUUM"); err != nil {
		t.Fatal(err)
	}
	if got := queryRows(t, d, "SELECT word, count, vector FROM pets"); got != "cat 3 [1 2 3];fish 1 [3 2 1]" {
		t.Errorf("pets after VACUUM = %q", got)
	}
	err = d.View(ctx, func(tx *Tx) error {
		return tx.ScanVectors("pets", func(uint32, []float32) error { return nil })
	})
	if err != nil {
		t.Errorf("ScanVectors after VACUUM: %v", err)
	}
	d.Close()
	d, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	got = queryRows(t, d, "SELECT word FROM more")
	d.Close()
	if got != "a" {
		t.Errorf("more after VACUUM and reopening = %q", got)
	}
}

// checkUpgraded checks a VACUUMed copy of TestChecksums_FormatOne's file:
// format 2, the same answers, CHECK clean, and a damaged vector refused.
func checkUpgraded(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	d, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := queryRows(t, d, "SELECT word, count, vector FROM pets")
	if want := "cat 3 [1 2 3];fish 1 [3 2 1]"; got != want {
		t.Errorf("pets in the upgraded copy = %q, want %q", got, want)
	}
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("Check of the upgraded copy = %q, %v", problems, err)
	}
	if _, err := d.Exec(ctx, "VACUUM"); err != nil { // a format-2 file stays as it is
		t.Fatal(err)
	}
	d.Close()
	rawUpdate(t, path, func(tx *bolt.Tx) (string, error) {
		if f := store.FileFormat(tx); f != store.SumFormat {
			return "", fmt.Errorf("the upgraded copy has format %d", f)
		}
		return "", flipValue(tx, "pets", []byte{store.KsVec, 0, 0, 0, 0}, func(b []byte) { b[0] ^= 1 })
	})
	d, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, "SELECT VECTOR('cat') FROM pets"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a damaged vector in the upgraded copy: err = %v, want ErrCorrupt", err)
	}
}

// queryRows runs sql and joins its rows' values with spaces and rows with
// semicolons.
func queryRows(tb testing.TB, d *DB, sql string) string {
	tb.Helper()
	rows, err := d.Query(context.Background(), sql)
	if err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	all, err := rows.All()
	if err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	var out []string
	for _, r := range all {
		var f []string
		for _, v := range r {
			f = append(f, strings.Trim(fmt.Sprint(v), "\n"))
		}
		out = append(out, strings.Join(f, " "))
	}
	return strings.Join(out, ";")
}
