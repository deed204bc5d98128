package db_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/db/internal/store"
)

// TestVacuum_FailedReopen makes VACUUM fail where it reopens its compacted
// copy, before that copy replaces the file: the statement must say why it
// failed, and the database stay open on its old file, with the same rows,
// readable and writable through the same handle (not a closed bbolt
// handle), with no temporary file left; a later VACUUM works, and the file
// reopens whole.
func TestVacuum_FailedReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "v.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, `CREATE TABLE t (dim = 2, n INTEGER);
		INSERT INTO t (word, vector, n) VALUES ('a', [1, 0], 1), ('b', [0, 1], 2), ('c', [1, 1], 3), ('d', [-1, 0], 4);
		CREATE INDEX ON t USING hnsw;
		DELETE FROM t WHERE word = 'd'`)
	want := mustExec(t, d, "SELECT word, n FROM t ORDER BY word").Rows
	nearWant := mustExec(t, d, "SELECT NEAREST('a', 2) FROM t").Rows

	injected := errors.New("permission denied (injected)")
	restore := store.FailVacuumReopen(injected)
	_, err = d.Exec(ctx, "VACUUM")
	restore()
	if !errors.Is(err, injected) || !strings.Contains(err.Error(), injected.Error()) {
		t.Fatalf("VACUUM with its reopen failing = %v, want an error that says %q", err, injected)
	}
	t.Logf("VACUUM said: %v", err)

	// The same handle reads the old file, and writes to it.
	if got := mustExec(t, d, "SELECT word, n FROM t ORDER BY word").Rows; !reflect.DeepEqual(got, want) {
		t.Fatalf("after the failed VACUUM the table holds %v, want %v", got, want)
	}
	if got := mustExec(t, d, "SELECT NEAREST('a', 2) FROM t").Rows; !reflect.DeepEqual(got, nearWant) {
		t.Fatalf("after the failed VACUUM NEAREST = %v, want %v", got, nearWant)
	}
	mustExec(t, d, "INSERT INTO t (word, vector, n) VALUES ('e', [0, -1], 5)")
	want = mustExec(t, d, "SELECT word, n FROM t ORDER BY word").Rows
	if len(want) != 4 {
		t.Fatalf("after an INSERT the table holds %v", want)
	}
	noTemporaryFiles(t, dir, "v.db")

	// Without the fault, VACUUM works on the same handle.
	mustExec(t, d, "VACUUM")
	if got := mustExec(t, d, "SELECT word, n FROM t ORDER BY word").Rows; !reflect.DeepEqual(got, want) {
		t.Fatalf("after VACUUM the table holds %v, want %v", got, want)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	// The file reopens whole.
	d2, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if got := mustExec(t, d2, "SELECT word, n FROM t ORDER BY word").Rows; !reflect.DeepEqual(got, want) {
		t.Fatalf("reopened, the table holds %v, want %v", got, want)
	}
	checkOK(t, d2)
}

// noTemporaryFiles fails t if dir holds a file other than keep: what a
// failed VACUUM might leave behind.
func noTemporaryFiles(t *testing.T, dir, keep string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != keep {
			t.Errorf("the failed VACUUM left %s behind", e.Name())
		}
	}
}

// checkOK runs CHECK DATABASE and fails t unless it says ok.
func checkOK(t *testing.T, d *db.DB) {
	t.Helper()
	if got := fmt.Sprint(mustExec(t, d, "CHECK DATABASE").Rows); got != "[[ok]]" {
		t.Fatalf("CHECK DATABASE = %s", got)
	}
}
