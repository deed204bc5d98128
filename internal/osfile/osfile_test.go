package osfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/internal/osfile"
)

func TestOpenRegular_RegularFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(path, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := osfile.OpenRegular(path)
	if err != nil {
		t.Fatalf("OpenRegular(%q) = %v, want nil", path, err)
	}
	defer f.Close()
	buf := make([]byte, 16)
	n, err := f.ReadAt(buf, 0)
	if got, want := string(buf[:n]), "hello\n"; got != want {
		t.Errorf("ReadAt = %q (%v), want %q", got, err, want)
	}
	if f.Name() != path {
		t.Errorf("Name() = %q, want %q", f.Name(), path)
	}
	data, err := osfile.ReadRegularFile(path)
	if got, want := string(data), "hello\n"; err != nil || got != want {
		t.Errorf("ReadRegularFile(%q) = %q, %v, want %q, nil", path, got, err, want)
	}
}

func TestReadRegularFile_Sizes(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 4095, 4096, 1 << 17} {
		want := make([]byte, n)
		for i := range want {
			want[i] = byte(i * 7)
		}
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := osfile.ReadRegularFile(path)
		if err != nil || string(got) != string(want) {
			t.Errorf("ReadRegularFile of %d bytes = %d bytes, %v", n, len(got), err)
		}
	}
}

func TestOpenRegular_Missing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.txt")
	for name, open := range map[string]func(string) error{
		"OpenRegular":     func(p string) error { _, err := osfile.OpenRegular(p); return err },
		"ReadRegularFile": func(p string) error { _, err := osfile.ReadRegularFile(p); return err },
	} {
		err := open(path)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s(missing) = %v, want an error matching fs.ErrNotExist", name, err)
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != path {
			t.Errorf("%s(missing) = %#v, want a *fs.PathError for %q", name, err, path)
		}
	}
}

func TestOpenRegular_Directory(t *testing.T) {
	dir := t.TempDir()
	f, err := osfile.OpenRegular(dir)
	if err == nil {
		f.Close()
		t.Fatalf("OpenRegular(dir) = nil error, want ErrNotRegular")
	}
	if !errors.Is(err, osfile.ErrNotRegular) {
		t.Errorf("OpenRegular(dir) = %v, want ErrNotRegular", err)
	}
	if got, want := err.Error(), dir+" is a directory, not a regular file"; got != want {
		t.Errorf("OpenRegular(dir) = %q, want %q", got, want)
	}
	if _, err := osfile.ReadRegularFile(dir); !errors.Is(err, osfile.ErrNotRegular) {
		t.Errorf("ReadRegularFile(dir) = %v, want ErrNotRegular", err)
	}
}

func TestWithReason(t *testing.T) {
	dir := t.TempDir()
	_, err := osfile.OpenRegular(dir)
	got := osfile.WithReason(err, "it is read twice")
	if want := dir + " is a directory, not a regular file; it is read twice"; got == nil || got.Error() != want {
		t.Errorf("WithReason = %v, want %q", got, want)
	}
	if !errors.Is(got, osfile.ErrNotRegular) {
		t.Errorf("WithReason(...) = %v, does not match ErrNotRegular", got)
	}
	if err.Error() != dir+" is a directory, not a regular file" {
		t.Errorf("WithReason changed its argument: %v", err)
	}
	other := errors.New("other")
	if got := osfile.WithReason(other, "x"); got != other {
		t.Errorf("WithReason(other) = %v, want other unchanged", got)
	}
	if got := osfile.WithReason(nil, "x"); got != nil {
		t.Errorf("WithReason(nil) = %v, want nil", got)
	}
}
