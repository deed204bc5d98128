//go:build !linux

package index_test

import "time"

var start = time.Now()

// threadCPU falls back to wall time where per-thread CPU time is not known.
func threadCPU() time.Duration { return time.Since(start) }

func lockThread()   {}
func unlockThread() {}
