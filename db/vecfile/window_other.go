//go:build !linux

package vecfile

import (
	"io"
	"os"
)

// mapFile does not map files here: windows read them with ReadAt.
func mapFile(f *os.File, size int64) ([]byte, io.Closer) { return nil, nil }
