//go:build nocolumnar

package columnar

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestNotBuilt checks that a build without Parquet and Arrow refuses both
// directions with ErrNotBuilt and creates no file.
func TestNotBuilt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	if _, err := Open(path, ReadOptions{}); !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("Open = %v, want ErrNotBuilt", err)
	}
	if _, err := Create(path, 4, WriteOptions{}); !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("Create = %v, want ErrNotBuilt", err)
	}
	var r Reader
	if err := r.Read(context.Background(), nil); !errors.Is(err, ErrNotBuilt) {
		t.Fatalf("Read = %v, want ErrNotBuilt", err)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(m) > 0 {
		t.Fatalf("files made: %v", m)
	}
}
