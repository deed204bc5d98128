package db_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/index"
)

// randomVectors returns n seeded random vectors of length dim.
func randomVectors(n, dim int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dim)
		for j := range out[i] {
			out[i][j] = float32(rng.NormFloat64())
		}
	}
	return out
}

// rowVector returns the stored vector of word in table t.
func rowVector(t *testing.T, d *db.DB, word string) []float32 {
	t.Helper()
	res := mustExec(t, d, "SELECT vector FROM t WHERE word = ?", word)
	if len(res.Rows) != 1 {
		t.Fatalf("%s: %d rows", word, len(res.Rows))
	}
	return res.Rows[0][0].([]float32)
}

// expressRan runs the prepared NEAREST with q and k, checks its answer
// against the ordinary path's, and reports whether the express path
// answered it.
func expressRan(t *testing.T, d *db.DB, s *db.Stmt, q, k any) bool {
	t.Helper()
	n := db.ExpressRuns(s)
	sameAsUnprepared(t, d, s, q, k)
	return db.ExpressRuns(s) > n
}

// TestStmt_ExpressVector: a prepared NEAREST run with a []float32 query
// vector is answered by the express path, with the rows of the statement
// run the ordinary way to the last bit; a vector the search refuses (the
// wrong length, NaN, Inf, all zeros) or of another Go type ([]float64,
// which the ordinary path converts) is left to the ordinary path, which
// answers or fails as it always has.
func TestStmt_ExpressVector(t *testing.T) {
	d, _ := expressDB(t)
	s, err := d.Prepare(expressSQL)
	if err != nil {
		t.Fatal(err)
	}
	sameAsUnprepared(t, d, s, "w0", 10) // the ordinary run that keeps the entry
	vecs := randomVectors(60, 8, 3)
	// Row vectors too, which the answer then holds (no word is left out:
	// the query is a vector, not a word).
	for _, w := range []string{"w0", "w17", "w299"} {
		vecs = append(vecs, rowVector(t, d, w))
	}
	ks := []any{1, 3, 10, 16, 17, 40, int64(5), 5.0}
	for i, v := range vecs {
		k := ks[i%len(ks)]
		if !expressRan(t, d, s, v, k) {
			t.Fatalf("NEAREST(vector %d, %v) did not take the express path", i, k)
		}
		// Words and vectors take turns on the same entry.
		if !expressRan(t, d, s, fmt.Sprintf("w%d", i), k) {
			t.Fatalf("NEAREST('w%d', %v) after a vector did not take the express path", i, k)
		}
	}
	if got := sameAsUnprepared(t, d, s, rowVector(t, d, "w17"), 3); got[0][0] != "w17" {
		t.Fatalf("nearest to the vector of w17: %v, want w17 first", got)
	}
	nan, inf, zero := make([]float32, 8), make([]float32, 8), make([]float32, 8)
	nan[3], inf[5] = float32(math.NaN()), float32(math.Inf(-1))
	var nilVec []float32
	for name, q := range map[string]any{
		"short": make([]float32, 7)[:7], "long": append(vecs[0][:8:8], 1), "empty": []float32{}, "nil": nilVec,
		"NaN": nan, "Inf": inf, "zero": zero,
		"float64": []float64{1, 2, 3, 4, 5, 6, 7, 8}, "float64 short": []float64{1}, "int": []int{1, 2, 3, 4, 5, 6, 7, 8},
	} {
		for _, k := range []any{3, 0, "x"} {
			if expressRan(t, d, s, q, k) {
				t.Fatalf("NEAREST(%s vector %v, %v) took the express path", name, q, k)
			}
		}
	}
	// The ordinary path answers the []float64 (converted): the check above
	// compared it; it must have answered, not failed.
	if _, err := answer(s, context.Background(), []float64{1, 2, 3, 4, 5, 6, 7, 8}, 3); err != nil {
		t.Fatalf("NEAREST([]float64, 3): %v", err)
	}
}

