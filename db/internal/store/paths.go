package store

import (
	"fmt"
	"io/fs"
	"os"
)

// The statements that write a file (BACKUP, VACUUM INTO, EXPORT, and
// VACUUM's compacted copy) refuse a target that is the open database: the
// same path, another path to it, a symlink or a hard link (the same device
// and inode). Writing over it would drop every later write of this process.
// They write through internal/atomicfile, so that nothing is half-written
// and nothing they did not create is removed.

// CheckNotOpenDB returns ErrTargetIsDatabase when path names the file this
// database has open. A path that does not exist is not the database.
func (d *DB) CheckNotOpenDB(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if d.isOpenFile(st) {
		return fmt.Errorf("%s: %w", path, ErrTargetIsDatabase)
	}
	return nil
}

// isOpenFile reports whether st describes the file the database has open.
func (d *DB) isOpenFile(st fs.FileInfo) bool {
	if d.file == nil {
		return false
	}
	own, err := d.file.Stat()
	return err == nil && os.SameFile(own, st)
}
