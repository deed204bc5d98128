package osfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/embeddb/embeddb/internal/osfile"
)

// TestOpenRegular_Blocking checks that O_NONBLOCK is cleared on the file
// handed back, so reads behave as after os.Open.
func TestOpenRegular_Blocking(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := osfile.OpenRegular(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		flags, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
	}); err != nil || errno != 0 {
		t.Fatalf("fcntl(F_GETFL): %v %v", err, errno)
	}
	if flags&syscall.O_NONBLOCK != 0 {
		t.Errorf("file flags %#x have O_NONBLOCK set", flags)
	}
}
