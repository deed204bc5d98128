package store

import "time"

// Options configures Open. The zero value of every field means its default;
// a nil *Options means all defaults.
type Options struct {
	// Timeout is how long Open waits for another process to release the
	// file before it returns ErrLocked. Zero means 2 seconds; a negative
	// value means do not wait at all.
	Timeout time.Duration

	// ReadOnly opens the file for reading only. Several processes may hold
	// a database read-only at the same time; none may write it meanwhile.
	ReadOnly bool

	// NoSync skips fsync after each commit. It is faster and survives a
	// crash of the process, but not of the machine: a power failure can lose
	// recent commits or damage the file. Zero (false) means commits are durable.
	NoSync bool

	// MmapSize is the initial size of the memory map, in bytes. Readers
	// never wait for a writer while the file stays within it. Zero means
	// 1 GiB (address space only: the file does not grow to it).
	MmapSize int

	// MemoryLimit caps the memory one statement may use for what it builds
	// (an exact-search matrix, an index build, TRAIN's vocabulary and
	// weights, the rows an INSERT holds in its transaction): past it the
	// statement fails with ErrTooLarge. Zero means no
	// limit beyond the machine's.
	MemoryLimit int64

	// format is the format a new file gets; zero means formatVersion. Tests
	// set 1 to make files as embeddb wrote them before checksums.
	format uint32
}

const (
	defaultTimeout  = 2 * time.Second
	defaultMmapSize = 1 << 30
)

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Timeout == 0 {
		out.Timeout = defaultTimeout
	}
	if out.MmapSize == 0 {
		out.MmapSize = defaultMmapSize
	}
	return out
}

// SetFormat makes a database created with o use storage format f (1: values
// without checksums), for tests of older files.
func SetFormat(o *Options, f uint32) { o.format = f }
