package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestRun_PanicIsInternal: a panic in a transaction that is not a memory
// fault on the file is a bug, reported as ErrInternal with its stack, never
// as "database file is corrupt" (which sent users to restore backups for
// a nil dereference). The transaction changes nothing.
func TestRun_PanicIsInternal(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 2)")
	for name, fn := range map[string]func(tx *db.Tx) error{
		"NilMap": func(tx *db.Tx) error {
			var m map[string]int
			//lint:ignore SA5000 the panic is what is tested
			m["x"] = 1
			return nil
		},
		"NilPointer": func(tx *db.Tx) error {
			var r *db.Row
			return tx.Insert("t", *r)
		},
		"AfterWrite": func(tx *db.Tx) error {
			if err := tx.Insert("t", db.Row{Word: "a", Vector: []float32{1, 2}}); err != nil {
				return err
			}
			panic("boom")
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := d.Update(context.Background(), fn)
			if !errors.Is(err, db.ErrInternal) || errors.Is(err, db.ErrCorrupt) {
				t.Fatalf("Update = %v, want ErrInternal and not ErrCorrupt", err)
			}
			var ie *db.InternalError
			if !errors.As(err, &ie) || !strings.Contains(string(ie.Stack), "panic_test.go") {
				t.Fatalf("the error carries no stack through the panic: %v", err)
			}
		})
	}
	if n := mustExec(t, d, "SELECT COUNT(*) FROM t").Rows[0][0]; n != int64(0) {
		t.Fatalf("the panicking transactions left %v rows", n)
	}
}
