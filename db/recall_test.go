package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// recallTolerance is how far below SET recall's target the recall on
// unseen queries may fall: the calibration is an estimate from 200 of the
// table's own rows.
const recallTolerance = 0.03

// splitWordVectors writes the rows of a word2vec text file but every
// every-th to a new file and returns its path and the vectors of the rows
// left out, which serve as queries the index has never seen. (Rows are
// left out evenly, not from the end: the file is ordered by frequency, and
// the rarest words are not queries like the table's rows.)
func splitWordVectors(t *testing.T, src string, every int) (string, [][]float32) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	dim, err := strconv.Atoi(strings.Fields(lines[0])[1])
	if err != nil {
		t.Fatal(err)
	}
	var keep, out []string
	for i, r := range lines[1:] {
		if i%every == every-1 {
			out = append(out, r)
		} else {
			keep = append(keep, r)
		}
	}
	path := filepath.Join(t.TempDir(), "part.txt")
	body := fmt.Sprintf("%d %d\n%s\n", len(keep), dim, strings.Join(keep, "\n"))
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var qs [][]float32
	for _, r := range out {
		f := strings.Fields(r)[1:]
		q := make([]float32, len(f))
		for i, s := range f {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				t.Fatal(err)
			}
			q[i] = float32(x)
		}
		qs = append(qs, q)
	}
	return path, qs
}

// nearestIDs returns the words of SELECT NEAREST(q, 10) FROM w.
func nearestWords(t *testing.T, d *db.DB, q []float32) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, r := range mustExec(t, d, "SELECT NEAREST(?, 10) FROM w", q).Rows {
		out[r[0].(string)] = true
	}
	return out
}

// TestSetRecall builds deliberately weak indexes (m 4, ef_construction 16)
// over 1,500 real word vectors, asks for recall targets with SET recall,
// and checks on the 250 word vectors left out of the table (every 7th) that NEAREST
// reaches each target within recallTolerance, that EXPLAIN shows the
// chosen ef_search and the estimate, and that SET ef_search takes over
// again.
func TestSetRecall(t *testing.T) {
	path, qs := splitWordVectors(t, "../index/testdata/lee24.txt", 7)
	for _, with := range []string{"m = 4, ef_construction = 16", "m = 4, ef_construction = 16, quantization = 'int8'"} {
		t.Run(with, func(t *testing.T) {
			d, _ := openAt(t)
			mustExec(t, d, fmt.Sprintf("IMPORT w FROM '%s' WITH (format = 'word2vec')", path))
			// The exact answers, before there is an index (SET exact = on
			// over a quantized index scans its codes).
			exact := make([]map[string]bool, len(qs))
			for i, q := range qs {
				exact[i] = nearestWords(t, d, q)
			}
			mustExec(t, d, "CREATE INDEX ON w USING hnsw WITH ("+with+")")
			recallAt := func() float64 {
				hits, total := 0, 0
				for i, q := range qs {
					for w := range nearestWords(t, d, q) {
						if exact[i][w] {
							hits++
						}
					}
					total += len(exact[i])
				}
				return float64(hits) / float64(total)
			}
			mustExec(t, d, "SET ef_search = 10")
			if r := recallAt(); r > 0.9 {
				t.Fatalf("recall %.3f at ef_search 10: the graph is too good for this test", r)
			}
			served := 0 // targets a graph setting was chosen for
			for _, target := range []float64{0.9, 0.95, 0.99} {
				mustExec(t, d, fmt.Sprintf("SET recall = %g", target))
				plan := mustExec(t, d, "EXPLAIN SELECT NEAREST('the', 10) FROM w").Rows[0][0].(string)
				if strings.HasPrefix(plan, "ExactSearch") && strings.Contains(plan, fmt.Sprintf("for recall %g: no ef_search tried reached it", target)) {
					// A graph this weak (m 4) may leave rows that no walk
					// reaches: its recall then stops rising below the
					// target, and the honest answer is an exact search.
					if got := recallAt(); got != 1 {
						t.Errorf("SET recall = %g fell back to %s but found recall %.4f", target, plan, got)
					}
					t.Logf("SET recall = %g: no setting reached it; %s", target, plan)
					continue
				}
				if !strings.Contains(plan, fmt.Sprintf("chosen for recall %g: recall@10 ", target)) {
					t.Fatalf("EXPLAIN at SET recall = %g: %s", target, plan)
				}
				served++
				got := recallAt()
				t.Logf("SET recall = %g: %.4f on unseen queries; %s", target, got, plan)
				if got < target-recallTolerance {
					t.Errorf("SET recall = %g: recall@10 %.4f on unseen queries, want >= %.2f (%s)", target, got, target-recallTolerance, plan)
				}
			}
			if served == 0 {
				t.Errorf("no recall target was served by the graph: the calibration reached none of 0.9, 0.95, 0.99")
			}
			mustExec(t, d, "SET recall = 1")
			if plan := mustExec(t, d, "EXPLAIN SELECT NEAREST('the', 10) FROM w").Rows[0][0].(string); !strings.HasPrefix(plan, "ExactSearch") {
				t.Errorf("SET recall = 1 planned %s, want an exact search", plan)
			}
			if r := recallAt(); r != 1 {
				t.Errorf("SET recall = 1: recall %.4f", r)
			}
			mustExec(t, d, "SET ef_search = 10")
			if plan := mustExec(t, d, "EXPLAIN SELECT NEAREST('the', 10) FROM w").Rows[0][0].(string); strings.Contains(plan, "recall") || !strings.Contains(plan, "ef_search 10") {
				t.Errorf("SET ef_search after SET recall: %s", plan)
			}
		})
	}
}

