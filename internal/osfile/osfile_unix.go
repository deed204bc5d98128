//go:build unix

package osfile

import (
	"io/fs"
	"os"
	"syscall"
)

// openRegular opens with O_NONBLOCK, so that open(2) of a FIFO without a
// writer returns at once instead of waiting for one, checks the descriptor
// (not the path, which may have changed), and clears O_NONBLOCK so that
// reads of the regular file behave as after os.Open.
func openRegular(path string) (*os.File, error) {
	var fd int
	for {
		var err error
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err == nil {
			break
		}
		if err == syscall.EINTR {
			continue // as os.Open does: a signal is no reason to fail
		}
		if err == syscall.ENXIO || err == syscall.EOPNOTSUPP {
			// open(2) of a Unix socket fails so; say what the path is.
			if fi, serr := os.Stat(path); serr == nil && !fi.Mode().IsRegular() {
				return nil, &NotRegularError{Path: path, Mode: fi.Mode().Type()}
			}
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if err := check(path, modeOf(uint32(st.Mode))); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "fcntl", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// modeOf maps the S_IFMT bits of st_mode to an fs.FileMode type.
func modeOf(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}
