// Package testrace lets the few tests that the race detector only slows
// down run in make test's pass without it.
//
// make test runs the suite twice: every package under -race, then, without
// -race, the tests the Makefile names in RACEFREE. A few tests compute
// answers on thousands of rows (t-SNE's trustworthiness beside
// scikit-learn's, HNSW recall), and the torture tests drive the embeddb
// command, which they build without -race, in other processes. Under
// -race they ran 4-30 times slower, about 490 of the suite's 1,180
// test-seconds, and checked no concurrency that smaller tests under -race
// do not check already. They call [Skip],
// and TestRaceFree holds the Makefile's list and the calls to the same
// names, so that no test is left out of both runs.
package testrace

import "testing"

// Skip skips t when the race detector is on.
func Skip(t testing.TB) {
	t.Helper()
	if Enabled {
		t.Skip("measures answers on thousands of rows or drives the command in other processes, 4-30x slower under -race: make test runs it again without -race (RACEFREE in the Makefile)")
	}
}
