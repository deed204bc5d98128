//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

// The systems whose syscall package has Mkfifo.

package vecfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/internal/osfile"
)

// mkfifo makes a named pipe that no one writes to: opening it for reading
// the ordinary way blocks for ever.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}

// noHang runs fn and fails the test if it has not returned after a
// generous bound. An open(2) stuck on a FIFO never returns, and the test
// binary's own timeout would only kill everything much later: this is a
// hang detector, not a speed limit.
func noHang(t *testing.T, what string, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: blocked on the FIFO", what)
		return nil
	}
}

// wantNotRegular checks that err refuses path as a named pipe and says why.
func wantNotRegular(t *testing.T, what string, err error, path string) {
	t.Helper()
	want := path + " is a named pipe (FIFO), not a regular file; vector and words files are read at byte offsets, and more than once"
	if !errors.Is(err, osfile.ErrNotRegular) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s = %v, want an error containing %q", what, err, want)
	}
}

func TestOpen_FIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	mkfifo(t, path)
	err := noHang(t, "Open(fifo)", func() error {
		r, err := vecfile.Open(path, vecfile.ReadOptions{})
		if err == nil {
			r.Close()
		}
		return err
	})
	wantNotRegular(t, "Open(fifo)", err, path)
	err = noHang(t, "Detect(fifo)", func() error {
		_, err := vecfile.Detect(path)
		return err
	})
	wantNotRegular(t, "Detect(fifo)", err, path)
}

// TestOpen_WordsFIFO names a FIFO as the words file of an NPY matrix.
func TestOpen_WordsFIFO(t *testing.T) {
	dir := t.TempDir()
	npy := filepath.Join(dir, "m.npy")
	if err := os.WriteFile(npy, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", f32bytes(1, 2)), 0o644); err != nil {
		t.Fatal(err)
	}
	words := filepath.Join(dir, "words")
	mkfifo(t, words)
	err := noHang(t, "Open(npy, words = fifo)", func() error {
		r, err := vecfile.Open(npy, vecfile.ReadOptions{WordsPath: words})
		if err == nil {
			r.Close()
		}
		return err
	})
	wantNotRegular(t, "Open(npy, words = fifo)", err, words)
	// The default words file, m.words.txt beside m.npy.
	if err := os.Remove(words); err != nil {
		t.Fatal(err)
	}
	words = filepath.Join(dir, "m.words.txt")
	mkfifo(t, words)
	err = noHang(t, "Open(npy beside a words fifo)", func() error {
		r, err := vecfile.Open(npy, vecfile.ReadOptions{})
		if err == nil {
			r.Close()
		}
		return err
	})
	wantNotRegular(t, "Open(npy beside a words fifo)", err, words)
}

// TestOpen_ShardFIFO follows a sharded safetensors index to a FIFO, both
// when the tensor is named and when all shards are read to find it.
func TestOpen_ShardFIFO(t *testing.T) {
	dir := t.TempDir()
	index := filepath.Join(dir, "model.safetensors.index.json")
	if err := os.WriteFile(index, []byte(`{"weight_map":{"w":"model-1.safetensors"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	shard := filepath.Join(dir, "model-1.safetensors")
	mkfifo(t, shard)
	for _, tensor := range []string{"w", ""} {
		err := noHang(t, "Open(index → fifo shard)", func() error {
			r, err := vecfile.Open(index, vecfile.ReadOptions{Tensor: tensor})
			if err == nil {
				r.Close()
			}
			return err
		})
		wantNotRegular(t, "Open(index → fifo shard, tensor "+tensor+")", err, shard)
	}
	// A directory whose model.safetensors is a FIFO.
	dir2 := t.TempDir()
	single := filepath.Join(dir2, "model.safetensors")
	mkfifo(t, single)
	err := noHang(t, "Open(dir with a fifo model.safetensors)", func() error {
		r, err := vecfile.Open(dir2, vecfile.ReadOptions{})
		if err == nil {
			r.Close()
		}
		return err
	})
	wantNotRegular(t, "Open(dir with a fifo model.safetensors)", err, single)
}

// TestOpen_DevZero checks that a device that never ends is refused before
// a byte is read.
func TestOpen_DevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skipf("no /dev/zero: %v", err)
	}
	r, err := vecfile.Open("/dev/zero", vecfile.ReadOptions{})
	if err == nil {
		r.Close()
	}
	if !errors.Is(err, osfile.ErrNotRegular) || !strings.HasPrefix(err.Error(), "/dev/zero is a character device, not a regular file") {
		t.Errorf("Open(/dev/zero) = %v, want it refused as a character device", err)
	}
}
