//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

// The systems whose syscall package has Mkfifo.

package trainer_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/trainer"
)

// TestTrain_FIFO trains on a named pipe that no one writes to. Opening it
// the ordinary way blocks for ever, deaf to ctx; it must be refused at
// once. The 30 s bound detects that hang (which the test binary's own
// timeout would only catch much later); it is not a speed limit.
func TestTrain_FIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corpus")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	opts := trainer.DefaultOptions()
	opts.Workers = 1
	done := make(chan error, 1)
	go func() {
		_, err := trainer.Train(context.Background(), trainer.Files(path), opts)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Train(fifo): blocked on the FIFO")
	}
	want := path + " is a named pipe (FIFO), not a regular file; a corpus is read once for the vocabulary and again for every epoch"
	if !errors.Is(err, osfile.ErrNotRegular) || !strings.Contains(err.Error(), want) {
		t.Errorf("Train(fifo) = %v, want an error containing %q", err, want)
	}
}
