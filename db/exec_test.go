package db_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

func mustExec(tb testing.TB, d *db.DB, sql string, args ...any) *db.Result {
	tb.Helper()
	res, err := d.Exec(context.Background(), sql, args...)
	if err != nil {
		tb.Fatalf("Exec(%q): %v", sql, err)
	}
	return res
}

// TestExec_Walkthrough runs the README's main job and checks what it
// prints: five neighbours of python, best first, python itself left out; a
// similarity that is the cosine of the two vectors; a vector of length 100.
func TestExec_Walkthrough(t *testing.T) {
	t.Chdir("..") // the script's paths are relative to the repository root
	src, err := os.ReadFile("testdata/walkthrough.sql")
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(filepath.Join(t.TempDir(), "w.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stmts, err := query.Parse(string(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 4 {
		t.Fatalf("walkthrough has %d statements, want 4", len(stmts))
	}
	var results [][][]any
	for _, s := range stmts {
		rows, err := d.Run(context.Background(), s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		all, err := rows.All()
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, all)
	}
	train := results[0][0]
	if train[0] != "w2v" || train[1] != int64(26) || train[2] != int64(17) || train[3] != int64(100) {
		t.Fatalf("TRAIN = %v, want table w2v, 26 words, vocabulary 17, vector_size 100", train)
	}
	near := results[1]
	if len(near) != 5 {
		t.Fatalf("NEAREST gave %d rows, want 5", len(near))
	}
	vocab := "love programming in python is versatile language machine learning fascinating deep subset of natural processing field ai"
	prev := float32(2)
	for _, r := range near {
		w, sim := r[0].(string), r[1].(float32)
		if w == "python" || !strings.Contains(" "+vocab+" ", " "+w+" ") {
			t.Errorf("NEAREST gave %q: not another word of the vocabulary", w)
		}
		if sim > prev || sim < -1 || sim > 1 {
			t.Errorf("similarity %v after %v: not sorted best first within [-1, 1]", sim, prev)
		}
		prev = sim
	}
	sim := results[2][0][0].(float32)
	py := results[3][0][0].([]float32)
	if len(py) != 100 {
		t.Fatalf("VECTOR('python') has length %d, want 100", len(py))
	}
	lang := mustExec(t, d, "SELECT VECTOR('language') FROM w2v").Rows[0][0].([]float32)
	if c := cosine(py, lang); math.Abs(c-float64(sim)) > 1e-6 {
		t.Fatalf("SIMILARITY = %v, cosine of the VECTORs = %v", sim, c)
	}
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

// TestExec_TrainDeterministic: with workers = 1 and a seed, two trainings
// give the same table bit for bit.
func TestExec_TrainDeterministic(t *testing.T) {
	d := MustOpenDB(t)
	corpus := "../testdata/train-data.txt"
	mustExec(t, d, "TRAIN a FROM ? WITH (vector_size = 16, min_count = 1, workers = 1, seed = 7, sg = 1)", corpus)
	mustExec(t, d, "TRAIN b FROM ? WITH (vector_size = 16, min_count = 1, workers = 1, seed = 7, sg = 1)", corpus)
	a := mustExec(t, d, "SELECT word, count, vector FROM a").Rows
	b := mustExec(t, d, "SELECT word, count, vector FROM b").Rows
	if len(a) != 17 || len(a) != len(b) {
		t.Fatalf("%d and %d rows, want 17", len(a), len(b))
	}
	for i := range a {
		va, vb := a[i][2].([]float32), b[i][2].([]float32)
		if a[i][0] != b[i][0] || a[i][1] != b[i][1] {
			t.Fatalf("row %d: %v vs %v", i, a[i][:2], b[i][:2])
		}
		for j := range va {
			if math.Float32bits(va[j]) != math.Float32bits(vb[j]) {
				t.Fatalf("row %d (%s) element %d: %v vs %v", i, a[i][0], j, va[j], vb[j])
			}
		}
	}
	// Most frequent first, as gensim orders its vocabulary.
	if a[0][0] != "is" || a[0][1] != int64(4) {
		t.Fatalf("first row %v, want is (4 times)", a[0][:2])
	}
}

// TestExec_NearestGensim compares NEAREST and SIMILARITY with gensim's
// most_similar and similarity on the same vectors (testdata/nearest.golden.json,
// made by testdata/gen_nearest.py).
func TestExec_NearestGensim(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'")
	raw, err := os.ReadFile("testdata/nearest.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			Positive, Negative []string
			Topn               int
			Result             [][2]any
		}
		Similarity [][3]any
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	for _, index := range []bool{false, true} {
		if index {
			mustExec(t, d, "CREATE INDEX ON v USING hnsw WITH (ef_construction = 200)")
			mustExec(t, d, "SET ef_search = 400") // 300 rows: the graph search is exhaustive
		}
		for _, c := range golden.Cases {
			expr, args := analogyExpr(c.Positive, c.Negative)
			sql := "SELECT NEAREST(" + expr + ", ?) FROM v"
			args = append(args, c.Topn)
			got := mustExec(t, d, sql, args...).Rows
			if len(got) != len(c.Result) {
				t.Fatalf("%s %v: %d rows, want %d", sql, args, len(got), len(c.Result))
			}
			if !index {
				for i, want := range c.Result {
					if got[i][0] != want[0] || math.Abs(float64(got[i][1].(float32))-want[1].(float64)) > 2e-6 {
						t.Errorf("%s %v row %d = %v, gensim says %v", sql, args, i, got[i], want)
					}
				}
				continue
			}
			// The graph is approximate and, built on two threads, not the
			// same twice: every answer must carry gensim's similarity for its
			// word, and nearly all of gensim's words must be found.
			sims := map[any]float64{}
			for _, want := range c.Result {
				sims[want[0]] = want[1].(float64)
			}
			found := 0
			for _, r := range got {
				if want, ok := sims[r[0]]; ok {
					found++
					if math.Abs(float64(r[1].(float32))-want) > 2e-6 {
						t.Errorf("index: %s %v: %v, gensim says %v", sql, args, r, want)
					}
				}
			}
			if found < len(c.Result)-2 {
				t.Errorf("index: %s %v found %d of gensim's %d: %v", sql, args, found, len(c.Result), got)
			}
		}
	}
	for _, s := range golden.Similarity {
		got := mustExec(t, d, "SELECT SIMILARITY(?, ?) FROM v", s[0], s[1]).Rows[0][0].(float32)
		if math.Abs(float64(got)-s[2].(float64)) > 2e-6 {
			t.Errorf("SIMILARITY(%v, %v) = %v, gensim says %v", s[0], s[1], got, s[2])
		}
	}
}

func TestExec_Select(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', 3, [0.1, 0.2, 0.3]), ('dog', 5, [0.1, 0.25, 0.3]),
			('fish', 1, [0.9, -0.2, 0.1]), ('catfish', 2, [0.5, 0, 0.2])`)
	tests := []struct {
		sql  string
		want string
	}{
		{"SELECT word FROM pets", "cat;dog;fish;catfish"},
		{"SELECT word, count FROM pets WHERE word LIKE 'cat%' ORDER BY count DESC", "catfish 2;cat 3"[0:0] + "cat 3;catfish 2"},
		{"SELECT word FROM pets WHERE word LIKE '%fish'", "fish;catfish"},
		{"SELECT word FROM pets WHERE word NOT LIKE 'c%'", "dog;fish"},
		{"SELECT word FROM pets WHERE count > 1 AND count < 5", "cat;catfish"},
		{"SELECT word FROM pets WHERE word IN ('dog', 'cow', 'fish')", "dog;fish"},
		{"SELECT word FROM pets WHERE id = 2 OR word = 'cat'", "cat;fish"},
		{"SELECT word FROM pets ORDER BY count LIMIT 2 OFFSET 1", "catfish;cat"},
		{"SELECT word AS w FROM pets ORDER BY w DESC LIMIT 1", "fish"},
		{"SELECT word, count * 2 + 1 FROM pets WHERE word = 'dog'", "dog 11"},
		{"SELECT COUNT(*) FROM pets", "4"},
		{"SELECT COUNT(*) FROM pets WHERE count >= 3", "2"},
		{"SELECT NEAREST('cat', 2) FROM pets", "dog 0.99449027;catfish 0.54592085"},
		{"SELECT NEAREST('cat', 3) FROM pets WHERE word <> 'dog'", "catfish 0.54592085;fish 0.23055616"},
		{"SELECT NEAREST([1, 0, 0], 1) FROM pets", "fish 0.970495"},
		{"SELECT word FROM pets ORDER BY SIMILARITY(vector, VECTOR('fish')) DESC LIMIT 2", "fish;catfish"},
		{"SELECT DIM([1, 2, 3]), NORM([3, 4]), DOT([1, 2], [3, 4]), DISTANCE([0, 0], [3, 4])", "3 5 11 5"},
		{"SELECT VECTOR('cat') * 2 - [0.2, 0.4, 0.6] FROM pets", "[0 0 0]"},
		{"SELECT 7 / 2, 6 / 3, -(1 + 2)", "3.5 2 -3"},
		{"SELECT word FROM pets WHERE vector = [0.1, 0.2, 0.3]", "cat"},
		{"SELECT word FROM pets WHERE word = 'nope'", ""},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			res := mustExec(t, d, tt.sql)
			var lines []string
			for _, r := range res.Rows {
				var parts []string
				for _, v := range r {
					parts = append(parts, formatValue(v))
				}
				lines = append(lines, strings.Join(parts, " "))
			}
			if got := strings.Join(lines, ";"); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.sql, got, tt.want)
			}
		})
	}
}

func formatValue(v any) string {
	switch x := v.(type) {
	case float32:
		return strconvFloat32(x)
	case []float32:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = strconvFloat32(f)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return strings.TrimSpace(strings.ReplaceAll(fmtAny(v), "\n", " "))
}

func TestExec_Params(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 2)")
	mustExec(t, d, "INSERT INTO t VALUES (?, ?), (?, ?)", "a", []float32{1, 0}, "b", []float64{0.6, 0.8})
	rows, err := d.Query(context.Background(), "SELECT NEAREST(?, ?) FROM t", "a", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	var word string
	var sim float64
	if err := rows.Scan(&word, &sim); err != nil {
		t.Fatal(err)
	}
	if word != "b" || math.Abs(sim-0.6) > 1e-6 {
		t.Fatalf("NEAREST(a) = %s %v, want b 0.6", word, sim)
	}
	if rows.Next() {
		t.Fatal("more than one row")
	}
	if _, err := d.Query(context.Background(), "SELECT NEAREST(?, ?) FROM t", "a"); err == nil {
		t.Fatal("a missing parameter was not reported")
	}
}

func TestExec_FailedStatementsChangeNothing(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2])")
	for _, sql := range []string{
		"INSERT INTO t VALUES ('b', [1, 2]), ('c', [1, 2, 3])",             // second row too long
		"INSERT INTO t VALUES ('b', [1, 2]), ('a', [3, 4])",                // duplicate
		"DELETE FROM t WHERE word = 'a' AND SIMILARITY(vector, 'zzz') > 0", // unknown word
		"TRAIN t FROM '../testdata/train-data.txt' WITH (min_count = 1)",   // exists
		"TRAIN u FROM '../testdata/train-data.txt' WITH (vector_size = 0)", // bad parameter
		"IMPORT u FROM 'testdata/nope.txt'",
		"CREATE INDEX ON t USING ivfflat",
	} {
		if _, err := d.Exec(ctx, sql); err == nil {
			t.Fatalf("%s: no error", sql)
		}
	}
	res := mustExec(t, d, "SELECT word, vector FROM t")
	if len(res.Rows) != 1 || res.Rows[0][0] != "a" {
		t.Fatalf("rows after failed statements: %v", res.Rows)
	}
	if infos, _ := d.Tables(ctx); len(infos) != 1 {
		t.Fatalf("tables after failed statements: %d, want 1", len(infos))
	}

	// A TRAIN cancelled half-way leaves no table.
	cctx, cancel := context.WithCancel(ctx)
	cctx = db.WithProgress(cctx, func(p db.Progress) { cancel() })
	_, err := d.Exec(cctx, "TRAIN big FROM '../testdata/train-data.txt' WITH (min_count = 1, epochs = 100000, workers = 1)")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled TRAIN = %v, want context.Canceled", err)
	}
	if _, err := d.Table(ctx, "big"); !errors.Is(err, db.ErrNoTable) {
		t.Fatalf("cancelled TRAIN left a table: %v", err)
	}
}

func TestExec_TrainUpdate(t *testing.T) {
	d := MustOpenDB(t)
	dir := t.TempDir()
	more := filepath.Join(dir, "more.txt")
	if err := os.WriteFile(more, []byte("Python is a snake.\nA snake is a reptile.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "TRAIN w FROM '../testdata/train-data.txt' WITH (vector_size = 8, min_count = 1, workers = 1, sg = 1, window = 3)")
	before := mustExec(t, d, "SELECT count FROM w WHERE word = 'python'").Rows[0][0].(int64)
	if _, err := d.Exec(context.Background(), "TRAIN w FROM ? WITH (min_count = 1)", more); !errors.Is(err, db.ErrTableExists) {
		t.Fatalf("TRAIN into an existing table without update = %v, want ErrTableExists", err)
	}
	mustExec(t, d, "CREATE INDEX ON w USING hnsw")
	res := mustExec(t, d, "TRAIN w FROM ? WITH (min_count = 1, update = true, workers = 1)", more)
	if res.Rows[0][2] != int64(19) {
		t.Fatalf("vocabulary after update = %v, want 19 (17 + snake, reptile)", res.Rows[0][2])
	}
	after := mustExec(t, d, "SELECT count FROM w WHERE word = 'python'").Rows[0][0].(int64)
	if after != before+1 {
		t.Fatalf("count of python = %d after update, want %d", after, before+1)
	}
	if n := len(mustExec(t, d, "SELECT NEAREST('snake', 3) FROM w").Rows); n != 3 {
		t.Fatalf("NEAREST on the updated table gave %d rows", n)
	}
	info, _ := d.Table(context.Background(), "w")
	// The update keeps the parameters it was not given (gensim reuses the model's).
	if info.Provenance["sg"] != float64(1) || info.Provenance["window"] != float64(3) {
		t.Errorf("after update sg = %v, window = %v; want the table's 1 and 3", info.Provenance["sg"], info.Provenance["window"])
	}
	if info.Index == nil || info.Index.Upto != 19 {
		t.Fatalf("index after update = %+v, want rebuilt over 19 rows", info.Index)
	}
}

// TestExec_Nearest_AfterDeletingAChunk: NEAREST after a DELETE that
// emptied whole chunks said "database file is corrupt: bad row chunk":
// DELETE removes an empty chunk's words but keeps its zeroed vectors,
// and the exact search took the missing words for damage.
func TestExec_Nearest_AfterDeletingAChunk(t *testing.T) {
	d := MustOpenDB(t)
	words, _, vecs := randRows(3000, 100, 9)
	bulkLoad(t, d, "v", 100, words, nil, vecs)
	mustExec(t, d, "DELETE FROM v WHERE id < 1000") // chunks of 163 rows: the first six go
	got := mustExec(t, d, "SELECT NEAREST(VECTOR('w2500'), 3) FROM v").Rows
	if len(got) != 3 {
		t.Fatalf("NEAREST after the DELETE = %v", got)
	}
	mustExec(t, d, "SET exact = on")
	for _, r := range mustExec(t, d, "SELECT NEAREST(VECTOR('w2500'), 2000) FROM v").Rows {
		var id int
		fmt.Sscanf(r[0].(string), "w%d", &id)
		if id < 1000 {
			t.Fatalf("NEAREST found deleted row %v", r)
		}
	}
	if p, err := d.Check(context.Background()); err != nil || len(p) > 0 {
		t.Fatalf("Check = %v, %v", p, err)
	}
}

// analogyExpr writes gensim's positive and negative words as a sum of
// VECTOR(?) terms, with their words as the arguments.
func analogyExpr(positive, negative []string) (string, []any) {
	var terms []string
	var args []any
	for _, p := range positive {
		terms = append(terms, "+ VECTOR(?)")
		args = append(args, p)
	}
	for _, n := range negative {
		terms = append(terms, "- VECTOR(?)")
		args = append(args, n)
	}
	return strings.TrimPrefix(strings.Join(terms, " "), "+ "), args
}
