package torture

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/embeddb/embeddb/db"
)

// checkAnswers asks every scalar index of the database questions and
// compares the answers with a scan of the rows: WHERE col = v and col >= v
// in a plain SELECT, NEAREST(v, k) WHERE col = v with k the number of rows
// that match (it must return them all), and pgvector's ORDER BY SIMILARITY
// ... LIMIT k form. It returns the questions asked and the wrong answers.
// CHECK DATABASE compares the index's entries with the column; this
// checks what the statements that use the index answer.
func checkAnswers(ctx context.Context, d *db.DB, st *state) (asked int, problems []string) {
	for _, name := range st.names() {
		info := st.shapes[name]
		if len(info.ScalarIndexes) == 0 {
			continue
		}
		var rows []db.Row
		err := d.View(ctx, func(tx *db.Tx) error {
			return tx.ForEach(name, true, func(r db.Row) error {
				rows = append(rows, r)
				return nil
			})
		})
		if err != nil {
			return asked, append(problems, fmt.Sprintf("%s: reading the rows: %v", name, err))
		}
		if len(rows) == 0 {
			continue
		}
		for _, col := range info.ScalarIndexes {
			n, p := askIndex(ctx, d, name, col, rows)
			asked += n
			problems = append(problems, p...)
		}
	}
	return asked, problems
}

// colValue is a row's value of col (count included), nil for NULL.
func colValue(r db.Row, col string) any {
	if col == "count" {
		return r.Count
	}
	return r.Cols[col]
}

// askIndex asks the questions of one indexed column, about two of the
// values the rows hold.
func askIndex(ctx context.Context, d *db.DB, table, col string, rows []db.Row) (asked int, problems []string) {
	for _, at := range []int{0, len(rows) / 2} {
		v := colValue(rows[at], col)
		if v == nil {
			continue
		}
		var eq, ge []string
		for _, r := range rows {
			if x := colValue(r, col); x != nil {
				c := compareValues(x, v)
				if c == 0 {
					eq = append(eq, r.Word)
				}
				if c >= 0 {
					ge = append(ge, r.Word)
				}
			}
		}
		vec := rows[len(rows)-1-at].Vector
		qs := []struct {
			sql  string
			args []any
			want []string
		}{
			{fmt.Sprintf("SELECT word FROM %s WHERE %s = ?", table, col), []any{v}, eq},
			{fmt.Sprintf("SELECT word FROM %s WHERE %s >= ?", table, col), []any{v}, ge},
			{fmt.Sprintf("SELECT NEAREST(?, %d) FROM %s WHERE %s = ?", len(eq), table, col), []any{vec, v}, eq},
			{fmt.Sprintf("SELECT word FROM %s WHERE %s = ? ORDER BY SIMILARITY(vector, ?) DESC LIMIT %d", table, col, len(eq)), []any{v, vec}, eq},
		}
		for _, q := range qs {
			asked++
			got, err := words(ctx, d, q.sql, q.args...)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s (%v): %v", q.sql, v, err))
				continue
			}
			if !slices.Equal(sorted(got), sorted(q.want)) {
				problems = append(problems, fmt.Sprintf("%s (%v): %d rows, a scan finds %d (%s)",
					q.sql, v, len(got), len(q.want), firstDiff(sorted(got), sorted(q.want))))
			}
		}
	}
	return asked, problems
}

// words runs a query and returns its word column.
func words(ctx context.Context, d *db.DB, sql string, args ...any) ([]string, error) {
	rows, err := d.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	all, err := rows.All()
	if err != nil {
		return nil, err
	}
	i := slices.Index(rows.Columns(), "word")
	if i < 0 {
		return nil, fmt.Errorf("no word column in %v", rows.Columns())
	}
	out := make([]string, len(all))
	for k, r := range all {
		out[k], _ = r[i].(string)
	}
	return out, nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// firstDiff names a word one list has and the other lacks.
func firstDiff(got, want []string) string {
	for _, w := range want {
		if _, ok := slices.BinarySearch(got, w); !ok {
			return "missing " + w
		}
	}
	for _, w := range got {
		if _, ok := slices.BinarySearch(want, w); !ok {
			return "extra " + w
		}
	}
	return "duplicates"
}

// compareValues orders two values of one column as SQL does: numbers by
// value, text bytewise, FALSE before TRUE.
func compareValues(a, b any) int {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmpOrdered(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmpOrdered(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmpOrdered(b2i(x), b2i(y))
		}
	}
	return cmpOrdered(fmt.Sprintf("%T", a), fmt.Sprintf("%T", b))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpOrdered[T int | int64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
