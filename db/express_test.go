package db_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// expressDB makes a table t of 300 seeded random 8-d rows w0..w299 with an
// HNSW index, in a file of its own, and returns its path too.
func expressDB(t *testing.T) (*db.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	sb.WriteString("CREATE TABLE t (dim = 8); INSERT INTO t VALUES ")
	for i := range 300 {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "('w%d', [", i)
		for j := range 8 {
			if j > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "%.4f", rng.NormFloat64())
		}
		sb.WriteString("])")
	}
	mustExec(t, d, sb.String())
	mustExec(t, d, "CREATE INDEX ON t USING hnsw")
	return d, path
}

// answer runs a prepared statement and returns its rows, or its error.
func answer(s *db.Stmt, ctx context.Context, args ...any) ([][]any, error) {
	rows, err := s.Query(ctx, args...)
	if err != nil {
		return nil, err
	}
	return rows.All()
}

// unprepared runs sql with args the ordinary way, which never takes the
// express path (it belongs to prepared statements).
func unprepared(d *db.DB, sql string, args ...any) ([][]any, error) {
	rows, err := d.Query(context.Background(), sql, args...)
	if err != nil {
		return nil, err
	}
	return rows.All()
}

const expressSQL = "SELECT NEAREST(?, ?) FROM t"

// sameAsUnprepared checks that the prepared NEAREST answers word, k as the
// statement run the ordinary way does: the same rows, or the same error.
func sameAsUnprepared(t *testing.T, d *db.DB, s *db.Stmt, word any, k any) [][]any {
	t.Helper()
	got, gotErr := answer(s, context.Background(), word, k)
	want, wantErr := unprepared(d, expressSQL, word, k)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
		t.Fatalf("prepared NEAREST(%v, %v) = %v, %v; the statement run the ordinary way: %v, %v", word, k, got, gotErr, want, wantErr)
	}
	return got
}

// TestStmt_Express: a prepared NEAREST of a word, run again, is answered
// from what its last run kept, without a transaction; its answers are
// those of the statement run the ordinary way, and anything it does not
// handle (other counts, unknown words, bad arguments) runs the ordinary
// way, with the same answer or error.
func TestStmt_Express(t *testing.T) {
	d, _ := expressDB(t)
	s, err := d.Prepare(expressSQL)
	if err != nil {
		t.Fatal(err)
	}
	sameAsUnprepared(t, d, s, "w0", 10) // the ordinary run that keeps the entry
	before := db.ExpressRuns(s)
	runs := 0
	for i := range 40 {
		for _, k := range []any{1, 3, 10, 16, 17, 40, int64(5), 5.0} {
			sameAsUnprepared(t, d, s, fmt.Sprintf("w%d", i*7), k)
			runs++
		}
	}
	if got := db.ExpressRuns(s) - before; got != int64(runs) {
		t.Fatalf("%d of %d runs took the express path, want all", got, runs)
	}
	// Not for the express path: each runs the ordinary way and fails or
	// answers as it does.
	for _, args := range [][2]any{
		{"nosuchword", 3}, {"w1", 0}, {"w1", -2}, {"w1", "x"}, {"w1", 2.5}, {42, 3}, {"w1", nil}, {nil, 3},
	} {
		sameAsUnprepared(t, d, s, args[0], args[1])
	}
	// The other forms of the statement.
	for _, sql := range []string{"SELECT NEAREST(?) FROM t", "SELECT NEAREST(?, 4) FROM t"} {
		s, err := d.Prepare(sql)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			got, err := answer(s, context.Background(), fmt.Sprintf("w%d", i))
			want, wantErr := unprepared(d, sql, fmt.Sprintf("w%d", i))
			if err != nil || wantErr != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: %v, %v; want %v, %v", sql, got, err, want, wantErr)
			}
		}
		if n := db.ExpressRuns(s); n != 4 {
			t.Fatalf("%s: %d express runs of 5, want 4 (all but the first)", sql, n)
		}
	}
}

// TestStmt_ExpressStale: after any change the express path answers with
// the database as it now is, never with what its last run kept: a row
// deleted, changed or added, the index dropped or built again, a SET,
// a transaction open (whose own changes it must see) or rolled back, and
// another handle's commit (the way another process's shows); with a word,
// and with a query vector.
func TestStmt_ExpressStale(t *testing.T) {
	t.Run("word", func(t *testing.T) { expressStale(t, false) })
	t.Run("vector", func(t *testing.T) { expressStale(t, true) })
}

