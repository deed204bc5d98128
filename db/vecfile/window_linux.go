package vecfile

import (
	"io"
	"os"
	"syscall"
)

// mapFile maps the size bytes of f read-only, for sequential reading, and
// returns the map and what unmaps it; or nil if it cannot.
func mapFile(f *os.File, size int64) ([]byte, io.Closer) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil
	}
	_ = syscall.Madvise(m, syscall.MADV_SEQUENTIAL) // a hint: more read-ahead
	return m, unmapper(m)
}

type unmapper []byte

func (m unmapper) Close() error { return syscall.Munmap(m) }
