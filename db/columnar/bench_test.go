//go:build !nocolumnar

package columnar_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/internal/memstat"
)

// BenchmarkStream writes and reads rows × 100 Parquet files and reports
// the peak heap of each direction: it stays flat as rows grow (compare
// the rows= cases), since one row group is held at a time. The collector
// runs at GOGC=20 here, so that the peak measures what is held rather than
// garbage awaiting collection.
func BenchmarkStream(b *testing.B) {
	const dim, batch = 100, 4096
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	for _, rows := range []int{50_000, 200_000, 800_000, 1_600_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "s.parquet")
			rng := rand.New(rand.NewPCG(1, 2))
			words := make([]string, batch)
			vecs := make([]float32, batch*dim)
			for i := range vecs {
				vecs[i] = rng.Float32()
			}
			var wPeak, rPeak uint64
			for b.Loop() {
				wPeak = max(wPeak, memstat.PeakHeap(func() {
					w, err := columnar.Create(path, dim, columnar.WriteOptions{Overwrite: true})
					if err != nil {
						b.Fatal(err)
					}
					for done := 0; done < rows; done += batch {
						n := min(batch, rows-done)
						for i := range n {
							words[i] = fmt.Sprintf("w%d", done+i)
						}
						if err := w.Write(words[:n], nil, nil, vecs[:n*dim]); err != nil {
							b.Fatal(err)
						}
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}))
				rPeak = max(rPeak, memstat.PeakHeap(func() {
					r, err := columnar.Open(path, columnar.ReadOptions{})
					if err != nil {
						b.Fatal(err)
					}
					got := 0
					if err := r.Read(context.Background(), func(bt *columnar.Batch) error {
						got += len(bt.Words)
						return nil
					}); err != nil {
						b.Fatal(err)
					}
					r.Close()
					if got != rows {
						b.Fatalf("read %d rows, wrote %d", got, rows)
					}
				}))
			}
			b.ReportMetric(float64(wPeak)/(1<<20), "write-peak-MiB")
			b.ReportMetric(float64(rPeak)/(1<<20), "read-peak-MiB")
			b.ReportMetric(float64(rows*dim*4)/(1<<20), "vectors-MiB")
		})
	}
}
