package store

import "time"

// Options configures Open. The zero value of every field means its default;
// a nil *Options means all defaults.
type Options struct {
	// Timeout is the busy timeout: how long Open, and each statement or
	// transaction, waits for another process to release the file before
	// it returns ErrLocked (sqlite's busy_timeout). Zero means 2 seconds; a
	// negative value means do not wait at all.
	Timeout time.Duration

	// ReadOnly opens the file for reading only: this process never takes
	// the write lock.
	ReadOnly bool

	// Exclusive keeps the file locked from Open to Close, as bbolt does: no
	// other process can read or write it meanwhile (they wait for their
	// Timeout and get ErrLocked), and in exchange statements skip the
	// per-statement locking and the check for other processes' changes. A
	// read-only Exclusive handle holds a shared lock: other readers may
	// read, no process may write. False (the default) shares the file as
	// sqlite does: a lock is held only while a statement or transaction
	// runs (a shared lock serves the statements that follow for up to
	// 2 ms, so that a loop of queries costs no system calls; an idle
	// process holds none). On systems without Linux's open-file-description locks every
	// handle is exclusive.
	Exclusive bool

	// Busy, if set, is called when a statement starts to wait for a lock
	// another process holds (once per statement), with what can be told of
	// that process ("pid 1234 (embeddb words.db) is writing it", or ""): a
	// shell says that it waits. It must not call back into the database.
	Busy func(holder string)

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
	// weights, the rows an INSERT, or an IMPORT of JSON Lines or CSV or
	// into an existing table, holds in its transaction): past it the
	// statement fails with ErrTooLarge. Zero means no
	// limit beyond the machine's.
	MemoryLimit int64

	// format is the format a new file gets; zero means formatVersion. Tests
	// set 1 to make files as embeddb wrote them before checksums.
	format uint32

	// bboltLock makes Open keep bbolt's own lock from Open to Close, with
	// none of the per-statement locking: how embeddb opened files before
	// they were shared, kept as the baseline of the sharing benchmarks.
	bboltLock bool
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

// SetBBoltLock makes a database opened with o hold bbolt's own lock from
// Open to Close, without the per-statement locks and checks: the behaviour
// before files were shared, for benchmarks that compare against it.
func SetBBoltLock(o *Options) { o.bboltLock = true }
