package trainer

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// sharedDir locates ../shared beside the repository (EMBEDDB_SHARED overrides it), or skips.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("EMBEDDB_SHARED")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "testdata")); err != nil {
		tb.Skipf("shared test data not found at %s (set EMBEDDB_SHARED): %v", dir, err)
	}
	return dir
}

func sharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(sharedDir(tb), "testdata", rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared test file missing: %v", err)
	}
	return p
}
