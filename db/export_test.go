package db

import (
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
)

// OpenStreams returns how many streaming results hold a read transaction
// of d: what the streaming tests check instead of counting goroutines.
func OpenStreams(d *DB) int {
	n, _ := d.st.StreamCounts()
	return n
}

// FinishedStreams returns how many of d's streaming results have sent every
// row they had.
func FinishedStreams(d *DB) int {
	_, n := d.st.StreamCounts()
	return n
}

// formatOptions returns Options that create a file of storage format f.
func formatOptions(f uint32) *Options {
	o := &Options{}
	store.SetFormat(o, f)
	return o
}

func countTableBuckets(t *testing.T, path string) int {
	t.Helper()
	n, err := store.CountTableBuckets(path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// ExpressRuns returns how many runs of s were answered without a
// transaction, from what its last ordinary run kept (exec/express.go).
func ExpressRuns(s *Stmt) int64 { return s.plans.ExpressRuns() }

// ExpressHeld reports whether s's express entry still has its graph and
// its words.
func ExpressHeld(s *Stmt) (graph, words bool) { return s.plans.ExpressHeld() }
