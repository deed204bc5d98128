package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/internal/memstat"
)

// BenchmarkImport_PeakHeap_Columns is BenchmarkImport_PeakHeap for a
// table with a text and an integer column, through Parquet and Arrow: the
// columns' chunks are written in flushes of bounded size too, so the peak
// heap must not grow with the rows: its slope between the two largest
// sizes (EMBEDDB_PEAK_ROWS, as there) falls to about 0 as the flushes
// reach their size, as it does without columns.
func BenchmarkImport_PeakHeap_Columns(b *testing.B) {
	const dim = 16
	sizes := peakRows(b, 200_000, 800_000)
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	peaks := map[string][]memstat.Peaks{}
	for _, rows := range sizes {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			dir := b.TempDir()
			d, err := db.Open(filepath.Join(dir, "b.db"), &db.Options{NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			loadRandom(b, d, "t", rows, dim)
			ctx := context.Background()
			// Every row reads the defaults (the columns came after the rows).
			for _, sql := range []string{"ALTER TABLE t ADD COLUMN title TEXT DEFAULT 'a title of some length'",
				"ALTER TABLE t ADD COLUMN year INTEGER DEFAULT 2024"} {
				if _, err := d.Exec(ctx, sql); err != nil {
					b.Fatal(err)
				}
			}
			for _, f := range []struct{ name, file string }{{"parquet", "t.parquet"}, {"arrow", "t.arrow"}} {
				b.Run(f.name, func(b *testing.B) {
					p := importPeak(b, d, filepath.Join(dir, f.file), "WITH (overwrite = true)", "", "")
					peaks[f.name] = append(peaks[f.name], p)
					b.ReportMetric(float64(p.Heap)/(1<<20), "peak-MiB")
					b.ReportMetric(float64(p.Heap)/float64(rows), "peak-B/row")
					if ps := peaks[f.name]; len(ps) >= 2 {
						n := len(ps)
						b.ReportMetric((float64(ps[n-1].Heap)-float64(ps[n-2].Heap))/float64(sizes[n-1]-sizes[n-2]), "peak-B/row-slope")
					}
					res, err := d.Exec(ctx, "SELECT COUNT(*) FROM u WHERE year = 2024 AND title = 'a title of some length'")
					if err != nil || res.Rows[0][0] != int64(rows) {
						b.Fatalf("the imported columns: %v, %v", res, err)
					}
				})
			}
		})
	}
}
