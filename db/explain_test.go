package db

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
)

// actualRe matches what EXPLAIN ANALYZE adds to an operator's line.
var actualRe = regexp.MustCompile(` \(actual rows=(\d+) time=[0-9.]+ ms\)$`)

// explainLines runs sql and returns its one column.
func explainLines(t *testing.T, d *DB, sql string, args ...any) []string {
	t.Helper()
	res, err := d.Exec(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("Exec(%q): %v", sql, err)
	}
	lines := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		lines[i] = r[0].(string)
	}
	return lines
}

// TestExplain_IsWhatRuns holds EXPLAIN and the executor together: EXPLAIN
// ANALYZE runs the plan EXPLAIN prints (the same operators, line for line),
// every operator ran, the root gave the statement's rows, and the access
// operator is the one that did the work (a lookup reads only its rows; an
// index search builds no exact-search matrix, an exact search does).
func TestExplain_IsWhatRuns(t *testing.T) {
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var sb strings.Builder
	for i := range 300 {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "('w%d', %d, [%d, %d, 1])", i, i%7, i%13, i%17)
	}
	if _, err := d.Exec(ctx, "CREATE TABLE t (dim = 3); INSERT INTO t (word, count, vector) VALUES "+sb.String()); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sql    string
		access string // the operator that reads the table, "" for none
		leaf   int64  // the rows it must give, -1 for any
	}{
		{"SELECT word FROM t WHERE word = 'w5'", "WordLookup", 1},
		{"SELECT word FROM t WHERE word IN ('w5', 'w6', 'nope') ORDER BY word DESC", "WordLookup", 2},
		{"SELECT word, count FROM t WHERE word LIKE 'w1%' AND count > 2 LIMIT 3", "WordLookup", -1},
		{"SELECT * FROM t WHERE id IN (3, 4)", "WordLookup", 2},
		{"SELECT word FROM t WHERE count = 3 ORDER BY id DESC LIMIT 2 OFFSET 1", "Scan", 300},
		{"SELECT COUNT(*) FROM t", "", -1},
		{"SELECT COUNT(word) FROM t WHERE count > 3", "Scan", 300},
		{"SELECT NEAREST('w1', 5) FROM t", "ExactSearch", 5},
		{"SELECT NEAREST('w1', 5) FROM t WHERE count = 1 ORDER BY word LIMIT 2", "ExactSearch", -1},
		{"SELECT SIMILARITY('w1', 'w2') FROM t", "", -1},
		{"SELECT 1 + 1", "", -1},
	}
	run := func(sql, access string, leaf int64) {
		t.Helper()
		plain := explainLines(t, d, "EXPLAIN "+sql)
		analyzed := explainLines(t, d, "EXPLAIN ANALYZE "+sql)
		if len(plain) != len(analyzed) {
			t.Fatalf("%s:\nEXPLAIN %q\nEXPLAIN ANALYZE %q", sql, plain, analyzed)
		}
		res, err := d.Exec(ctx, sql)
		if err != nil {
			t.Fatalf("Exec(%q): %v", sql, err)
		}
		for i, line := range analyzed {
			m := actualRe.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("%s: operator %q did not run", sql, line)
			}
			if op := strings.TrimSuffix(line, m[0]); op != plain[i] {
				t.Fatalf("%s: EXPLAIN ANALYZE ran %q where EXPLAIN printed %q", sql, op, plain[i])
			}
			if i == 0 && m[1] != fmt.Sprint(len(res.Rows)) {
				t.Errorf("%s: the root gave %s rows, the statement %d", sql, m[1], len(res.Rows))
			}
		}
		last := analyzed[len(analyzed)-1]
		if access != "" && !strings.Contains(last, "-> "+access+" on t") && !strings.HasPrefix(last, access+" on t") {
			t.Errorf("%s: the table is read by %q, want %s", sql, last, access)
		}
		if m := actualRe.FindStringSubmatch(last); leaf >= 0 && m[1] != fmt.Sprint(leaf) {
			t.Errorf("%s: %s gave %s rows, want %d", sql, access, m[1], leaf)
		}
	}
	for _, c := range cases {
		run(c.sql, c.access, c.leaf)
	}

	// With an index, NEAREST searches it, and builds no exact-search
	// matrix; SET exact = on makes the plan, and the run, an exact search.
	if _, err := d.Exec(ctx, "CREATE INDEX ON t USING hnsw"); err != nil {
		t.Fatal(err)
	}
	tableOf := func() *store.Table {
		var tbl *store.Table
		if err := d.st.View(ctx, func(tx *Tx) error {
			var err error
			tbl, err = store.OpenTable(tx, "t")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return tbl
	}
	run("SELECT NEAREST('w1', 5) FROM t", "HNSWSearch", 5)
	if d.st.CachedFlat(tableOf()) != nil {
		t.Fatal("HNSWSearch ran, yet an exact search built its matrix")
	}
	// A filter: the planner estimates it and picks a search (filtered.go);
	// the exact searches it picks read the index's vectors, not a matrix.
	run("SELECT NEAREST('w1', 5) FROM t WHERE word IN ('w5', 'w6')", "WordLookup", 2)
	run("SELECT NEAREST('w1', 5) FROM t WHERE count = 3", "ExactSearch", 5)
	run("SELECT word, count FROM t WHERE count > 2 ORDER BY SIMILARITY(vector, 'w1') DESC LIMIT 3", "ExactSearch", 3)
	if d.st.CachedFlat(tableOf()) != nil {
		t.Fatal("an exact search on the index's vectors built the exact-search matrix")
	}
	if _, err := d.Exec(ctx, "SET exact = on"); err != nil {
		t.Fatal(err)
	}
	run("SELECT NEAREST('w1', 5) FROM t", "ExactSearch", 5)
	if d.st.CachedFlat(tableOf()) == nil {
		t.Fatal("ExactSearch ran, yet no exact-search matrix was built")
	}
}

// TestExplain_Errors: EXPLAIN explains SELECT only, and reports a
// statement's binding errors as running it does.
func TestExplain_Errors(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	for _, c := range []struct{ sql, want string }{
		{"EXPLAIN SELECT word FROM nope", `1:26: unknown table "nope"`},
		{"EXPLAIN ANALYZE SELECT word", "1:24: column word needs a FROM table"},
	} {
		_, err := d.Exec(ctx, c.sql)
		if err == nil || err.Error() != c.want {
			t.Errorf("Exec(%q) = %v, want %s", c.sql, err, c.want)
		}
	}
}
