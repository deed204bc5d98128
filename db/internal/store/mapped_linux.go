//go:build linux

package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// dropMapped tells the kernel that this process no longer needs the pages of the database
// file it has touched through bbolt's read-only memory map (madvise MADV_DONTNEED): they
// stay in the page cache, and a later read maps them again. bbolt reads a bucket's last
// stored values again at every commit that appends to it, so a long blob write (a FastText
// TRAIN's n-gram matrix, hundreds of commits) would otherwise keep tens of MiB of the file
// in the process's resident set. It is advice: errors are ignored.
func (d *DB) dropMapped() {
	d.gate.RLock()
	defer d.gate.RUnlock()
	_ = d.bolt.View(func(tx *bolt.Tx) error {
		// The read transaction keeps bbolt from remapping while the advice is given; the
		// map covers at least the size the transaction sees.
		if addr, size := d.bolt.Info().Data, uintptr(tx.Size()); addr != 0 && size > 0 {
			_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, size, syscall.MADV_DONTNEED)
		}
		return nil
	})
}
