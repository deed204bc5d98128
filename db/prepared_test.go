package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestStmt_PlanCache: a prepared statement reuses its plan only while it
// holds. The plan it runs by (shown by a prepared EXPLAIN, which plans the
// same way) follows a new index, a dropped one, SET exact and a table
// dropped and made again, and a per-row plan chosen by a parameter's value
// (word LIKE ?) is planned again for each value.
func TestStmt_PlanCache(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 0]), ('b', [0.9, 0.1]), ('c', [0, 1])")
	access := func(s *db.Stmt, args ...any) string {
		t.Helper()
		rows, err := s.Query(ctx, args...)
		if err != nil {
			t.Fatal(err)
		}
		all, err := rows.All()
		if err != nil {
			t.Fatal(err)
		}
		last := all[len(all)-1][0].(string) // the leaf: the operator that reads the table
		return strings.Fields(strings.TrimLeft(last, " ->"))[0]
	}
	nearest, err := d.Prepare("EXPLAIN SELECT NEAREST(?, 2) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	like, err := d.Prepare("EXPLAIN SELECT word FROM t WHERE word LIKE ?")
	if err != nil {
		t.Fatal(err)
	}
	run, err := d.Prepare("SELECT NEAREST(?, 1) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		sql  string // run first, "" for none
		stmt *db.Stmt
		arg  any
		want string
	}{
		{"", nearest, "a", "ExactSearch"},
		{"", nearest, "b", "ExactSearch"},
		{"CREATE INDEX ON t USING hnsw", nearest, "a", "HNSWSearch"},
		{"SET exact = on", nearest, "a", "ExactSearch"},
		{"SET exact = off", nearest, "a", "HNSWSearch"},
		{"DROP INDEX ON t", nearest, "a", "ExactSearch"},
		{"", like, "a%", "WordLookup"},
		{"", like, "%a", "Scan"},
		{"", like, "b%", "WordLookup"},
	}
	for _, st := range steps {
		if st.sql != "" {
			mustExec(t, d, st.sql)
		}
		if got := access(st.stmt, st.arg); got != st.want {
			t.Fatalf("after %q, with %v: access %s, want %s", st.sql, st.arg, got, st.want)
		}
	}
	// The table dropped and made again with other rows: the new one is read.
	want := func(word string) {
		t.Helper()
		rows, err := run.Query(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		all, err := rows.All()
		if err != nil || len(all) != 1 || all[0][0] != word {
			t.Fatalf("NEAREST('a', 1) = %v, %v; want %s", all, err, word)
		}
	}
	want("b")
	mustExec(t, d, "DROP TABLE t; CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 0]), ('z', [1, 0.05])")
	want("z")
}
