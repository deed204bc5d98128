package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/internal/memstat"
)

// BenchmarkColumnar_ExportImport runs EXPORT t TO 'x.parquet' and IMPORT
// back on rows × 100 tables and reports rows/s and the peak heap of each
// statement; compare the rows= cases. EXPORT holds at most two row groups
// (32 MiB of vectors each) and a storage chunk: its peak is flat. IMPORT's
// memory is bounded by constants too: Parquet records of 4 MiB of vectors,
// the bulk loader's flushes of 8 MiB (held up to four times over: being
// filled, in flight, bbolt's pages, bbolt's copy at a remap), and the
// words' sort, which spills runs of 16 MiB (BenchmarkImport_PeakHeap
// measures that at 16 dimensions, where the words weigh most). The
// collector runs at GOGC=20 so that the peak measures what is held, not
// garbage awaiting collection.
func BenchmarkColumnar_ExportImport(b *testing.B) {
	const dim = 100
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	for _, rows := range []int{100_000, 400_000, 1_600_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			dir := b.TempDir()
			d, err := db.Open(filepath.Join(dir, "b.db"), &db.Options{NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			ctx := context.Background()
			loadRandom(b, d, "t", rows, dim)
			pq := filepath.Join(dir, "t.parquet")
			var ePeak, iPeak uint64
			var eDur, iDur time.Duration
			for b.Loop() {
				ePeak = max(ePeak, memstat.PeakHeap(func() {
					t0 := time.Now()
					if _, err := d.Exec(ctx, "EXPORT t TO '"+pq+"' WITH (overwrite = true)"); err != nil {
						b.Fatal(err)
					}
					eDur += time.Since(t0)
				}))
				iPeak = max(iPeak, memstat.PeakHeap(func() {
					t0 := time.Now()
					if _, err := d.Exec(ctx, "IMPORT u FROM '"+pq+"' WITH (replace = true)"); err != nil {
						b.Fatal(err)
					}
					iDur += time.Since(t0)
				}))
			}
			b.ReportMetric(float64(ePeak)/(1<<20), "export-peak-MiB")
			b.ReportMetric(float64(iPeak)/(1<<20), "import-peak-MiB")
			b.ReportMetric(float64(rows*b.N)/eDur.Seconds(), "export-rows/s")
			b.ReportMetric(float64(rows*b.N)/iDur.Seconds(), "import-rows/s")
		})
	}
}

// loadRandom fills a new table with rows of seeded random vectors.
func loadRandom(tb testing.TB, d *db.DB, name string, rows, dim int) {
	tb.Helper()
	w, err := d.BulkLoad(context.Background(), name, db.TableSpec{Dim: dim}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer w.Abort()
	rng := rand.New(rand.NewPCG(1, 2))
	const batch = 4096
	words := make([]string, batch)
	vecs := make([]float32, batch*dim)
	for done := 0; done < rows; done += batch {
		n := min(batch, rows-done)
		for i := range n {
			words[i] = fmt.Sprintf("w%d", done+i)
		}
		for i := range vecs[:n*dim] {
			vecs[i] = rng.Float32() - 0.5
		}
		if err := w.Append(words[:n], nil, vecs[:n*dim]); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		tb.Fatal(err)
	}
}
