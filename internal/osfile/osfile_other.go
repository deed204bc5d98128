//go:build !unix

package osfile

import "os"

// openRegular checks the path before opening it, since os.Open of a pipe
// may block and there is no O_NONBLOCK to stop it, and the open file after,
// in case the path changed in between.
func openRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, fi.Mode()); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return nil, err
	}
	if err := check(path, fi.Mode()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
