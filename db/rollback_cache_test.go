package db_test

import (
	"fmt"
	"testing"
)

// TestRollback_CachesForgetTheTransaction holds that what a statement
// inside a rolled-back transaction computed is not served after it: the
// next commit of the same table must answer from its own rows. Table
// versions used to be counted, so the commit after a ROLLBACK got the
// number the rolled-back change had, and the caches keyed by it (a
// filter's matching rows, the exact-search matrix, a prepared plan)
// answered with the rolled-back rows.
func TestRollback_CachesForgetTheTransaction(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE docs (dim = 3, year INTEGER)`)
	mustExec(t, d, `INSERT INTO docs (word, year, vector) VALUES ('a', 1, [1, 0, 0]), ('b', 2, [0, 1, 0]),
		('c', 3, [0, 0, 1]), ('d', 1, [1, 1, 0]), ('e', 2, [0, 1, 1]), ('f', 3, [1, 0, 1])`)
	queries := []string{
		`SELECT NEAREST([1, 0, 0], 3) FROM docs WHERE year = 9`,
		`SELECT word FROM docs WHERE year = 9`,
		`SELECT word FROM docs ORDER BY SIMILARITY(vector, [1, 0, 0]) DESC LIMIT 1`,
	}
	ask := func() string {
		var s string
		for _, q := range queries {
			for range 2 { // the second asking is the one a cache answers
				s = fmt.Sprint(s, rowsOf(t, d, q))
			}
		}
		return s
	}
	mustExec(t, d, `BEGIN`)
	mustExec(t, d, `UPDATE docs SET year = 9, vector = [0, 0, 1] WHERE word = 'a'`)
	inTx := ask()
	mustExec(t, d, `ROLLBACK`)
	mustExec(t, d, `UPDATE docs SET year = 9 WHERE word = 'c'`)
	got := ask()
	want := "[[c 0]][[c 0]][[c]][[c]][[a]][[a]]"
	if got != want {
		t.Fatalf("after the rollback and another change: %s, want %s (inside the transaction: %s)", got, want, inTx)
	}
}
