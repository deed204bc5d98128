//go:build unix

package store

import (
	"os"
	"syscall"
)

// precheck runs checkBoltFile on the file at path while holding a shared
// lock on it, so that no writer changes it meanwhile; if another process
// holds it for writing, precheck says nothing and bbolt waits for the lock.
// The lock is released before bbolt opens the file.
func precheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return nil
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) != nil {
		return nil
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return checkBoltFile(f, fi.Size())
}
