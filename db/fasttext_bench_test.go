package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/embeddb/embeddb/db/ftbin"
)

// BenchmarkVector_OOV measures SELECT VECTOR('unseen...') FROM ft on a FastText table of
// 10,000 words of dimension 100 with 200,000 buckets (EMBEDDB_BENCH_FT_BUCKET sets another
// count, e.g. 2000000 as gensim's default): parsing, the n-gram hashing and a dozen n-gram
// rows read where they lie in the blob, per word never seen. It reports µs per query, and
// the CPU µs per query, which a machine shared with other work disturbs less; "known" is
// the same statement for words of the vocabulary, the statement's own cost.
func BenchmarkVector_OOV(b *testing.B) {
	const dim, nw = 100, 10000
	bucket := 200_000
	if v, err := strconv.Atoi(os.Getenv("EMBEDDB_BENCH_FT_BUCKET")); err == nil && v > 0 {
		bucket = v
	}
	rng := rand.New(rand.NewPCG(1, 2))
	m := &ftbin.Model{Args: ftbin.Args{Dim: dim, WS: 5, Epoch: 5, MinCount: 5, Neg: 5, WordNgrams: 1, Loss: ftbin.LossNS,
		Model: ftbin.ModelSG, Bucket: int32(bucket), MinN: 3, MaxN: 6, LRUpdateRate: 100, T: 1e-4}}
	for i := 0; i < nw; i++ {
		m.Words = append(m.Words, fmt.Sprintf("word%d", i))
		m.Counts = append(m.Counts, int64(nw-i))
	}
	m.Input = make([]float32, (nw+bucket)*dim)
	for i := range m.Input {
		m.Input[i] = rng.Float32() - 0.5
	}
	m.Output, m.OutputRows = make([]float32, nw*dim), nw
	dir := b.TempDir()
	bin := filepath.Join(dir, "m.bin")
	f, err := os.Create(bin)
	if err != nil {
		b.Fatal(err)
	}
	if err := ftbin.Write(f, m); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	d, err := Open(filepath.Join(dir, "ft.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, "IMPORT ft FROM ? WITH (format = 'fasttext')", bin); err != nil {
		b.Fatal(err)
	}
	m = nil
	runtime.GC() // the set-up's garbage is not the queries' CPU time
	for _, kind := range []string{"oov", "known"} {
		b.Run(kind, func(b *testing.B) {
			queries := make([]string, 1024)
			for i := range queries {
				queries[i] = fmt.Sprintf("unseenword%dx", i)
				if kind == "known" {
					queries[i] = fmt.Sprintf("word%d", i)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				res, err := d.Exec(ctx, "SELECT VECTOR(?) FROM ft", queries[i%len(queries)])
				if err != nil || len(res.Rows[0][0].([]float32)) != dim {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/query")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/query")
		})
	}
}
