package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// nearestOf returns NEAREST(word, 10) as word -> similarity, best first in
// order.
func nearestOf(tb testing.TB, d *db.DB, table, word string) ([]string, map[string]float32) {
	tb.Helper()
	res := mustExec(tb, d, fmt.Sprintf("SELECT NEAREST(?, 10) FROM %s", table), word)
	words := make([]string, len(res.Rows))
	sims := map[string]float32{}
	for i, r := range res.Rows {
		words[i] = r[0].(string)
		sims[words[i]] = r[1].(float32)
	}
	return words, sims
}

// quantCase is one index of TestQuantizedIndex_*: its WITH list, the
// recall@10 floors through the graph and by a scan of the codes, and the
// quantization name.
type quantCase struct {
	with        string
	graph, scan float64
	quant       string
}

// TestQuantizedIndex_RealVectors trains word vectors on two Wikipedia
// shards of ../shared and checks quantized indexes on them (see
// checkQuantized).
func TestQuantizedIndex_RealVectors(t *testing.T) {
	dir := sharedTestdata(t)
	if testing.Short() || raceEnabled {
		t.Skip("trains Word2Vec on 310,000 words: not in -short, and minutes under -race")
	}
	d, path := openAt(t)
	// Two shards: fewer give vectors too alike (cosine 0.999 between most
	// words) for any 8-bit code to rank.
	wiki := filepath.Join(dir, "corpus", "wikipedia")
	mustExec(t, d, fmt.Sprintf("TRAIN w FROM '%s', '%s' WITH (vector_size = 128, min_count = 5, workers = 1)",
		filepath.Join(wiki, "wiki_AA_00.txt.gz"), filepath.Join(wiki, "wiki_AA_01.txt.gz")))
	checkQuantized(t, d, path, 300, []quantCase{
		{"quantization = 'int8', rescore = 4", 0.95, 0.97, "int8"},
		// Binary codes rank word vectors less well: they are for wide LLM
		// embeddings (0.92 measured on these frequent words).
		{"quantization = 'binary', rescore = 10", 0.8, 0.8, "binary"},
	})
}

// TestQuantizedIndex_WordVectors does the same on the real 24-d gensim
// vectors of index/testdata (1,750 words), small enough for -race.
func TestQuantizedIndex_WordVectors(t *testing.T) {
	d, path := openAt(t)
	mustExec(t, d, "IMPORT w FROM '../index/testdata/lee24.txt' WITH (format = 'word2vec')")
	checkQuantized(t, d, path, 200, []quantCase{
		{"quantization = 'int8', rescore = 4", 0.97, 0.99, "int8"},
		// 24 bits a word are very few: a deep rescore.
		{"quantization = 'binary', rescore = 16", 0.7, 0.7, "binary"},
	})
}

