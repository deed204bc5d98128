package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// BenchmarkExec_ParsePlan parses a typical statement and plans it (EXPLAIN
// resolves the table and chooses the access path) without running it: the
// language's fixed cost per statement. The parse cache is bypassed by
// varying the text.
func BenchmarkExec_ParsePlan(b *testing.B) {
	d := MustOpenDB(b)
	mustExec(b, d, "CREATE TABLE w2v (dim = 3); INSERT INTO w2v VALUES ('python', [1, 2, 3])")
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sql := fmt.Sprintf("EXPLAIN SELECT NEAREST('python', %d) FROM w2v WHERE word LIKE 'p%%' LIMIT 5", i%1000+1)
		stmts, err := query.Parse(sql)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := d.Run(ctx, stmts[0])
		if err != nil {
			b.Fatal(err)
		}
		rows.Close()
	}
}

// BenchmarkNearest compares SELECT NEAREST through the whole language path
// (a prepared statement: parameters bound, table resolved, the query word
// looked up, the index searched, ids turned back into words) with a search
// of the same index called directly with the query vector, on 100,000
// clustered 100-d vectors. It reports both latencies and their ratio.
func BenchmarkNearest(b *testing.B) {
	const n, dim, k = 100_000, 100, 10
	ctx := context.Background()
	d, err := db.Open(filepath.Join(b.TempDir(), "n.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	rng := rand.New(rand.NewPCG(5, 6))
	centers := make([]float32, 50*dim)
	for i := range centers {
		centers[i] = float32(rng.NormFloat64())
	}
	words := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
		c := rng.IntN(50)
		for j := 0; j < dim; j++ {
			vecs[i*dim+j] = centers[c*dim+j] + 0.5*float32(rng.NormFloat64())
		}
	}
	w, err := d.BulkLoad(ctx, "t", db.TableSpec{Dim: dim}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Append(words, nil, vecs); err != nil {
		b.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	mustExec(b, d, "CREATE INDEX ON t USING hnsw")
	// The same graph, loaded as the database stores it, for the direct calls.
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(i)
	}
	h, err := index.Build(ctx, dim, ids, vecs, index.DefaultOptions(), nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := d.Prepare("SELECT NEAREST(?, ?) FROM t")
	if err != nil {
		b.Fatal(err)
	}
	queries := make([]int, 1024)
	for i := range queries {
		queries[i] = rng.IntN(n)
	}
	// Warm both paths (the database loads its graph on first use).
	if rows, err := stmt.Query(ctx, words[0], k); err != nil {
		b.Fatal(err)
	} else {
		rows.Close()
	}
	b.ResetTimer()
	var lang, direct time.Duration
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		rows, err := stmt.Query(ctx, words[q], k)
		if err != nil {
			b.Fatal(err)
		}
		all, err := rows.All()
		if err != nil || len(all) != k {
			b.Fatalf("%d rows, %v", len(all), err)
		}
		lang += time.Since(start)

		start = time.Now()
		res, err := h.Search(ctx, vecs[q*dim:(q+1)*dim], k, index.SearchOptions{Exclude: []uint32{uint32(q)}})
		if err != nil || len(res) != k {
			b.Fatalf("%d results, %v", len(res), err)
		}
		direct += time.Since(start)
	}
	b.ReportMetric(float64(lang.Microseconds())/float64(b.N), "µs/query-sql")
	b.ReportMetric(float64(direct.Microseconds())/float64(b.N), "µs/query-index")
	b.ReportMetric(float64(lang)/float64(direct), "sql/index")
}
