//go:build !linux

package vecfile

import (
	"io"
	"os"
)

// mapFile maps nothing on this system: a window reads the file with ReadAt.
func mapFile(f *os.File, size int64) ([]byte, io.Closer) { return nil, nil }
