//go:build unix

package vecfile_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the process has used,
// all goroutines included, so benchmarks can report it beside wall time on
// a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