// expressStale is TestStmt_ExpressStale, querying w0, or with byVector the
// vector w5 had at the start.
func expressStale(t *testing.T, byVector bool) {
	d, path := expressDB(t)
	s, err := d.Prepare(expressSQL)
	if err != nil {
		t.Fatal(err)
	}
	var q any = "w0"
	if byVector {
		q = rowVector(t, d, "w5")
	}
	top := func() string {
		t.Helper()
		rows := sameAsUnprepared(t, d, s, q, 5)
		return rows[0][0].(string)
	}
	warm := func() {
		t.Helper()
		n := db.ExpressRuns(s)
		top()
		top()
		if db.ExpressRuns(s) == n {
			t.Fatal("the express path did not run: the test would check nothing")
		}
	}
	warm()
	first := top()
	mustExec(t, d, "DELETE FROM t WHERE word = ?", first)
	if got := top(); got == first {
		t.Fatalf("after DELETE of %s, NEAREST still gives it", first)
	}
	// Each change is made after the express path has run (warm), where
	// the index and the table still allow it.
	reindex := "DROP INDEX ON t; CREATE INDEX ON t USING hnsw"
	clean := false // the index holds every row: the express path can run
	for _, change := range []string{
		reindex,
		"UPDATE t SET vector = VECTOR('w0') WHERE word = 'w299'",
		reindex,
		"INSERT INTO t VALUES ('twin', VECTOR('w0') * 2)",
		reindex,
		"SET ef_search = 1",
		"SET ef_search = 0",
		"SET exact = on",
		"SET exact = off",
		"ALTER TABLE t RENAME TO u; ALTER TABLE u RENAME TO t",
		"UPDATE t SET vector = VECTOR('w1') WHERE word = 'twin'; " + reindex,
	} {
		if clean {
			warm()
		}
		clean = strings.HasSuffix(change, reindex) || strings.HasPrefix(change, "ALTER") ||
			strings.HasPrefix(change, "SET") && change != "SET exact = on" // an exact search: no express path
		mustExec(t, d, change)
		top() // checked against the ordinary run
		top()
	}
	if got := top(); got != "w299" && !byVector {
		t.Fatalf("top neighbour of w0 after w299 took its vector and twin moved away: %s", got)
	}

	// Inside a transaction the statement sees the transaction's changes,
	// and after ROLLBACK no longer.
	warm()
	before := top()
	mustExec(t, d, "BEGIN")
	mustExec(t, d, "DELETE FROM t WHERE word = ?", before)
	if got := top(); got == before {
		t.Fatalf("inside the transaction that deleted %s, NEAREST gives it", before)
	}
	mustExec(t, d, "ROLLBACK")
	if got := top(); got != before {
		t.Fatalf("after ROLLBACK: %s, want %s again", got, before)
	}
	warm() // the index is as before the transaction: the express path runs again

	// Another handle of the file commits: its change is seen at once.
	warm()
	other, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for range 3 {
		gone := top()
		mustExec(t, other, "DELETE FROM t WHERE word = ?; "+reindex, gone)
		if got := top(); got == gone {
			t.Fatalf("after another handle deleted %s, NEAREST still gives it", gone)
		}
		warm()
	}
}

// TestStmt_ExpressEnds: the express path ends as the ordinary one does:
// ErrClosed after Close, the context's error when it is done; with a word,
// and with a query vector.
func TestStmt_ExpressEnds(t *testing.T) {
	for _, q := range []any{"w1", []float32{1, 0, -1, 2, 0.5, 0, 0, 3}} {
		d, _ := expressDB(t)
		s, err := d.Prepare(expressSQL)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := answer(s, context.Background(), q, 3); err != nil {
				t.Fatal(err)
			}
		}
		if db.ExpressRuns(s) == 0 {
			t.Fatalf("NEAREST(%v): the express path did not run", q)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := answer(s, ctx, q, 3); !errors.Is(err, context.Canceled) {
			t.Fatalf("NEAREST(%v) with a cancelled context: %v, want context.Canceled", q, err)
		}
		d.Close()
		if _, err := answer(s, context.Background(), q, 3); !errors.Is(err, db.ErrClosed) {
			t.Fatalf("NEAREST(%v) after Close: %v, want ErrClosed", q, err)
		}
	}
}

// TestStmt_ExpressLetsGo: what a prepared NEAREST keeps for its express
// path does not keep a dropped index graph (or the words of a changed
// table) in memory until the statement runs again.
func TestStmt_ExpressLetsGo(t *testing.T) {
	d, _ := expressDB(t)
	s, err := d.Prepare(expressSQL)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := answer(s, context.Background(), "w1", 3); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	if graph, words := db.ExpressHeld(s); !graph || !words {
		t.Fatalf("while current, the express entry lost its graph (%v) or words (%v)", !graph, !words)
	}
	mustExec(t, d, "DROP INDEX ON t")
	runtime.GC()
	if graph, words := db.ExpressHeld(s); graph || words {
		t.Fatalf("after DROP INDEX, the statement's express entry still holds the old graph (%v) or words (%v)", graph, words)
	}
	if got := sameAsUnprepared(t, d, s, "w1", 3); len(got) != 3 {
		t.Fatalf("NEAREST after DROP INDEX: %v", got)
	}
}
