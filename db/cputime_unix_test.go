//go:build unix

package db

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the process has used. Benchmarks report it
// per operation: on a machine shared with other work, wall-clock time mostly measures the
// others.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
