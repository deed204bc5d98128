package atomicfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/internal/atomicfile"
)

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTarget(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	write(t, file, "x")
	os.Symlink("file", filepath.Join(dir, "a"))                  // relative
	os.Symlink(filepath.Join(dir, "a"), filepath.Join(dir, "b")) // absolute, to a link
	os.Symlink("missing", filepath.Join(dir, "dangling"))
	os.Symlink("loop2", filepath.Join(dir, "loop1"))
	os.Symlink("loop1", filepath.Join(dir, "loop2"))
	for _, tt := range []struct{ in, want string }{
		{"file", "file"}, {"a", "file"}, {"b", "file"}, {"dangling", "missing"}, {"new", "new"},
	} {
		got, err := atomicfile.Target(filepath.Join(dir, tt.in))
		if err != nil || got != filepath.Join(dir, tt.want) {
			t.Errorf("Target(%s) = %q, %v, want %q", tt.in, got, err, filepath.Join(dir, tt.want))
		}
	}
	if _, err := atomicfile.Target(filepath.Join(dir, "loop1")); err == nil || !strings.Contains(err.Error(), "too many levels") {
		t.Errorf("Target of a link loop = %v, want an error", err)
	}
}

func TestPlaceNewAndReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out")
	tmp, err := atomicfile.CreateTemp(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	tmp.WriteString("mine")
	tmp.Close()
	if !strings.HasPrefix(filepath.Base(tmp.Name()), ".out.test-") || filepath.Dir(tmp.Name()) != dir {
		t.Fatalf("CreateTemp made %s, want .out.test-* beside out", tmp.Name())
	}
	write(t, path, "theirs")
	if err := atomicfile.PlaceNew(tmp.Name(), path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("PlaceNew over an existing file = %v, want fs.ErrExist", err)
	}
	if got := read(t, path); got != "theirs" {
		t.Fatalf("PlaceNew changed the existing file: %q", got)
	}
	if err := atomicfile.Replace(tmp.Name(), path); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); got != "mine" {
		t.Fatalf("after Replace the file holds %q", got)
	}
	if _, err := os.Stat(tmp.Name()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the temporary file is still there: %v", err)
	}
	tmp2, _ := atomicfile.CreateTemp(filepath.Join(dir, "fresh"), "test")
	tmp2.Close()
	if err := atomicfile.PlaceNew(tmp2.Name(), filepath.Join(dir, "fresh")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp2.Name()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("PlaceNew left its temporary file: %v", err)
	}
}

// TestCreateTemp_Error: a failure names the file asked for, not the
// temporary name made up for it.
func TestCreateTemp_Error(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.txt")
	_, err := atomicfile.CreateTemp(path, "tmp")
	if want := "create " + path + ": no such file or directory"; err == nil || err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("CreateTemp in a missing directory = %v, want %q", err, want)
	}
}

// TestFinish: the file gets the permissions asked for (CreateTemp's are
// 0600) and is closed.
func TestFinish(t *testing.T) {
	f, err := atomicfile.CreateTemp(filepath.Join(t.TempDir(), "out"), "test")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("x")
	if err := atomicfile.Finish(f, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(f.Name())
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Fatalf("after Finish: %v, %v; want mode 0644", st.Mode(), err)
	}
	if _, err := f.Write([]byte("y")); err == nil {
		t.Fatal("Finish left the file open")
	}
}
