package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestScalarIndex: CREATE INDEX ON t (count) through the language. A
// selective filter on count is answered by an exact search of the rows the
// index lists, which gives the exact answer; INSERT, INSERT OR REPLACE,
// DELETE and a failed INSERT keep CHECK DATABASE clean; the index survives
// reopening; DROP INDEX ON t (count) removes it; mistakes are errors.
func TestScalarIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { d.Close() }()
	_, vecs := filteredTable(t, d, 3000, 8, "cosine", true)
	exec := func(sql string) *db.Result {
		t.Helper()
		res, err := d.Exec(ctx, sql)
		if err != nil {
			t.Fatalf("Exec(%q): %v", sql, err)
		}
		return res
	}
	check := func() {
		t.Helper()
		if got := fmt.Sprint(exec("CHECK DATABASE").Rows); got != "[[ok]]" {
			t.Fatalf("CHECK DATABASE = %s", got)
		}
	}
	exec("CREATE INDEX ON t (count)")
	if got := fmt.Sprint(exec("DESCRIBE t").Rows); !strings.Contains(got, "[scalar_indexes count]") {
		t.Errorf("DESCRIBE t = %s, want scalar_indexes count", got)
	}
	if got := fmt.Sprint(exec("CREATE INDEX IF NOT EXISTS ON t (count)").Rows); got != "[[exists]]" {
		t.Errorf("CREATE INDEX IF NOT EXISTS again = %s", got)
	}
	check()
	nearest := "SELECT NEAREST(" + vecs[5] + ", 10) FROM t WHERE count = 7"
	plan := strings.Join(words(t, d, "EXPLAIN "+nearest), "\n")
	if !strings.Contains(plan, "-> ScalarLookup on t (count = 7, through the index on count)") {
		t.Errorf("EXPLAIN %s:\n%s\nwant a ScalarLookup", nearest, plan)
	}
	got := words(t, d, nearest)
	exec("SET exact = on")
	want := words(t, d, nearest)
	exec("SET exact = off")
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("through the index %v, exact %v", got, want)
	}

	count7 := func() int64 {
		t.Helper()
		return exec("SELECT COUNT(*) FROM t WHERE count = 7").Rows[0][0].(int64)
	}
	before := count7()
	exec("INSERT INTO t (word, count, vector) VALUES ('n1', 7, [1, 2, 3, 4, 5, 6, 7, 8])")
	exec("INSERT OR REPLACE INTO t (word, count, vector) VALUES ('w1', 7, [1, 2, 3, 4, 5, 6, 7, 9])")
	exec("DELETE FROM t WHERE word IN ('w2', 'w3')")
	if _, err := d.Exec(ctx, "INSERT INTO t (word, count, vector) VALUES ('n2', 7, [1, 2, 3, 4, 5, 6, 7, 8]), ('n3', 7, [1, 2])"); err == nil {
		t.Fatal("an INSERT with a vector of the wrong length: no error")
	}
	check()
	if n := len(words(t, d, "SELECT NEAREST("+vecs[5]+", 10000) FROM t WHERE count = 7")); int64(n) != count7() || count7() < before {
		t.Errorf("NEAREST through the index finds %d rows of count 7, COUNT(*) %d (before the writes %d)", n, count7(), before)
	}

	d.Close()
	if d, err = db.Open(path, nil); err != nil {
		t.Fatal(err)
	}
	if plan := strings.Join(words(t, d, "EXPLAIN "+nearest), "\n"); !strings.Contains(plan, "ScalarLookup") {
		t.Errorf("after reopening, EXPLAIN %s:\n%s", nearest, plan)
	}
	check()
	exec("DROP INDEX ON t (count)")
	if plan := strings.Join(words(t, d, "EXPLAIN "+nearest), "\n"); strings.Contains(plan, "ScalarLookup") {
		t.Errorf("after DROP INDEX, EXPLAIN %s:\n%s", nearest, plan)
	}
	check()
	for _, c := range []struct{ sql, want string }{
		{"DROP INDEX ON t (count)", `1:18: table has no index on "count"`},
		{"CREATE INDEX ON t (word)", `1:20: table "t": column "word" cannot have an index (count and columns of type TEXT, INTEGER, REAL or BOOLEAN can)`},
		{"CREATE INDEX ON t (count, word)", "1:27: an index covers one column, found 2"},
		{"CREATE INDEX ON t (count) USING hnsw", "1:1: an index on a column takes no USING or WITH"},
	} {
		if _, err := d.Exec(ctx, c.sql); err == nil || err.Error() != c.want {
			t.Errorf("Exec(%q) = %v, want %s", c.sql, err, c.want)
		}
	}
	if got := fmt.Sprint(exec("DROP INDEX IF EXISTS ON t (count)").Rows); got != "[[none]]" {
		t.Errorf("DROP INDEX IF EXISTS of no index = %s", got)
	}
	exec("CREATE INDEX ON t (count)")
	if _, err := d.Exec(ctx, "CREATE INDEX ON t (count)"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("CREATE INDEX twice = %v, want an error", err)
	}
}

