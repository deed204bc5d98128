//go:build !unix

package plot_test

import "time"

// cpuTime is unknown here: the cpu-s/op metrics read 0.
func cpuTime() time.Duration { return 0 }
