package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

func count(t *testing.T, d *db.DB, table string) any {
	t.Helper()
	return mustExec(t, d, "SELECT COUNT(*) FROM "+table).Rows[0][0]
}

// TestTransaction: BEGIN ... COMMIT keeps every statement, BEGIN ...
// ROLLBACK none, and statements inside see what the transaction wrote.
func TestTransaction(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(filepath.Join(t.TempDir(), "tx.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "CREATE TABLE t (dim = 2)")

	t.Run("Rollback", func(t *testing.T) {
		mustExec(t, d, "BEGIN; INSERT INTO t VALUES ('a', [1, 2]); INSERT INTO t VALUES ('b', [3, 4])")
		if got := count(t, d, "t"); got != int64(2) {
			t.Fatalf("inside the transaction COUNT = %v, want 2", got)
		}
		mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'")
		mustExec(t, d, "ROLLBACK")
		if got := count(t, d, "t"); got != int64(0) {
			t.Fatalf("after ROLLBACK COUNT = %v, want 0", got)
		}
		if _, err := d.Exec(ctx, "SELECT COUNT(*) FROM v"); !errors.Is(err, db.ErrNoTable) {
			t.Fatalf("the IMPORT rolled back left table v: %v", err)
		}
	})
	t.Run("Commit", func(t *testing.T) {
		mustExec(t, d, "BEGIN TRANSACTION; INSERT INTO t VALUES ('c', [1, 2]); IMPORT v FROM 'testdata/vectors.txt'; COMMIT")
		if got := count(t, d, "t"); got != int64(1) {
			t.Fatalf("after COMMIT COUNT = %v, want 1", got)
		}
		if got := count(t, d, "v"); got != int64(300) {
			t.Fatalf("after COMMIT v has %v rows, want 300", got)
		}
		if got := mustExec(t, d, "SELECT NEAREST('w001', 3) FROM v").Rows; len(got) != 3 {
			t.Fatalf("NEAREST after COMMIT: %v", got)
		}
	})
	t.Run("ErrorAborts", func(t *testing.T) {
		mustExec(t, d, "BEGIN; INSERT INTO t VALUES ('d', [1, 2])")
		if _, err := d.Exec(ctx, "INSERT INTO t VALUES ('c', [1, 2])"); !errors.Is(err, db.ErrWordExists) {
			t.Fatalf("duplicate INSERT = %v", err)
		}
		if _, err := d.Exec(ctx, "SELECT COUNT(*) FROM t"); !errors.Is(err, db.ErrTxAborted) {
			t.Fatalf("a statement after the failure = %v, want ErrTxAborted", err)
		}
		if _, err := d.Exec(ctx, "COMMIT"); !errors.Is(err, db.ErrWordExists) {
			t.Fatalf("COMMIT of an aborted transaction = %v, want its error", err)
		}
		if got := count(t, d, "t"); got != int64(1) {
			t.Fatalf("after the aborted transaction COUNT = %v, want 1", got)
		}
	})
	t.Run("Misuse", func(t *testing.T) {
		for _, sql := range []string{"COMMIT", "ROLLBACK"} {
			if _, err := d.Exec(ctx, sql); !errors.Is(err, db.ErrNoTransaction) {
				t.Errorf("%s without BEGIN = %v, want ErrNoTransaction", sql, err)
			}
		}
		mustExec(t, d, "BEGIN")
		defer mustExec(t, d, "ROLLBACK")
		for _, sql := range []string{"BEGIN", "VACUUM", "BACKUP TO 'x.db'"} {
			if _, err := d.Exec(ctx, sql); !errors.Is(err, db.ErrInTransaction) {
				t.Errorf("%s inside a transaction = %v, want ErrInTransaction", sql, err)
			}
		}
	})
	t.Run("CloseRollsBack", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c.db")
		c, err := db.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, c, "CREATE TABLE t (dim = 2); BEGIN; INSERT INTO t VALUES ('a', [1, 2])")
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		c, err = db.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if got := count(t, c, "t"); got != int64(0) {
			t.Fatalf("a transaction open at Close kept %v rows", got)
		}
	})
}

// TestTransaction_OthersRead: while a transaction is open, another handle
// (another process, as far as the locks go) reads the last committed state
// and cannot write until COMMIT.
func TestTransaction_OthersRead(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("files are shared between handles only on Linux")
	}
	path := filepath.Join(t.TempDir(), "tx.db")
	a, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := db.Open(path, &db.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mustExec(t, a, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2])")
	mustExec(t, a, "BEGIN; INSERT INTO t VALUES ('b', [3, 4])")
	if got := count(t, b, "t"); got != int64(1) {
		t.Fatalf("another handle reads %v rows during the transaction, want the committed 1", got)
	}
	if _, err := b.Exec(context.Background(), "INSERT INTO t VALUES ('c', [5, 6])"); !errors.Is(err, db.ErrLocked) {
		t.Fatalf("a write beside the transaction = %v, want ErrLocked", err)
	}
	mustExec(t, a, "COMMIT")
	if got := count(t, b, "t"); got != int64(2) {
		t.Fatalf("after COMMIT the other handle reads %v rows, want 2", got)
	}
	mustExec(t, b, "INSERT INTO t VALUES ('c', [5, 6])")
	if got := count(t, a, "t"); got != int64(3) {
		t.Fatalf("the first handle reads %v rows, want 3", got)
	}
}
