// Package memstat measures memory for benchmarks that must show a
// statement's memory does not grow with its input.
package memstat

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	heapObjects = "/memory/classes/heap/objects:bytes"
	heapLive    = "/gc/heap/live:bytes"
)

// PeakHeap runs fn while sampling the heap every millisecond and returns
// the peak above what was live before fn, in bytes. The heap includes
// garbage not yet collected: run it under a low GOGC
// (debug.SetGCPercent(20)) to measure what fn holds.
func PeakHeap(fn func()) uint64 { return Measure("", fn).Heap }

// Peaks are the peaks of a call's memory above what was there before it,
// in bytes.
type Peaks struct {
	// Heap is the heap's objects, garbage not yet collected included.
	Heap uint64
	// Live is the heap the collections during the call found live.
	Live uint64
	// RSS is the resident set; Anon its anonymous part (the heap, stacks:
	// not the pages of files mapped in, such as a database's).
	RSS, Anon uint64
}

// Measure runs fn while sampling the heap every millisecond and the
// resident set every 8, and returns the peaks. With prof set it writes a
// heap profile there, taken whenever the heap reached a new peak 2 MiB
// above the last one profiled, so the file shows what was live at (about)
// the peak, not at the end; the profile is the one of the last collection,
// so run it under a low GOGC.
func Measure(prof string, fn func()) Peaks {
	runtime.GC()
	s := []metrics.Sample{{Name: heapObjects}, {Name: heapLive}}
	metrics.Read(s)
	base := Peaks{Heap: s[0].Value.Uint64(), Live: s[1].Value.Uint64()}
	base.RSS, base.Anon = readRSS()
	peak := base
	var profiled uint64
	var profile bytes.Buffer
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: heapObjects}, {Name: heapLive}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			metrics.Read(s)
			h := s[0].Value.Uint64()
			peak.Heap, peak.Live = max(peak.Heap, h), max(peak.Live, s[1].Value.Uint64())
			if i%8 == 0 {
				rss, anon := readRSS()
				peak.RSS, peak.Anon = max(peak.RSS, rss), max(peak.Anon, anon)
			}
			if prof != "" && h > profiled+2<<20 && h == peak.Heap {
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
	sub := func(a, b uint64) uint64 { return max(a, b) - b }
	return Peaks{Heap: sub(peak.Heap, base.Heap), Live: sub(peak.Live, base.Live),
		RSS: sub(peak.RSS, base.RSS), Anon: sub(peak.Anon, base.Anon)}
}

// readRSS returns the process's resident set and its anonymous part, in
// bytes; zeros where /proc is missing.
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
