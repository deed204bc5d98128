package db_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// TestQuery_Streams: a per-row SELECT without ORDER BY gives its rows as it
// reads them; closing early ends the read; an error on a later row comes
// from Rows.Err; LIMIT and OFFSET apply.
func TestQuery_Streams(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	words, counts, vecs := randRows(20000, 4, 1)
	counts[15000] = 0 // the row whose count makes the WHERE below divide by zero
	bulkLoad(t, d, "t", 4, words, counts, vecs)

	rows, err := d.Query(ctx, "SELECT word, vector FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if n := db.OpenStreams(d); n != 1 {
		t.Fatalf("%d streams open during the read, want 1", n)
	}
	for i := 0; i < 10 && rows.Next(); i++ {
	}
	rows.Close()
	// Close returns once the reader has ended its transaction.
	if n := db.OpenStreams(d); n != 0 {
		t.Fatalf("%d streams open after Close: the reader did not stop", n)
	}

	got := mustExec(t, d, "SELECT word FROM t LIMIT 3 OFFSET 19998").Rows
	if len(got) != 2 || got[0][0] != "w19998" || got[1][0] != "w19999" {
		t.Fatalf("LIMIT 3 OFFSET 19998 = %v", got)
	}

	rows, err = d.Query(ctx, "SELECT word FROM t WHERE 1 / count > 0")
	if err != nil {
		t.Fatalf("the error is on row 15000, not the first: %v", err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err == nil || !strings.Contains(err.Error(), "division by zero") || n != 15000 {
		t.Fatalf("after %d rows, Err = %v; want division by zero after 15000", n, err)
	}

	// An error in the first row is returned by Query itself.
	if _, err := d.Query(ctx, "SELECT 1 / 0, word FROM t"); err == nil {
		t.Fatal("an error on the first row was not returned by Query")
	}
}

// TestClose_EndsOpenStream: Close waited for ever on a streaming Rows the
// caller had not closed, whose reader held a read transaction. Close now
// ends it: its Next returns false and Err says ErrClosed.
func TestClose_EndsOpenStream(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	words, counts, vecs := randRows(20000, 4, 1)
	bulkLoad(t, d, "t", 4, words, counts, vecs)
	rows, err := d.Query(ctx, "SELECT word FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no first row")
	}
	closed := make(chan error, 1)
	go func() { closed <- d.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second): // a hang detector, not a speed limit
		t.Fatal("Close is still waiting on the open Rows")
	}
	for rows.Next() {
	}
	if err := rows.Err(); !errors.Is(err, db.ErrClosed) {
		t.Fatalf("Err after Close = %v, want ErrClosed", err)
	}
	rows.Close()
}

// bulkLoad loads rows (counts may be nil) into a new table of dimension dim.
func bulkLoad(tb testing.TB, d *db.DB, name string, dim int, words []string, counts []int64, vecs []float32) {
	tb.Helper()
	w, err := d.BulkLoad(context.Background(), name, db.TableSpec{Dim: dim}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Append(words, counts, vecs); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// TestClose_AfterStreamFinished: a result whose rows were all read before
// the database closed ends cleanly, not with ErrClosed.
func TestClose_AfterStreamFinished(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2]), ('b', [2, 1])")
	rows, err := d.Query(context.Background(), "SELECT word FROM t")
	if err != nil {
		t.Fatal(err)
	}
	for db.FinishedStreams(d) == 0 { // two rows fill no channel: it finishes
		runtime.Gosched()
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil || n != 2 {
		t.Fatalf("after Close, %d rows and Err %v; want the 2 rows and no error", n, err)
	}
}
