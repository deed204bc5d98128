//go:build unix

package plot_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) the process has used, so that
// benchmarks on a shared machine can report work done rather than waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
