package db

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"

	bolt "go.etcd.io/bbolt"
)

// TestColumns_OldFile checks that a file written before columns existed
// (format 1, tables of id, word, count, vector) opens and works unchanged,
// and takes columns: there is nothing to migrate, a table without columns
// in its info has none.
func TestColumns_OldFile(t *testing.T) {
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
	defer d.Close()
	if got := queryRows(t, d, "SELECT * FROM pets"); got != "0 cat 3 [1 2 3];1 dog 5 [1 2 2]" {
		t.Errorf("old table = %q", got)
	}
	for _, sql := range []string{
		"ALTER TABLE pets ADD COLUMN colour TEXT DEFAULT 'grey'",
		"UPDATE pets SET colour = 'black' WHERE word = 'cat'",
		"INSERT INTO pets (word, vector, colour) VALUES ('fish', [3, 2, 1], 'gold')",
	} {
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if got := queryRows(t, d, "SELECT word, colour FROM pets"); got != "cat black;dog grey;fish gold" {
		t.Errorf("pets with colours = %q", got)
	}
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("Check = %q, %v", problems, err)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if _, err := d.Exec(ctx, fmt.Sprintf("VACUUM INTO '%s'", copyPath)); err != nil {
		t.Fatal(err)
	}
	c, err := Open(copyPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := queryRows(t, c, "SELECT word, colour FROM pets"); got != "cat black;dog grey;fish gold" {
		t.Errorf("pets in the upgraded copy = %q", got)
	}
	if problems, err := c.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("Check of the copy = %q, %v", problems, err)
	}
}

// TestColumns_DamagedChunk flips a byte of a column chunk: reading it is
// ErrCorrupt, and CHECK DATABASE names it. BACKUP and VACUUM keep columns.
func TestColumns_DamagedChunk(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	ctx := context.Background()
	d, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Exec(ctx, `CREATE TABLE docs (dim = 2, title TEXT, year INTEGER);
		INSERT INTO docs (word, vector, title, year) VALUES ('a', [1, 0], 'A', 2001), ('b', [0, 1], 'B', 2002);
		BACKUP TO '`+filepath.Join(dir, "backup.db")+`'; VACUUM`)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	b, err := Open(filepath.Join(dir, "backup.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := queryRows(t, b, "SELECT word, title, year FROM docs"); got != "a A 2001;b B 2002" {
		t.Errorf("backup = %q", got)
	}
	b.Close()
	// Column "year" has id 2; its chunk 0 is the key 0x04 ++ 2 ++ 0.
	key := append([]byte{store.KsCol}, 0, 0, 0, 2, 0, 0, 0, 0)
	rawUpdate(t, path, func(tx *bolt.Tx) (string, error) {
		return "", flipValue(tx, "docs", key, func(v []byte) { v[len(v)-1] ^= 1 })
	})
	d, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, "SELECT year FROM docs"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("reading a damaged column: err = %v, want ErrCorrupt", err)
	}
	problems, err := d.Check(ctx)
	if err != nil || len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), "chunk 0 of column id 2 fails its checksum") {
		t.Errorf("Check = %q, %v", problems, err)
	}
}