// TestSetRecall_Errors checks SET recall's values and an index saved
// without a calibration.
func TestSetRecall_Errors(t *testing.T) {
	d, _ := openAt(t)
	for _, v := range []string{"1.5", "-0.1", "'high'", "on"} {
		_, err := d.Exec(context.Background(), "SET recall = "+v)
		if err == nil || !strings.Contains(err.Error(), "recall must be a number above 0 and at most 1") {
			t.Errorf("SET recall = %s: %v", v, err)
		}
	}
	mustExec(t, d, "SET recall = off")
	mustExec(t, d, "SET recall = 0")
}

// TestQuantizedIndex_DefaultRescore: an index created without rescore
// records the default depth (4), which EXPLAIN shows and a dump repeats
// (0 was saved, which CREATE INDEX refuses), and keeps its recall
// calibration out of what DESCRIBE calls the index's options only as
// index.recall_calibration.
func TestQuantizedIndex_DefaultRescore(t *testing.T) {
	d, _ := openAt(t)
	mustExec(t, d, "IMPORT w FROM '../index/testdata/lee24.txt' WITH (format = 'word2vec')")
	mustExec(t, d, "CREATE INDEX ON w USING hnsw WITH (quantization = 'int8')")
	plan := mustExec(t, d, "EXPLAIN SELECT NEAREST('the', 10) FROM w").Rows[0][0].(string)
	if !strings.Contains(plan, "rescoring the best 4 × k") {
		t.Errorf("EXPLAIN: %s", plan)
	}
	props := describeProps(t, d, "w")
	if props["index.rescore"] != "4" {
		t.Errorf("DESCRIBE index.rescore = %q, want 4", props["index.rescore"])
	}
	if !strings.HasPrefix(props["index.recall_calibration"], "k=10 queries=175 ") {
		t.Errorf("DESCRIBE index.recall_calibration = %q, want the calibration on 175 rows (a tenth of 1,750)", props["index.recall_calibration"])
	}
}

// describeProps is DESCRIBE table as property -> value, both as text.
func describeProps(tb testing.TB, d *db.DB, table string) map[string]string {
	tb.Helper()
	props := map[string]string{}
	for _, r := range mustExec(tb, d, "DESCRIBE "+table).Rows {
		props[fmt.Sprint(r[0])] = fmt.Sprint(r[1])
	}
	return props
}
