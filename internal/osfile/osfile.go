// Package osfile opens the files that a statement names (a vector file to
// IMPORT, a corpus to TRAIN, a question set to EVALUATE) and refuses, before
// it can block, anything that is not a regular file.
//
// os.Open of a named pipe with no writer blocks in open(2) until a writer
// comes, and no context, Ctrl-C or SIGTERM reaches a goroutine stuck there;
// a statement that did so would hold the database's write lock for ever.
// A check after os.Open comes too late and a check before it (os.Stat)
// leaves a window in which the path can be replaced by a pipe, so on Unix
// [OpenRegular] opens with O_NONBLOCK (which makes open(2) of a pipe return
// at once), checks the open descriptor with fstat(2), and only then clears
// O_NONBLOCK for ordinary blocking reads.
//
// The callers need regular files for reasons of their own: a vector file is
// read at random offsets, a training corpus once per epoch. A pipe, socket,
// device or directory can serve neither, and a character device such as
// /dev/zero never ends. [WithReason] lets a caller say its reason in the
// error.
//
// # Caveats
//
// Where there is no O_NONBLOCK (Windows, Plan 9, wasm), OpenRegular checks
// the path with os.Stat before opening it and the descriptor after: a pipe
// that is there when the statement starts is refused, but one swapped in
// between the two calls can still block.
package osfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is matched (with errors.Is) by the [*NotRegularError] that
// OpenRegular and ReadRegularFile return for anything but a regular file.
var ErrNotRegular = errors.New("osfile: not a regular file")

// NotRegularError reports a path that names something other than a regular
// file: a named pipe, a socket, a device or a directory.
type NotRegularError struct {
	Path string      // the path as given
	Mode fs.FileMode // its type bits, as fstat(2) saw the open file
	// Reason says why the caller needs a regular file, in lowercase; empty
	// when it gave none.
	Reason string
}

// Error returns, for example, "f is a named pipe (FIFO), not a regular file;
// the corpus is read once per epoch".
func (e *NotRegularError) Error() string {
	msg := fmt.Sprintf("%s is %s, not a regular file", e.Path, describe(e.Mode))
	if e.Reason != "" {
		msg += "; " + e.Reason
	}
	return msg
}

// Is reports whether target is [ErrNotRegular].
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// WithReason returns err with reason added when it is a [*NotRegularError]
// (a copy; err is not changed), and err itself otherwise. Callers use it to
// say why a pipe cannot work for them.
func WithReason(err error, reason string) error {
	var nr *NotRegularError
	if !errors.As(err, &nr) {
		return err
	}
	c := *nr
	c.Reason = reason
	return &c
}

// describe names a non-regular file type for an error message.
func describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeDir != 0:
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "an irregular file"
}

// OpenRegular opens the file at path for reading, like os.Open, but returns
// a [*NotRegularError] (without blocking, see the package documentation)
// when path names anything but a regular file; symbolic links are followed.
// Other errors are os.Open's *fs.PathError, so errors.Is(err,
// fs.ErrNotExist) still tells a missing file. The caller must Close the
// file.
func OpenRegular(path string) (*os.File, error) {
	return openRegular(path)
}

// ReadRegularFile reads the whole regular file at path, like os.ReadFile,
// refusing what [OpenRegular] refuses.
func ReadRegularFile(path string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	// One byte more than the size, so a file that has not grown meanwhile
	// is read without growing the buffer to find its end.
	buf := make([]byte, 0, size+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// check returns a *NotRegularError unless m is a regular file's mode.
func check(path string, m fs.FileMode) error {
	if m.IsRegular() {
		return nil
	}
	return &NotRegularError{Path: path, Mode: m.Type()}
}
