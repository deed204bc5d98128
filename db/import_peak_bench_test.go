package db_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
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
	sizes := []int{200_000, 800_000, 3_200_000}
	if s := os.Getenv("EMBEDDB_PEAK_ROWS"); s != "" {
		sizes = nil
		for f := range strings.SplitSeq(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				b.Fatalf("EMBEDDB_PEAK_ROWS: %v", err)
			}
			sizes = append(sizes, n)
		}
	}
	profDir := os.Getenv("EMBEDDB_PEAK_PROFILE")
	if profDir != "" {
		runtime.MemProfileRate = 64 << 10
	}
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	peaks := map[string][]peakMem{} // format -> peaks at each size
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
					b.ReportMetric(float64(p.heap)/(1<<20), "peak-MiB")
					b.ReportMetric(float64(p.live)/(1<<20), "peak-live-MiB")
					b.ReportMetric(float64(p.rss)/(1<<20), "peak-RSS-MiB")
					b.ReportMetric(float64(p.anon)/(1<<20), "peak-anon-MiB")
					b.ReportMetric(float64(p.heap)/float64(rows), "peak-B/row")
					if ps := peaks[f.name]; len(ps) >= 2 {
						// The slope from the size before: at the
						// largest size, between the two largest.
						n, cur, prev := len(ps), ps[len(ps)-1], ps[len(ps)-2]
						rows := float64(sizes[n-1] - sizes[n-2])
						b.ReportMetric((float64(cur.heap)-float64(prev.heap))/rows, "peak-B/row-slope")
						b.ReportMetric((float64(cur.live)-float64(prev.live))/rows, "live-B/row-slope")
					}
				})
			}
		})
	}
}

// importPeak exports table t to path and returns the peaks of importing it
// back as u; with prof set, it writes a heap profile there at the peak.
func importPeak(b *testing.B, d *db.DB, path, export, imp, prof string) peakMem {
	ctx := context.Background()
	if _, err := d.Exec(ctx, "EXPORT t TO '"+path+"' "+export); err != nil {
		b.Fatal(err)
	}
	var peak peakMem
	for b.Loop() {
		p := measurePeak(prof, func() {
			if _, err := d.Exec(ctx, "IMPORT u FROM '"+path+"' WITH (replace = true"+imp+")"); err != nil {
				b.Fatal(err)
			}
		})
		peak.heap, peak.live = max(peak.heap, p.heap), max(peak.live, p.live)
		peak.rss, peak.anon = max(peak.rss, p.rss), max(peak.anon, p.anon)
	}
	return peak
}

// peakMem is the peak heap (live objects and garbage not yet collected)
// and resident set of a statement, above what was there before it.
type peakMem struct{ heap, live, rss, anon uint64 }

// measurePeak runs fn while sampling the heap and the resident set every
// millisecond. With prof set it writes a heap profile there whenever the
// heap reaches a new peak 2 MiB above the last one profiled, so the file
// left shows what was live at (about) the peak, not at the end. The
// profile is the one of the last collection; run under a low GOGC.
func measurePeak(prof string, fn func()) peakMem {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	base := peakMem{heap: s[0].Value.Uint64(), live: s[1].Value.Uint64()}
	base.rss, base.anon = readRSS()
	peak := base
	var profiled uint64
	var profile bytes.Buffer
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			metrics.Read(s)
			h := s[0].Value.Uint64()
			peak.heap, peak.live = max(peak.heap, h), max(peak.live, s[1].Value.Uint64())
			if i%8 == 0 {
				rss, anon := readRSS()
				peak.rss, peak.anon = max(peak.rss, rss), max(peak.anon, anon)
			}
			if prof != "" && h > profiled+2<<20 && h == peak.heap {
				profiled = h
				profile.Reset()
				pprof.Lookup("heap").WriteTo(&profile, 0)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	if prof != "" {
		os.WriteFile(prof, profile.Bytes(), 0o644)
	}
	return peakMem{
		heap: peak.heap - base.heap,
		live: peak.live - base.live,
		rss:  max(peak.rss, base.rss) - base.rss,
		anon: max(peak.anon, base.anon) - base.anon,
	}
}

// readRSS returns the process's resident set and the anonymous part of it
// (the heap, stacks; not the database's or the input's pages in the page
// cache), in bytes; zeros where /proc is missing.
func readRSS() (rss, anon uint64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "RssAnon":
			anon = kb << 10
		}
	}
	return rss, anon
}
