package db_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// scalarScanRows is the size of the tables of the tests below: a lookup is
// chosen when it lists at most a tenth of them (plan/scalar.go).
const scalarScanRows = 3000

// scalarScanDB makes two tables of the same rows, docs with a scalar index
// on each of year, title, score, draft and count, and bare with none:
// year over 0..99, title from a few prefixes (some non-ASCII, one empty),
// score with both zeros and negatives, and NULLs in each column.
func scalarScanDB(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	d := MustOpenDB(t)
	rng := rand.New(rand.NewPCG(16, 4))
	prefixes := []string{"Alpha", "Al", "Beta", "Bé", "日本", "", "alpha", "A_b%"}
	rows := make([]db.Row, scalarScanRows)
	for i := range rows {
		cols := map[string]any{}
		if i%37 != 0 {
			cols["year"] = int64(rng.IntN(100))
		}
		if i%41 != 0 {
			cols["title"] = fmt.Sprintf("%s%d", prefixes[rng.IntN(len(prefixes))], rng.IntN(50))
		}
		switch i % 43 {
		case 0:
		case 1:
			cols["score"] = math.Copysign(0, -1)
		case 2:
			cols["score"] = 0.0
		default:
			cols["score"] = math.Round(rng.NormFloat64()*100) / 100
		}
		if i%47 != 0 {
			cols["draft"] = rng.IntN(20) == 0
		}
		rows[i] = db.Row{Word: fmt.Sprintf("w%d", i), Count: int64(rng.IntN(200)),
			Vector: []float32{rng.Float32(), rng.Float32(), 1}, Cols: cols}
	}
	for _, tn := range []string{"docs", "bare"} {
		if _, err := d.Exec(ctx, "CREATE TABLE "+tn+" (dim = 3, title TEXT, year INTEGER, score REAL, draft BOOLEAN)"); err != nil {
			t.Fatal(err)
		}
		if err := d.Insert(ctx, tn, rows...); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"year", "title", "score", "draft", "count"} {
		if _, err := d.Exec(ctx, "CREATE INDEX ON docs ("+c+")"); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// scalarPredicates are conditions of WHERE, each with whether a scalar
// index should serve it on tables of scalarScanRows rows.
var scalarPredicates = []struct {
	where   string
	indexed bool
}{
	{"year = 5", true},
	{"5 = year", true},
	{"year = 5.0", true},
	{"year IN (3, 7, 7, 99)", true},
	{"year < 4", true},
	{"year <= 4", true},
	{"year > 95", true},
	{"year >= 96 AND year <= 98", true},
	{"year > 95 AND year < 2", true}, // an empty range
	{"year >= 96 AND year > 97 AND year <= 99 AND year < 99", true},
	{"year = 5 AND year > 3", true},
	{"year > 3 AND year = 5", true},
	{"year < 20", false}, // a fifth of the rows: a scan
	{"year <> 5", false},
	{"year = 5.5", false},
	{"year = NULL", false},
	{"year IS NULL", false},
	{"NOT year = 5", false},
	{"year = 5 OR year = 6", false},
	{"year + 0 = 5", false},
	{"title = 'Alpha7'", true},
	{"title LIKE 'Alpha1%'", true},
	{"title LIKE 'Al%'", false}, // Al and Alpha: a quarter
	{"title LIKE 'Bé1%'", true},
	{"title LIKE 'Bé%'", false},
	{"title LIKE '日本4%'", true},
	{"title LIKE 'A\\_b%'", false},
	{"title LIKE 'A_b%'", false},
	{"title LIKE 'alpha3%' AND year < 50", true},
	{"title >= 'Beta' AND title < 'Beta2'", true},
	{"title LIKE 'Alpha1' ", false},
	{"NOT title LIKE 'Alpha1%'", false},
	{"title NOT LIKE 'Alpha1%'", false},
	{"score = 0", true},
	{"score = -0.0", true},
	{"score >= 0 AND score <= 0", true},
	{"score > 0 AND score < 0.05", true},
	{"score < 0 AND score >= -0.05", true},
	{"score > 2.5", true},
	{"score <= -2.5", true},
	{"score = 1", true},
	{"draft", true},
	{"draft AND year < 30", true},
	{"NOT draft", false},
	{"draft = true AND score > 1", true},
	{"count = 17", true},
	{"count IN (1, 2) AND draft", true},
	{"count < 10 AND year < 10 AND title LIKE 'B%'", true},
	{"year = 'x'", false},
	{"title LIKE 5", false},
}

// TestSelect_ScalarIndex is the differential test of the scalar index
// paths: each predicate (and random conjunctions of them) gives the same
// rows, in the same order, the same aggregates and the same errors on docs,
// which has scalar indexes, as on bare, which has none and is scanned;
// the lookup is chosen where it should be; and EXPLAIN ANALYZE runs the
// plan EXPLAIN printed, with ScalarLookup listing the rows it counted and
// the Filter above applying only the conditions the lookup does not.
func TestSelect_ScalarIndex(t *testing.T) {
	d := scalarScanDB(t)
	shapes := []string{
		"SELECT word, title, year, score, draft, count FROM %s WHERE %s",
		"SELECT word, vector FROM %s WHERE %s ORDER BY score DESC, word LIMIT 7 OFFSET 2",
		"SELECT draft, COUNT(*), SUM(year), MIN(title), MAX(score) FROM %s WHERE %s GROUP BY draft ORDER BY draft",
	}
	for _, p := range scalarPredicates {
		for i, sh := range shapes {
			got, gerr := outcome(d, on(sh, "docs", p.where))
			want, werr := outcome(d, on(sh, "bare", p.where))
			if got != want || gerr != werr {
				t.Errorf("%s:\nindexed %s %s\nscanned %s %s", on(sh, "docs", p.where), got, gerr, want, werr)
			}
			if i == 0 && gerr == "" {
				checkExplained(t, d, on(sh, "docs", p.where), p.indexed)
			}
		}
	}
	// Random conjunctions of the predicates that bind.
	rng := rand.New(rand.NewPCG(16, 5))
	var atoms []string
	for _, p := range scalarPredicates {
		if !strings.Contains(p.where, "'x'") && !strings.Contains(p.where, "LIKE 5") {
			atoms = append(atoms, p.where)
		}
	}
	for range 40 {
		conj := make([]string, 1+rng.IntN(3))
		for j := range conj {
			conj[j] = "(" + atoms[rng.IntN(len(atoms))] + ")"
		}
		where := strings.Join(conj, " AND ")
		sql := "SELECT word, year, title, score FROM %s WHERE " + where
		got, gerr := outcome(d, on(sql, "docs", ""))
		want, werr := outcome(d, on(sql, "bare", ""))
		if got != want || gerr != werr {
			t.Errorf("%s:\nindexed %s %s\nscanned %s %s", where, got, gerr, want, werr)
		}
	}
}

// TestSelect_ScalarIndexParams: ? parameters choose the lookup by their
// values, and a prepared statement run with other values gives the scan's
// rows each time.
func TestSelect_ScalarIndexParams(t *testing.T) {
	ctx := context.Background()
	d := scalarScanDB(t)
	for _, args := range [][]any{{int64(5), "Alpha1%"}, {int64(60), "%"}, {3.0, "Beta%"}, {nil, "B%"}} {
		for _, sql := range []string{
			"SELECT word FROM %s WHERE year < ? AND title LIKE ?",
			"SELECT COUNT(*) FROM %s WHERE year < ? AND title LIKE ?",
		} {
			got, gerr := outcome(d, on(sql, "docs", ""), args...)
			want, werr := outcome(d, on(sql, "bare", ""), args...)
			if got != want || gerr != werr {
				t.Errorf("%s %v:\nindexed %s %s\nscanned %s %s", sql, args, got, gerr, want, werr)
			}
		}
	}
	st, err := d.Prepare("SELECT word FROM docs WHERE year = ?")
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []int64{5, 6, 5, 99} {
		rows, err := st.Query(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		all, err := rows.All()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range all {
			got = append(got, fmt.Sprint(r...))
		}
		if want, _ := outcome(d, "SELECT word FROM bare WHERE year = ?", y); strings.Join(got, "\n") != want {
			t.Errorf("prepared, year = %d: %s, want %s", y, got, want)
		}
	}
}

// TestUpdateDelete_ScalarIndex: UPDATE and DELETE with a WHERE a scalar
// index serves change the same rows as on the table without indexes
// (through the lookup, which EXPLAIN of the same WHERE shows), and keep
// CHECK DATABASE clean, even when UPDATE changes the indexed column.
func TestUpdateDelete_ScalarIndex(t *testing.T) {
	ctx := context.Background()
	d := scalarScanDB(t)
	stmts := []string{
		"UPDATE %s SET year = year + 100, title = 'moved' WHERE year = 7",
		"UPDATE %s SET score = 0 WHERE year >= 98 AND NOT draft",
		"DELETE FROM %s WHERE year IN (3, 4)",
		"DELETE FROM %s WHERE title LIKE 'Alpha2%' AND score > 0",
		"UPDATE %s SET draft = NOT draft WHERE count < 5",
		"DELETE FROM %s WHERE score = 0",
		"UPDATE %s SET year = 'x' WHERE year = 1",
	}
	for _, s := range stmts {
		where := s[strings.Index(s, "WHERE ")+len("WHERE "):]
		if plan, err := outcome(d, "EXPLAIN SELECT word FROM docs WHERE "+where); err != "" || !strings.Contains(plan, "ScalarLookup") {
			t.Errorf("EXPLAIN SELECT ... WHERE %s: %s %s, want a ScalarLookup", where, plan, err)
		}
		_, gerr := d.Exec(ctx, on(s, "docs", ""))
		_, werr := d.Exec(ctx, on(s, "bare", ""))
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("%s: indexed %v, scanned %v", s, gerr, werr)
		}
		all := "SELECT word, title, year, score, draft, count FROM %s"
		got, _ := outcome(d, on(all, "docs", ""))
		want, _ := outcome(d, on(all, "bare", ""))
		if got != want {
			t.Fatalf("after %s the tables differ", s)
		}
		if res, err := d.Exec(ctx, "CHECK DATABASE"); err != nil || fmt.Sprint(res.Rows) != "[[ok]]" {
			t.Fatalf("after %s, CHECK DATABASE = %v %v", s, res, err)
		}
	}
}

// explainedRe splits an EXPLAIN ANALYZE line into the operator and its
// row count.
var explainedRe = regexp.MustCompile(`^(.*) \(actual rows=(\d+) time=[0-9.]+ ms\)$`)

// checkExplained runs EXPLAIN and EXPLAIN ANALYZE of sql on docs: the
// same operators, the table read by ScalarLookup when indexed (listing as
// many rows as it counted when planned) and by Scan otherwise, and a
// Filter that does not repeat what the lookup answers.
func checkExplained(t *testing.T, d *db.DB, sql string, indexed bool) {
	t.Helper()
	plain, err := outcome(d, "EXPLAIN "+sql)
	if err != "" {
		t.Fatalf("EXPLAIN %s: %s", sql, err)
	}
	analyzed, _ := outcome(d, "EXPLAIN ANALYZE "+sql)
	pl, al := strings.Split(plain, "\n"), strings.Split(analyzed, "\n")
	if len(pl) != len(al) {
		t.Fatalf("%s:\nEXPLAIN\n%s\nEXPLAIN ANALYZE\n%s", sql, plain, analyzed)
	}
	for i := range al {
		m := explainedRe.FindStringSubmatch(al[i])
		if m == nil || m[1] != pl[i] {
			t.Fatalf("%s: EXPLAIN ANALYZE ran %q where EXPLAIN printed %q", sql, al[i], pl[i])
		}
	}
	leaf := explainedRe.FindStringSubmatch(al[len(al)-1])
	switch {
	case indexed && !strings.Contains(leaf[1], "-> ScalarLookup on docs ("):
		t.Errorf("%s: the table is read by %q, want a ScalarLookup", sql, leaf[1])
	case !indexed && !strings.Contains(leaf[1], "-> Scan on docs"):
		t.Errorf("%s: the table is read by %q, want a Scan", sql, leaf[1])
	case indexed:
		// The lookup lists the rows it counted when planned.
		if !strings.Contains(leaf[1], fmt.Sprintf(", %s of %d rows by the index's count)", leaf[2], scalarScanRows)) {
			t.Errorf("%s: the lookup %q gave %s rows", sql, leaf[1], leaf[2])
		}
		if len(pl) > 2 && strings.HasPrefix(strings.TrimSpace(pl[len(pl)-2]), "-> Filter") {
			cond := leaf[1][strings.Index(leaf[1], "(")+1 : strings.Index(leaf[1], ", through")]
			if strings.Contains(pl[len(pl)-2], cond) {
				t.Errorf("%s: the Filter %q repeats the lookup's %s", sql, pl[len(pl)-2], cond)
			}
		}
	}
}

// outcome runs sql and returns its rows, one a line, or its error.
func outcome(d *db.DB, sql string, args ...any) (rows, err string) {
	res, e := d.Exec(context.Background(), sql, args...)
	if e != nil {
		return "", e.Error()
	}
	var lines []string
	for _, r := range res.Rows {
		lines = append(lines, strings.TrimSuffix(fmt.Sprintln(r...), "\n"))
	}
	return strings.Join(lines, "\n"), ""
}

// on fills in a statement's %s: the table, then where (a LIKE pattern's %
// is not fmt's).
func on(sql, table, where string) string {
	sql = strings.Replace(sql, "%s", table, 1)
	return strings.Replace(sql, "%s", where, 1)
}

// TestNearest_ScalarLikePrefix: NEAREST ... WHERE title LIKE 'p%' narrows
// its candidates through the index on the TEXT column title (a
// ScalarLookup under the exact search, in EXPLAIN and in what EXPLAIN
// ANALYZE ran), and finds the rows the exact search of the table without
// indexes finds, for ASCII and non-ASCII prefixes and beside another
// condition.
func TestNearest_ScalarLikePrefix(t *testing.T) {
	ctx := context.Background()
	d := scalarScanDB(t)
	if _, err := d.Exec(ctx, "CREATE INDEX ON docs USING hnsw"); err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{"title LIKE 'Alpha1%'", "title LIKE 'Bé1%'", "title LIKE '日本4%'", "title LIKE 'alpha3%' AND score > 0", "title LIKE 'Beta2%' AND draft", "title LIKE 'Beta%' AND NOT draft"} {
		for i, q := range []string{"[0.1, 0.9, 1]", "[0.8, 0.2, 1]"} {
			sql := "SELECT NEAREST(" + q + ", 10) FROM %s WHERE " + where
			plan, err := outcome(d, "EXPLAIN ANALYZE "+on(sql, "docs", ""))
			// The first search of a condition lists its rows through the
			// index; the next finds them kept from the first (a bitset).
			want, what := "-> ScalarLookup on docs ("+strings.Split(where, " AND ")[0]+", through the index on title) (actual rows=", "a ScalarLookup on title"
			if i > 0 {
				want, what = "the rows an earlier search found the filter holds for", "the rows kept by the first search"
			}
			if err != "" || !strings.Contains(plan, want) || (i > 0 && strings.Contains(plan, "ScalarLookup")) {
				t.Errorf("EXPLAIN ANALYZE %s:\n%s %s\nwant %s", on(sql, "docs", ""), plan, err, what)
			}
			got, gerr := outcome(d, on(sql, "docs", ""))
			want, werr := outcome(d, on(sql, "bare", ""))
			count, _ := outcome(d, "SELECT COUNT(*) FROM bare WHERE "+where)
			rows := 0
			if want != "" {
				rows = len(strings.Split(want, "\n"))
			}
			if got != want || gerr != werr || fmt.Sprint(rows) != fmt.Sprint(min(10, atoi(count))) {
				t.Errorf("%s:\nthrough the index %s %s\nexact %s %s", on(sql, "docs", ""), got, gerr, want, werr)
			}
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
