// Package memstat measures memory for benchmarks that must show a
// statement's memory does not grow with its input.
package memstat

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

const heapObjects = "/memory/classes/heap/objects:bytes"

// PeakHeap runs fn while sampling the heap every millisecond and returns
// the peak above what was live before fn, in bytes. The heap includes
// garbage not yet collected: run it under a low GOGC
// (debug.SetGCPercent(20)) to measure what fn holds.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: heapObjects}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
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
	return max(peak, base) - base
}
