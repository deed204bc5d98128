package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/web"
)

// BenchmarkHandler_Neighbors measures the server time of the page's
// neighbour query (k = 30: the NEAREST, the word check and the PCA map) on
// 100,000 clustered 100-d vectors with an HNSW index
// (EMBEDDB_BENCH_SERVE_N sets another count: 1000000 is the target,
// whose index build takes minutes). It reports the median and 99th
// percentile in ms.
func BenchmarkHandler_Neighbors(b *testing.B) {
	const dim = 100
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("EMBEDDB_BENCH_SERVE_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	d, err := db.Open(filepath.Join(b.TempDir(), "s.db"), nil)
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
	if _, err := d.Exec(ctx, "CREATE INDEX ON t USING hnsw"); err != nil {
		b.Fatal(err)
	}
	h := web.Handler(d, web.Options{Port: 8123})
	var times []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest("GET", "/api/neighbors?table=t&k=30&q=w"+strconv.Itoa(rng.IntN(n)), nil)
		req.Host = "127.0.0.1:8123"
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