// TestNearest_FilteredColumns: NEAREST filtered on user columns (year
// INTEGER uniform over 1,000 values, cat TEXT) returns min(10, rows that
// pass) rows at 50%, 10%, 1% and 0.1%, with recall@10 >= 0.95 against
// the exact answer, without and then with scalar indexes on year, cat and
// score, which keep CHECK DATABASE clean through INSERT and DELETE.
func TestNearest_FilteredColumns(t *testing.T) {
	const n, nq = 3000, 10
	ctx := context.Background()
	d := MustOpenDB(t)
	_, vecs := filteredTable(t, d, 8, 4, "cosine", false) // only for query vectors
	if _, err := d.Exec(ctx, "DROP TABLE t; CREATE TABLE t (dim = 4, year INTEGER, cat TEXT, score REAL)"); err != nil {
		t.Fatal(err)
	}
	years := make([]int, n)
	var sb strings.Builder
	for i := range n {
		years[i] = (i * 7919) % 1000
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "('d%d', %d, '%c', %d.5, [%d, %d, %d, 1])", i, years[i], 'a'+i%3, i%10, i%13, i%17, i%19)
	}
	// ef_search 128: on these 4-d lattice vectors a graph built by two
	// workers gives recall@10 0.91 at ef 64 for the 10% filter in most runs
	// (1.0 at 128, and at 64 when built by one worker); the filtered walk
	// on realistic data is held to ef 64 by TestNearest_Filtered.
	for _, sql := range []string{"INSERT INTO t (word, year, cat, score, vector) VALUES " + sb.String(), "CREATE INDEX ON t USING hnsw", "SET ef_search = 128"} {
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	run := func(t *testing.T, wantPlan string) {
		for _, below := range []int{500, 100, 10, 1} {
			pass := 0
			for _, y := range years {
				if y < below {
					pass++
				}
			}
			sql := "SELECT NEAREST(%s, 10) FROM t WHERE year < ? AND cat <> 'x'"
			if plan := strings.Join(words(t, d, "EXPLAIN "+fmt.Sprintf(sql, vecs[0]), below), "\n"); below == 1 && !strings.Contains(plan, wantPlan) {
				t.Errorf("EXPLAIN at 0.1%%:\n%s\nwant %s", plan, wantPlan)
			}
			var recall float64
			for i := range nq {
				q := fmt.Sprintf("[%d, %d, %d, 1]", i%13, i%17, i%19)
				got := similarities(t, d, fmt.Sprintf(sql, q), below)
				if len(got) != min(10, pass) {
					t.Fatalf("year < %d: %d rows, want %d", below, len(got), min(10, pass))
				}
				if _, err := d.Exec(ctx, "SET exact = on"); err != nil {
					t.Fatal(err)
				}
				exact := similarities(t, d, fmt.Sprintf(sql, q), below)
				if _, err := d.Exec(ctx, "SET exact = off"); err != nil {
					t.Fatal(err)
				}
				// The lattice vectors tie: recall counts a tied row as a hit.
				recall += recallScores(got, exact)
			}
			if r := recall / nq; r < 0.95 {
				t.Errorf("year < %d: recall@10 = %.3f, want >= 0.95", below, r)
			}
		}
	}
	t.Run("Filter", func(t *testing.T) { run(t, "ExactSearch") })
	for _, sql := range []string{"CREATE INDEX ON t (year)", "CREATE INDEX ON t (cat)", "CREATE INDEX ON t (score)"} {
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("ScalarIndex", func(t *testing.T) { run(t, "ScalarLookup on t (year < ?, through the index on year)") })
	for _, sql := range []string{
		"INSERT INTO t (word, year, cat, score, vector) VALUES ('new', 0, 'a', 1.5, [1, 2, 3, 4])",
		"DELETE FROM t WHERE word IN ('d0', 'd1')",
		"INSERT INTO t (word, year, vector) VALUES ('nulls', 3, [1, 1, 1, 1])",
	} {
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := d.Exec(ctx, "CHECK DATABASE"); err != nil || fmt.Sprint(res.Rows) != "[[ok]]" {
		t.Fatalf("CHECK DATABASE = %v, %v", res, err)
	}
	got := words(t, d, "SELECT NEAREST([1, 1, 1, 1], 3) FROM t WHERE score = 1.5 AND cat = 'a'")
	if len(got) != 3 {
		t.Errorf("score = 1.5 AND cat = 'a': %v", got)
	}
}

// TestScalarIndex_UpdateAlter: UPDATE keeps the indexes on the columns it
// sets; ALTER TABLE DROP COLUMN drops the column's index; an index on a
// column added with a DEFAULT holds the default of the rows before it.
func TestScalarIndex_UpdateAlter(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	run := func(sql string) string {
		t.Helper()
		res, err := d.Exec(ctx, sql)
		if err != nil {
			t.Fatalf("Exec(%q): %v", sql, err)
		}
		return fmt.Sprint(res.Rows)
	}
	run("CREATE TABLE d (dim = 2, year INTEGER, cat TEXT)")
	run("INSERT INTO d (word, year, cat, vector) VALUES ('a', 1, 'x', [1, 0]), ('b', 2, 'y', [0, 1]), ('c', 2, NULL, [1, 1])")
	run("CREATE INDEX ON d (year)")
	run("CREATE INDEX ON d (cat)")
	run("UPDATE d SET year = 5, cat = 'z' WHERE word = 'a'")
	run("UPDATE d SET cat = NULL WHERE year = 2")
	if got := run("CHECK DATABASE"); got != "[[ok]]" {
		t.Fatalf("CHECK DATABASE after UPDATE = %s", got)
	}
	for _, c := range []struct{ where, want string }{
		{"year = 5", "[a]"}, {"year = 1", "[]"}, {"cat = 'z'", "[a]"}, {"year = 2 AND cat = 'y'", "[]"},
	} {
		// (Three rows: the planner scans them; CHECK compared the index.)
		sql := "SELECT NEAREST([1, 0], 3) FROM d WHERE " + c.where
		if got := fmt.Sprint(words(t, d, sql)); got != c.want {
			t.Errorf("%s = %s, want %s", sql, got, c.want)
		}
	}
	run("ALTER TABLE d DROP COLUMN year")
	if got := run("DESCRIBE d"); !strings.Contains(got, "[scalar_indexes cat]") {
		t.Errorf("DESCRIBE after DROP COLUMN year = %s, want only the index on cat", got)
	}
	run("ALTER TABLE d ADD COLUMN year INTEGER DEFAULT 7")
	run("CREATE INDEX ON d (year)")
	run("INSERT INTO d (word, vector) VALUES ('e', [2, 1])")
	if got := run("CHECK DATABASE"); got != "[[ok]]" {
		t.Fatalf("CHECK DATABASE after ALTER = %s", got)
	}
	if got := fmt.Sprint(words(t, d, "SELECT NEAREST([1, 0], 5) FROM d WHERE year = 7")); got != "[a e c b]" {
		t.Errorf("year = 7 (the default) = %s, want every row", got)
	}
}
