//go:build race

package tokenize_test

// raceEnabled is true when the tests run under the race detector, which
// slows the exhaustive single-goroutine tables tenfold.
const raceEnabled = true