// TestStmt_ExpressVectorMetrics: on a table of another metric the express
// path takes query vectors, which read no row there either, but not words,
// whose query vector there is the row's own, read from the table
// (nearestQuery), not the graph's.
func TestStmt_ExpressVectorMetrics(t *testing.T) {
	for _, metric := range []string{"euclidean", "dot"} {
		t.Run(metric, func(t *testing.T) {
			d := MustOpenDB(t)
			var sb strings.Builder
			fmt.Fprintf(&sb, "CREATE TABLE t (dim = 8, metric = '%s'); INSERT INTO t VALUES ", metric)
			for i, v := range randomVectors(200, 8, 11) {
				if i > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(&sb, "('w%d', %s)", i, vectorLiteral(v))
			}
			mustExec(t, d, sb.String())
			mustExec(t, d, "CREATE INDEX ON t USING hnsw")
			s, err := d.Prepare(expressSQL)
			if err != nil {
				t.Fatal(err)
			}
			sameAsUnprepared(t, d, s, "w0", 5)
			for i, v := range randomVectors(30, 8, 12) {
				if !expressRan(t, d, s, v, 5) {
					t.Fatalf("NEAREST(vector %d, 5) did not take the express path", i)
				}
				if expressRan(t, d, s, fmt.Sprintf("w%d", i), 5) {
					t.Fatalf("NEAREST('w%d', 5) took the express path on a %s table", i, metric)
				}
			}
		})
	}
}

// vectorLiteral writes v as a vector literal of the language.
func vectorLiteral(v []float32) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, f := range v {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%v", f)
	}
	sb.WriteByte(']')
	return sb.String()
}

// TestStmt_ExpressRecall: under SET recall = r, a prepared NEAREST whose
// plan searches the index at the calibrated ef_search takes the express
// path with that setting (the answers are the ordinary path's), follows a
// new SET recall at once, and leaves to the ordinary path the exact
// search that a recall of 1 plans. The high target is the best recall the
// index's calibration reached, rounded down: the index of these 300 rows
// is built on several threads, and about one build in a hundred stops its
// calibration (a plateau on 30 rows) below 0.99, and then SET recall =
// 0.99 plans an exact search, correctly but not what this test is about.
func TestStmt_ExpressRecall(t *testing.T) {
	d, _ := expressDB(t)
	s, err := d.Prepare(expressSQL)
	if err != nil {
		t.Fatal(err)
	}
	vecs := randomVectors(20, 8, 9)
	hi := calibratedTop(t, d, "t")
	if hi < 0.9 {
		t.Fatalf("calibration reached recall %v at best, want at least 0.9 on 300 rows", hi)
	}
	top := strconv.FormatFloat(hi, 'f', 2, 64)
	for _, r := range []string{top, "0.9", top, "1", "0.85"} {
		mustExec(t, d, "SET recall = "+r)
		exact := r == "1"
		plan := mustExec(t, d, "EXPLAIN "+expressSQL, "w0", 5).Rows[0][0].(string)
		if strings.HasPrefix(plan, "HNSWSearch") == exact || !strings.Contains(plan, "recall "+r) {
			t.Fatalf("SET recall = %s: EXPLAIN says %s", r, plan)
		}
		for i, v := range vecs {
			for _, q := range []any{v, fmt.Sprintf("w%d", i)} {
				// The first run after the SET plans again: the ordinary path.
				if ran := expressRan(t, d, s, q, 5); ran == exact && i > 0 {
					t.Fatalf("SET recall = %s (%s): NEAREST(%v, 5) express path taken: %v, want %v", r, plan, q, ran, !exact)
				}
			}
		}
	}
}

// calibratedTop is the best recall@10 below 1 that table's index reached
// in its calibration (DESCRIBE's index.recall_calibration), rounded down to
// two decimals: a target SET recall can meet through the graph.
func calibratedTop(t *testing.T, d *db.DB, table string) float64 {
	t.Helper()
	c, err := index.ParseCalibration(describeProps(t, d, table)["index.recall_calibration"])
	if err != nil {
		t.Fatal(err)
	}
	best := 0.0
	for _, p := range c.Points {
		best = max(best, p.Recall)
	}
	return math.Floor(min(best, 0.99)*100+1e-9) / 100
}
