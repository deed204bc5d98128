package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/vec"
)

// readAheads are the prefetch distances, in bytes, of the reads that
// BenchmarkFlat_Bandwidth takes the fastest of: none, the scan kernels'
// 2 KiB, and one between.
var readAheads = []int{0, 512, 2048}

// BenchmarkFlat_Bandwidth measures an exact search against this machine's
// memory bandwidth in the same run: each iteration runs one query through
// a Flat index of 1M × 100 random rows (float32, then bfloat16 and
// float16: half the bytes) and STREAM-style reads (vec.TouchAhead) of the
// very bytes the search reads, both on one goroutine locked to its thread,
// in turn, so that the load of a shared machine falls on both alike. The
// reads prefetch at each of readAheads; the fastest is the baseline,
// since which is fastest differs between CPUs (with 2 KiB alone, AMD's
// Zen 3 scanned faster than it read). It reports each one's GB/s and the
// search's fraction of the fastest read's (the "bandwidth" metric).
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
			var ts time.Duration
			tr := make([]time.Duration, len(readAheads))
			var sink uint64
			i := 0
			for b.Loop() {
				t0 := time.Now()
				if _, err := f.Search(ctx, qs[i*dim:(i+1)*dim], 10, index.SearchOptions{}); err != nil {
					b.Fatal(err)
				}
				ts += time.Since(t0)
				for j, ahead := range readAheads {
					t1 := time.Now()
					for _, m := range mem {
						sink ^= vec.TouchAhead(m, ahead)
					}
					tr[j] += time.Since(t1)
				}
				i = (i + 1) % 64
			}
			if sink == 1 {
				b.Log("") // keeps the reads
			}
			gb := float64(bytes) * float64(b.N) / 1e9
			fastest := slices.Min(tr)
			b.ReportMetric(gb/ts.Seconds(), "search-GB/s")
			for j, ahead := range readAheads {
				b.ReportMetric(gb/tr[j].Seconds(), fmt.Sprintf("read-ahead%d-GB/s", ahead))
			}
			b.ReportMetric(gb/fastest.Seconds(), "read-GB/s")
			b.ReportMetric(fastest.Seconds()/ts.Seconds(), "bandwidth")
			b.ReportMetric(float64(bytes)/float64(n), "bytes/row")
		})
	}
}
