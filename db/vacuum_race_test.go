package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestVacuum_BesideVacuumInto runs VACUUM (which swaps the database's file
// handle) and VACUUM INTO (which reads through it) at the same time: VACUUM
// INTO must read under the gate VACUUM swaps under, so that it never reads
// a handle being closed (under -race, an unguarded read is reported), and
// every copy holds the table.
func TestVacuum_BesideVacuumInto(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 0]), ('b', [0, 1])")
	want := mustExec(t, d, "SELECT * FROM t").Rows
	const rounds = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	wg.Go(func() {
		for range rounds {
			if _, err := d.Exec(ctx, "VACUUM"); err != nil {
				errs <- fmt.Errorf("VACUUM: %w", err)
			}
		}
	})
	wg.Go(func() {
		for i := range rounds {
			if _, err := d.Exec(ctx, "VACUUM INTO ?", filepath.Join(dir, fmt.Sprintf("c%d.db", i))); err != nil {
				errs <- fmt.Errorf("VACUUM INTO: %w", err)
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range rounds {
		c, err := db.Open(filepath.Join(dir, fmt.Sprintf("c%d.db", i)), &db.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		got := mustExec(t, c, "SELECT * FROM t").Rows
		c.Close()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("copy %d holds %v, want %v", i, got, want)
		}
	}
	if got := mustExec(t, d, "SELECT * FROM t").Rows; !reflect.DeepEqual(got, want) {
		t.Fatalf("after VACUUM the table holds %v, want %v", got, want)
	}
}
