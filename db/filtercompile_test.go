package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestNearest_FilterSemantics checks that NEAREST's filter (compiled for
// the usual conditions) keeps exactly the rows a plain SELECT ... WHERE
// keeps, NULLs and three-valued logic included, and reports the same
// errors.
func TestNearest_FilterSemantics(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	var sb strings.Builder
	for i := range 200 {
		if i > 0 {
			sb.WriteString(", ")
		}
		year, cat, score, draft := fmt.Sprint(i%20), fmt.Sprintf("'%c'", 'a'+i%4), fmt.Sprintf("%d.5", i%7), fmt.Sprint(i%3 == 0)
		switch i % 9 {
		case 0:
			year = "NULL"
		case 1:
			cat = "NULL"
		case 2:
			score, draft = "NULL", "NULL"
		}
		fmt.Fprintf(&sb, "('d%d', %d, %s, %s, %s, %s, [%d, %d, 1])", i, i%5, year, cat, score, draft, i%11, i%13)
	}
	for _, sql := range []string{
		"CREATE TABLE t (dim = 3, year INTEGER, cat TEXT, score REAL, draft BOOLEAN)",
		"INSERT INTO t (word, count, year, cat, score, draft, vector) VALUES " + sb.String(),
	} {
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	for _, cond := range []string{
		"year < 5", "NOT (year < 5)", "year IS NULL", "year IS NOT NULL AND cat = 'a'",
		"NOT (cat = 'a') OR year > 10", "cat IN ('a', NULL)", "cat NOT IN ('a', 'b')",
		"NOT (cat NOT IN ('a', NULL))", "score >= 2.5 AND year <> 3", "count = 0", "2 < count",
		"id < 10 OR word = 'd5'", "draft", "NOT draft OR year = 2.0", "year = 2.5", "score = 3",
		"(year < 3 OR cat = 'b') AND NOT (score < 1 OR draft)", "year < ?",
	} {
		t.Run(cond, func(t *testing.T) {
			var args []any
			if strings.Contains(cond, "?") {
				args = []any{7}
			}
			want := words(t, d, "SELECT word FROM t WHERE "+cond+" ORDER BY word", args...)
			got := words(t, d, "SELECT NEAREST([1, 1, 1], 1000) FROM t WHERE "+cond, args...)
			slices.Sort(got)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("NEAREST kept %d rows %v\nSELECT kept %d rows %v", len(got), got, len(want), want)
			}
		})
	}
	for _, cond := range []string{"cat < 3", "year = 'x'"} {
		_, err1 := d.Exec(ctx, "SELECT word FROM t WHERE "+cond)
		_, err2 := d.Exec(ctx, "SELECT NEAREST([1, 1, 1], 10) FROM t WHERE "+cond)
		// The same message, at the same part of WHERE (18 characters
		// further on in the NEAREST statement).
		trim := func(err error) string { _, msg, _ := strings.Cut(fmt.Sprint(err), ": "); return msg }
		if err1 == nil || err2 == nil || trim(err1) != trim(err2) {
			t.Errorf("WHERE %s: SELECT says %v, NEAREST %v", cond, err1, err2)
		}
	}
}
