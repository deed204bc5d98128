package db_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestNearest_EmptyTableOrIndex checks that a search of a table with no
// rows, or of an index with no live rows, answers no rows (as a sort of
// an empty table does) instead of failing; and that an index built on an
// empty table, as pgvector users write CREATE INDEX before INSERT, finds
// the rows inserted after it. The torture test met the failure: a killed
// INSERT left an indexed table empty, and its checks' searches failed with
// "hnsw search: index is empty".
func TestNearest_EmptyTableOrIndex(t *testing.T) {
	queries := []string{
		"SELECT NEAREST([1, 0, 0, 0], 5) FROM c",
		"SELECT NEAREST([1, 0, 0, 0], 5) FROM c WHERE count = 0",
		"SELECT word FROM c ORDER BY SIMILARITY(vector, [1, 0, 0, 0]) DESC LIMIT 5",
		"SELECT word FROM c WHERE count = 0 ORDER BY SIMILARITY(vector, [1, 0, 0, 0]) DESC LIMIT 5",
	}
	for _, ix := range []string{"", "CREATE INDEX ON c USING hnsw", "CREATE INDEX ON c USING hnsw WITH (quantization = 'int8')"} {
		name := strings.TrimPrefix(ix, "CREATE INDEX ON c USING ")
		if ix == "" {
			name = "no index"
		}
		t.Run(name, func(t *testing.T) {
			d := MustOpenDB(t)
			mustExec(t, d, "CREATE TABLE c (dim = 4)")
			if ix != "" {
				mustExec(t, d, ix)
			}
			answers := func(when string, want int) {
				t.Helper()
				for _, q := range queries {
					if got := len(mustExec(t, d, q).Rows); got != want {
						t.Errorf("%s: %s: %d rows, want %d", when, q, got, want)
					}
				}
			}
			answers("empty", 0)
			mustExec(t, d, "INSERT INTO c VALUES ('a', [1, 0, 0, 0]), ('b', [0, 1, 0, 0]), ('c', [0.6, 0.8, 0, 0])")
			answers("after INSERT", 3)
			first := fmt.Sprint(mustExec(t, d, queries[0]).Rows[0][0])
			if first != "a" {
				t.Errorf("after INSERT: %s starts with %s, want a", queries[0], first)
			}
			mustExec(t, d, "DELETE FROM c")
			answers("after DELETE", 0)
		})
	}
}
