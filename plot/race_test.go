//go:build race

package plot_test

// raceEnabled reports whether the race detector is on; the slowest
// reference checks skip under it (their code paths still run race-checked
// in the smaller tests).
const raceEnabled = true
