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

// BenchmarkImport_PeakHeap imports the same table from each kind of file
// IMPORT streams, at row counts 16x apart, and reports the peak heap of
// the IMPORT: it must not grow with the rows (the loader spills its sort
// of the words and writes in flushes of bounded size), only reach a
// plateau once the load has ramped its flushes up. The vectors are short,
// so that the words, whose sort used to be held in memory, weigh most.
// JSON Lines and CSV are left out: their IMPORT inserts every row in one
// transaction, not through the bulk loader (8k rows/s: 24 s for the
// smallest size here).
func BenchmarkImport_PeakHeap(b *testing.B) {
	const dim = 16
	formats := []struct{ name, file, export, imp string }{
		{"word2vec", "t.txt", "WITH (format = 'word2vec', overwrite = true)", ""},
		{"parquet", "t.parquet", "WITH (overwrite = true)", ""},
		{"arrow", "t.arrow", "WITH (overwrite = true)", ""},
	}
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	for _, rows := range []int{200_000, 800_000, 3_200_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			dir := b.TempDir()
			d, err := db.Open(filepath.Join(dir, "b.db"), &db.Options{NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			loadRandom(b, d, "t", rows, dim)
			for _, f := range formats {
				b.Run(f.name, func(b *testing.B) {
					peak := importPeak(b, d, filepath.Join(dir, f.file), f.export, f.imp)
					b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
					b.ReportMetric(float64(peak)/float64(rows), "peak-B/row")
				})
			}
		})
	}
}

// importPeak exports table t to path and returns the peak heap of
// importing it back as u.
func importPeak(b *testing.B, d *db.DB, path, export, imp string) uint64 {
	ctx := context.Background()
	if _, err := d.Exec(ctx, "EXPORT t TO '"+path+"' "+export); err != nil {
		b.Fatal(err)
	}
	var peak uint64
	for b.Loop() {
		peak = max(peak, memstat.PeakHeap(func() {
			if _, err := d.Exec(ctx, "IMPORT u FROM '"+path+"' WITH (replace = true"+imp+")"); err != nil {
				b.Fatal(err)
			}
		}))
	}
	return peak
}
