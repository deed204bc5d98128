package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/vec"
)

// BenchmarkFlat_Bandwidth measures an exact search against this machine's
// memory bandwidth in the same run: each iteration runs one query through
// a Flat index of 1M × 100 random rows (float32, then bfloat16 and
// float16: half the bytes) and a STREAM-style read (vec.Touch) of the very
// bytes the search reads, both on one goroutine locked to its thread, in turn, so that the
// load of a shared machine falls on both alike. It reports each one's GB/s
// and the search's fraction of the read's (the "bandwidth" metric).
// EMBEDDB_BENCH_ROWS changes the number of rows (the default takes about
// 600 MB and a few seconds to fill).
func BenchmarkFlat_Bandwidth(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("EMBEDDB_BENCH_ROWS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil || n < 1 {
			b.Fatalf("EMBEDDB_BENCH_ROWS=%q", s)
		}
	}
	const dim = 100
	rng := rand.New(rand.NewPCG(11, 12))
	vecs := make([]float32, n*dim)
	for i := range vecs {
		vecs[i] = float32(rng.NormFloat64())
	}
	ids := seqIDs(n)
	qs := vecs[:64*dim] // any rows: the scan reads everything whatever the query
	ctx := context.Background()
	for _, elem := range []index.Elem{index.ElemFloat32, index.ElemBFloat16, index.ElemFloat16} {
		b.Run(fmt.Sprintf("n=%s/dim=%d/%v", sizeName(n), dim, elem), func(b *testing.B) {
			f, err := index.NewFlatElem(dim, index.Cosine, elem)
			if err != nil {
				b.Fatal(err)
			}
			for lo := 0; lo < n; lo += 65536 {
				hi := min(n, lo+65536)
				if err := f.Add(ctx, ids[lo:hi], vecs[lo*dim:hi*dim]); err != nil {
					b.Fatal(err)
				}
			}
			// The index of the previous element type is garbage now:
			// collect it before timing, not during.
			runtime.GC()
			mem := index.FlatBytes(f)
			bytes := 0
			for _, m := range mem {
				bytes += len(m)
			}
			lockThread()
			defer unlockThread()
			var ts, tr time.Duration
			var sink uint64
			i := 0
			for b.Loop() {
				t0 := time.Now()
				if _, err := f.Search(ctx, qs[i*dim:(i+1)*dim], 10, index.SearchOptions{}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				for _, m := range mem {
					sink ^= vec.Touch(m)
				}
				tr += time.Since(t1)
				ts += t1.Sub(t0)
				i = (i + 1) % 64
			}
			if sink == 1 {
				b.Log("") // keeps the reads
			}
			gb := float64(bytes) * float64(b.N) / 1e9
			b.ReportMetric(gb/ts.Seconds(), "search-GB/s")
			b.ReportMetric(gb/tr.Seconds(), "read-GB/s")
			b.ReportMetric(tr.Seconds()/ts.Seconds(), "bandwidth")
			b.ReportMetric(float64(bytes)/float64(n), "bytes/row")
		})
	}
}
