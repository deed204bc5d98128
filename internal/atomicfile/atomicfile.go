// Package atomicfile writes files so that a reader, a crash or a failure
// never finds one half-written: the contents go to a temporary file with a
// unique name beside the target, which a rename (or, where nothing may be
// overwritten, a hard link) puts in place when complete. Only the temporary
// file is ever removed on failure, never a file that someone else made, and
// a target that is a symlink keeps pointing where it did: the file it names
// receives the new contents.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Target returns the file a write to path should replace: path
// itself, or, when path is a symlink, the file it names (a link to a file
// that does not exist yet names that file too).
func Target(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	for range 40 { // as the kernel's own limit on links in a path
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
		st, err = os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// CreateTemp creates an empty file with a unique name in the directory of
// path, for a copy that is renamed to path when complete.
// A failure is reported for path, not for the temporary name, which the
// caller never chose ("create out/x.txt: no such file or directory").
func CreateTemp(path, purpose string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"."+purpose+"-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &fs.PathError{Op: "create", Path: path, Err: err}
	}
	return f, nil
}

// Finish readies the complete temporary file f to be put in place: it gives
// it the permissions perm (CreateTemp makes it 0600), flushes it to disk and
// closes it, even when an earlier step fails.
func Finish(f *os.File, perm fs.FileMode) error {
	err := f.Chmod(perm)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Replace moves the complete temporary file tmp to path, replacing what
// path held, and makes the rename durable.
func Replace(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// PlaceNew moves the complete temporary file tmp to path only if nothing is
// at path: a file that appeared there meanwhile is not overwritten, and the
// error then matches fs.ErrExist.
func PlaceNew(tmp, path string) error {
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", path, fs.ErrExist)
		}
		// A file system without hard links: the check and the rename are
		// then two steps, as close together as they can be.
		if _, serr := os.Lstat(path); serr == nil {
			return fmt.Errorf("%s: %w", path, fs.ErrExist)
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
		return SyncDir(filepath.Dir(path))
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// SyncDir flushes a directory, so that a rename or link in it survives a
// crash.
func SyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		return nil // some systems cannot sync a directory; the rename stands
	}
	return err
}