func openAt(t *testing.T) (*db.DB, string) {
	path := filepath.Join(t.TempDir(), "q.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, path
}

// checkQuantized measures, for each case, recall@10 of NEAREST on the nq
// most frequent words of table w against the exact answer, through the
// graph and through SET exact = on (a scan of the codes); checks that
// every similarity returned is the exact one (rescored), that EXPLAIN and
// DESCRIBE show the codes; and that the last index survives VACUUM,
// BACKUP and reopening with the same answers. It closes d.
func checkQuantized(t *testing.T, d *db.DB, path string, nq int, cases []quantCase) {
	ctx := context.Background()
	words := []string{}
	for _, r := range mustExec(t, d, fmt.Sprintf("SELECT word FROM w ORDER BY count DESC, id LIMIT %d", nq)).Rows {
		words = append(words, r[0].(string))
	}
	// The exact answers, before any index.
	exact := map[string][]string{}
	exactSim := map[string]map[string]float32{}
	for _, w := range words {
		exact[w], exactSim[w] = nearestOf(t, d, "w", w)
	}
	recall := func(label string) float64 {
		hits, total := 0, 0
		for _, w := range words {
			got, sims := nearestOf(t, d, "w", w)
			want := map[string]bool{}
			for _, x := range exact[w] {
				want[x] = true
			}
			for _, x := range got {
				if want[x] {
					hits++
					if sims[x] != exactSim[w][x] {
						t.Fatalf("%s: %s ~ %s: similarity %v, exact %v", label, w, x, sims[x], exactSim[w][x])
					}
				}
			}
			total += len(exact[w])
		}
		r := float64(hits) / float64(total)
		t.Logf("%s: recall@10 %.4f", label, r)
		return r
	}
	for _, c := range cases {
		mustExec(t, d, "DROP INDEX IF EXISTS ON w")
		mustExec(t, d, "SET exact = off")
		mustExec(t, d, "CREATE INDEX ON w USING hnsw WITH ("+c.with+")")
		if r := recall(c.quant + " graph"); r < c.graph {
			t.Errorf("%s: recall@10 through the graph %.4f, want >= %.2f", c.with, r, c.graph)
		}
		codes := c.quant + " codes"
		plan := fmt.Sprint(mustExec(t, d, "EXPLAIN SELECT NEAREST('the', 10) FROM w").Rows)
		if !strings.Contains(plan, codes) || !strings.Contains(plan, "rescoring the best") {
			t.Errorf("EXPLAIN = %s, want the codes and the rescore depth", plan)
		}
		mustExec(t, d, "SET exact = on")
		if r := recall(c.quant + " code scan"); r < c.scan {
			t.Errorf("%s: recall@10 of the code scan %.4f, want >= %.2f", c.with, r, c.scan)
		}
		plan = fmt.Sprint(mustExec(t, d, "EXPLAIN SELECT NEAREST('the', 10) FROM w").Rows)
		if !strings.Contains(plan, "exact scan of the "+codes) {
			t.Errorf("EXPLAIN with exact = on: %s", plan)
		}
		mustExec(t, d, "SET exact = off")
		desc := fmt.Sprint(mustExec(t, d, "DESCRIBE w").Rows)
		for _, want := range []string{"[index.quantization " + c.quant + "]", "index.memory", "index.bytes_per_vector", "index.code_bytes"} {
			if !strings.Contains(desc, want) {
				t.Errorf("DESCRIBE lacks %q: %s", want, desc)
			}
		}
	}
	// The last index survives VACUUM, BACKUP and reopening.
	last := cases[len(cases)-1].quant
	before := map[string][]string{}
	some := words[:min(50, len(words))]
	for _, w := range some {
		before[w], _ = nearestOf(t, d, "w", w)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	mustExec(t, d, "VACUUM; BACKUP TO '"+backup+"'")
	d.Close()
	for _, p := range []string{path, backup} {
		d, err := db.Open(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(mustExec(t, d, "CHECK DATABASE").Rows); got != "[[ok]]" {
			t.Errorf("%s: CHECK DATABASE = %s", p, got)
		}
		if info, _ := d.Table(ctx, "w"); info.Index == nil || info.Index.Params["quantization"] != last {
			t.Fatalf("%s: index after reopening: %+v", p, info.Index)
		}
		for _, w := range some {
			if got, _ := nearestOf(t, d, "w", w); fmt.Sprint(got) != fmt.Sprint(before[w]) {
				t.Fatalf("%s: NEAREST(%s) = %v after reopening, %v before", p, w, got, before[w])
			}
		}
		d.Close()
	}
}

func TestQuantizedIndex_Errors(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "CREATE TABLE p (dim = 3); INSERT INTO p VALUES ('a', [1, 0, 0]), ('b', [0, 1, 0])")
	for _, c := range []struct{ sql, want string }{
		{"CREATE INDEX ON p USING hnsw WITH (quantization = 'int4')", "1:36: quantization must be 'int8', 'binary' or 'none', found 'int4'"},
		{"CREATE INDEX ON p USING hnsw WITH (quantization = 8)", "1:36: quantization must be 'int8', 'binary' or 'none', found 8"},
		{"CREATE INDEX ON p USING hnsw WITH (rescore = 0)", "1:36: rescore must be an integer from 1 to 1000, found 0"},
	} {
		_, err := d.Exec(context.Background(), c.sql)
		if err == nil || err.Error() != c.want {
			t.Errorf("Exec(%q) = %v, want %q", c.sql, err, c.want)
		}
	}
	// 'none' is a float32 index, whose parameters say nothing of codes.
	mustExec(t, d, "CREATE INDEX ON p USING hnsw WITH (quantization = 'none')")
	if info, _ := d.Table(context.Background(), "p"); info.Index == nil || info.Index.Params["quantization"] != nil {
		t.Fatalf("index params with quantization = 'none': %+v", info.Index)
	}
}

// TestQuantizedIndex_RescoreAfterChanges checks that rescoring reads the
// rows' current vectors after the file's memory map moved or the table
// changed: the chunk map of the read path (store.VectorSource) remembers
// where each chunk lay, and must forget it then. Every score must be the
// row's exact similarity, and the answers those of before while w is
// unchanged.
func TestQuantizedIndex_RescoreAfterChanges(t *testing.T) {
	d, _ := openAt(t)
	mustExec(t, d, "IMPORT w FROM '../index/testdata/lee24.txt' WITH (format = 'word2vec')")
	words := []string{}
	for _, r := range mustExec(t, d, "SELECT word FROM w ORDER BY count DESC, id LIMIT 40").Rows {
		words = append(words, r[0].(string))
	}
	mustExec(t, d, "CREATE INDEX ON w USING hnsw WITH (quantization = 'int8', rescore = 10)")
	indexed := map[string]string{}
	for _, w := range words {
		got, sims := nearestOf(t, d, "w", w)
		indexed[w] = fmt.Sprint(got, sims)
	}
	check := func(label string, skip string) {
		t.Helper()
		for _, w := range words {
			if w == skip {
				continue
			}
			got, sims := nearestOf(t, d, "w", w)
			for _, x := range got {
				if x == skip {
					t.Fatalf("%s: NEAREST(%s) returns the deleted %s", label, w, skip)
				}
			}
			if skip == "" && fmt.Sprint(got, sims) != indexed[w] {
				t.Fatalf("%s: NEAREST(%s) = %v %v, before %s", label, w, got, sims, indexed[w])
			}
			for _, x := range got {
				s := mustExec(t, d, "SELECT SIMILARITY(?, ?) FROM w", w, x).Rows[0][0].(float32)
				if d := sims[x] - s; d > 1e-6 || d < -1e-6 { // another kernel: last bits
					t.Fatalf("%s: NEAREST(%s): %s scores %v, SIMILARITY %v", label, w, x, sims[x], s)
				}
			}
		}
	}
	check("indexed", "")
	// Grow the file well past its memory map: bbolt maps it again.
	big := filepath.Join(t.TempDir(), "big.txt")
	var sb strings.Builder
	fmt.Fprintf(&sb, "4000 1024\n")
	for i := range 4000 {
		fmt.Fprintf(&sb, "w%d%s\n", i, strings.Repeat(" 0.5", 1024))
	}
	if err := os.WriteFile(big, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "IMPORT big FROM '"+big+"' WITH (format = 'word2vec')")
	check("after the file grew", "")
	mustExec(t, d, "VACUUM")
	check("after VACUUM", "")
	mustExec(t, d, "DELETE FROM w WHERE word = ?", words[5])
	check("after a DELETE", words[5])
}

// TestQuantizedIndex_RescoreSmallTable checks that writes to another
// table, which free pages of the file and reuse them, leave a small
// table's rescored answers as they were: the chunk map remembers where
// its chunks lie, and they must not have moved.
func TestQuantizedIndex_RescoreSmallTable(t *testing.T) {
	d, _ := openAt(t)
	mustExec(t, d, "CREATE TABLE s (dim = 4); INSERT INTO s VALUES ('a', [1, 0, 0, 0]), ('b', [0.9, 0.1, 0, 0]), ('c', [0, 1, 0, 0]), ('d', [0, 0.8, 0.6, 0])")
	mustExec(t, d, "CREATE INDEX ON s USING hnsw WITH (quantization = 'int8', rescore = 4)")
	mustExec(t, d, "CREATE TABLE u (dim = 4)")
	want, wantSims := nearestOf(t, d, "s", "a")
	for i := range 50 {
		mustExec(t, d, fmt.Sprintf("INSERT INTO u VALUES ('w%d', [%d, 1, 2, 3])", i, i+1))
		got, sims := nearestOf(t, d, "s", "a")
		if fmt.Sprint(got, sims) != fmt.Sprint(want, wantSims) {
			t.Fatalf("after %d writes to another table: NEAREST('a') = %v %v, before %v %v", i+1, got, sims, want, wantSims)
		}
	}
}
