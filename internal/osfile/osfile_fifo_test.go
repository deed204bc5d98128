//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

// The systems whose syscall package has Mkfifo.

package osfile_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/embeddb/embeddb/internal/osfile"
)

// noHang fails the test if fn has not returned after a generous bound. It
// detects an open(2) stuck on a FIFO, which never returns and ignores the
// test's own timeout until the whole binary is killed; it is not a speed
// limit.
func noHang(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: blocked on the FIFO", what)
	}
}

func TestOpenRegular_FIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	var err1, err2 error
	noHang(t, "OpenRegular(fifo)", func() {
		var f *os.File
		f, err1 = osfile.OpenRegular(path)
		if f != nil {
			f.Close()
		}
		_, err2 = osfile.ReadRegularFile(path)
	})
	want := path + " is a named pipe (FIFO), not a regular file"
	for name, err := range map[string]error{"OpenRegular": err1, "ReadRegularFile": err2} {
		if !errors.Is(err, osfile.ErrNotRegular) || err.Error() != want {
			t.Errorf("%s(fifo) = %v, want %q", name, err, want)
		}
	}
}

func TestOpenRegular_Devices(t *testing.T) {
	for _, path := range []string{"/dev/null", "/dev/zero"} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		f, err := osfile.OpenRegular(path)
		if err == nil {
			f.Close()
		}
		want := path + " is a character device, not a regular file"
		if !errors.Is(err, osfile.ErrNotRegular) || err.Error() != want {
			t.Errorf("OpenRegular(%s) = %v, want %q", path, err, want)
		}
	}
}

func TestOpenRegular_Socket(t *testing.T) {
	// A short directory name: socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "sock")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("cannot make a Unix socket here: %v", err)
	}
	defer l.Close()
	f, err := osfile.OpenRegular(path)
	if err == nil {
		f.Close()
	}
	want := path + " is a socket, not a regular file"
	if !errors.Is(err, osfile.ErrNotRegular) || err.Error() != want {
		t.Errorf("OpenRegular(socket) = %v, want %q", err, want)
	}
}
