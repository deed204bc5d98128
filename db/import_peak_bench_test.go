package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/internal/memstat"
)

// BenchmarkImport_PeakHeap imports the same table from each kind of file
// IMPORT streams, at row counts 16x apart, and reports the peak heap and
// peak resident memory of the IMPORT, and the heap's slope between the two
// largest sizes (peak-B/row-slope; live-B/row-slope for the heap found live
// by the collections during the IMPORT, which leaves out garbage not yet
// collected): it must not grow with the rows (the
// loader spills its sort of the words and writes in flushes of bounded
// size), only reach a plateau once the load has ramped its flushes up. The
// vectors are short, so that the words, whose sort used to be held in
// memory, weigh most. JSON Lines and CSV are left out: their IMPORT
// inserts every row in one transaction, not through the bulk loader (8k
// rows/s: 24 s for the smallest size here).
//
// EMBEDDB_PEAK_ROWS="1000000,3200000,6400000" sets the sizes;
// EMBEDDB_PEAK_PROFILE=dir writes a heap profile (inuse_space) at each
// IMPORT's peak, dir/<rows>-<format>.pprof.
func BenchmarkImport_PeakHeap(b *testing.B) {
	const dim = 16
	formats := []struct{ name, file, export, imp string }{
		{"word2vec", "t.txt", "WITH (format = 'word2vec', overwrite = true)", ""},
		{"parquet", "t.parquet", "WITH (overwrite = true)", ""},
		{"arrow", "t.arrow", "WITH (overwrite = true)", ""},
	}
	sizes := peakRows(b, 200_000, 800_000, 3_200_000)
	profDir := os.Getenv("EMBEDDB_PEAK_PROFILE")
	if profDir != "" {
		runtime.MemProfileRate = 64 << 10
	}
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	peaks := map[string][]memstat.Peaks{} // format -> peaks at each size
	for _, rows := range sizes {
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
					prof := ""
					if profDir != "" {
						prof = filepath.Join(profDir, fmt.Sprintf("%d-%s.pprof", rows, f.name))
					}
					p := importPeak(b, d, filepath.Join(dir, f.file), f.export, f.imp, prof)
					peaks[f.name] = append(peaks[f.name], p)
					b.ReportMetric(float64(p.Heap)/(1<<20), "peak-MiB")
					b.ReportMetric(float64(p.Live)/(1<<20), "peak-live-MiB")
					b.ReportMetric(float64(p.RSS)/(1<<20), "peak-RSS-MiB")
					b.ReportMetric(float64(p.Anon)/(1<<20), "peak-anon-MiB")
					b.ReportMetric(float64(p.Heap)/float64(rows), "peak-B/row")
					if ps := peaks[f.name]; len(ps) >= 2 {
						// The slope from the size before: at the
						// largest size, between the two largest.
						n, cur, prev := len(ps), ps[len(ps)-1], ps[len(ps)-2]
						rows := float64(sizes[n-1] - sizes[n-2])
						b.ReportMetric((float64(cur.Heap)-float64(prev.Heap))/rows, "peak-B/row-slope")
						b.ReportMetric((float64(cur.Live)-float64(prev.Live))/rows, "live-B/row-slope")
					}
				})
			}
		})
	}
}

// importPeak exports table t to path and returns the peaks of importing it
// back as u; with prof set, it writes a heap profile there at the peak.
func importPeak(b *testing.B, d *db.DB, path, export, imp, prof string) memstat.Peaks {
	ctx := context.Background()
	if _, err := d.Exec(ctx, "EXPORT t TO '"+path+"' "+export); err != nil {
		b.Fatal(err)
	}
	var peak memstat.Peaks
	for b.Loop() {
		p := memstat.Measure(prof, func() {
			if _, err := d.Exec(ctx, "IMPORT u FROM '"+path+"' WITH (replace = true"+imp+")"); err != nil {
				b.Fatal(err)
			}
		})
		peak.Heap, peak.Live = max(peak.Heap, p.Heap), max(peak.Live, p.Live)
		peak.RSS, peak.Anon = max(peak.RSS, p.RSS), max(peak.Anon, p.Anon)
	}
	return peak
}

// peakRows is the row counts of a peak-heap benchmark: EMBEDDB_PEAK_ROWS
// (comma-separated) if set, else def.
func peakRows(b *testing.B, def ...int) []int {
	s := os.Getenv("EMBEDDB_PEAK_ROWS")
	if s == "" {
		return def
	}
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			b.Fatalf("EMBEDDB_PEAK_ROWS: %v", err)
		}
		sizes = append(sizes, n)
	}
	return sizes
}
