package db_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestNearest_AddedRowsAllDeleted holds that a search of a table whose
// HNSW index is older than some rows still answers when every row added
// since the build has been deleted since (an UPDATE of a vector deletes
// and adds its row): the exact search of the added rows has nothing to
// search, which used to fail the whole statement ("flat search: index is
// empty").
func TestNearest_AddedRowsAllDeleted(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE t (dim = 2, year INTEGER)`)
	var vals []string
	for i := range 40 {
		vals = append(vals, fmt.Sprintf("('w%d', %d, [1, %d])", i, 2000+i%4, i))
	}
	mustExec(t, d, `INSERT INTO t (word, year, vector) VALUES `+strings.Join(vals, ", "))
	mustExec(t, d, `CREATE INDEX ON t USING hnsw`)
	mustExec(t, d, `UPDATE t SET vector = [1, 0.5] WHERE word = 'w1'`)
	mustExec(t, d, `INSERT INTO t (word, year, vector) VALUES ('x', 2001, [0, 1])`)
	mustExec(t, d, `DELETE FROM t WHERE word IN ('w1', 'x')`)
	for _, q := range []string{
		`SELECT NEAREST([1, 2], 3) FROM t`,
		`SELECT NEAREST('w2', 3) FROM t`,
		`SELECT NEAREST([1, 2], 3) FROM t WHERE year = 2002`,
		`SELECT word FROM t ORDER BY SIMILARITY(vector, [1, 2]) DESC LIMIT 3`,
	} {
		if got := rowsOf(t, d, q); len(got) != 3 {
			t.Errorf("%s: %d rows, want 3: %v", q, len(got), got)
		}
	}
}
