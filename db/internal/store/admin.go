package store

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/embeddb/embeddb/internal/atomicfile"
	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while reads and
// writes go on (it reads one snapshot). The copy appears at path only when
// complete, replacing what path held; a path that is a symlink keeps
// pointing at the file it names, which receives the copy. A path that is
// the open database itself (by any name or link) is refused with
// ErrTargetIsDatabase.
func (d *DB) Backup(ctx context.Context, path string) (int64, error) {
	if d.InTransaction() {
		return 0, ErrInTransaction // the copy would hold uncommitted pages
	}
	target, err := atomicfile.Target(path)
	if err != nil {
		return 0, err
	}
	var n int64
	err = d.BoltView(ctx, func(tx *bolt.Tx) error {
		if err := d.CheckNotOpenDB(target); err != nil {
			return err
		}
		tmp, err := atomicfile.CreateTemp(target, "backup")
		if err != nil {
			return err
		}
		n, err = tx.WriteTo(&ctxWriter{ctx: ctx, w: tmp})
		if err == nil {
			err = d.finishCopy(tmp)
		} else {
			tmp.Close()
		}
		if err == nil {
			err = atomicfile.Replace(tmp.Name(), target)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
		return err
	})
	return n, err
}

// finishCopy gives a complete copy the database file's permissions,
// flushes it to disk and closes it.
func (d *DB) finishCopy(f *os.File) error {
	perm := fs.FileMode(0o600)
	if st, err := d.file.Stat(); err == nil {
		perm = st.Mode().Perm()
	}
	return atomicfile.Finish(f, perm)
}

// ctxWriter stops a long copy when its context is cancelled.
type ctxWriter struct {
	ctx context.Context
	w   *os.File
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// VacuumInto writes a compacted copy of the database to path, which must
// not exist: the space of dropped tables and deleted rows is not copied.
// Reads and writes go on meanwhile; the copy holds one snapshot. Nothing
// appears at path unless the copy is complete.
func (d *DB) VacuumInto(ctx context.Context, path string) (int64, error) {
	if d.IsClosed() {
		return 0, ErrClosed
	}
	if d.InTransaction() {
		return 0, ErrInTransaction
	}
	if err := d.refuseDamaged(); err != nil {
		return 0, err // compacting walks the damaged pages with bbolt's cursors
	}
	d.gate.RLock()
	defer d.gate.RUnlock()
	if err := d.CheckNotOpenDB(path); err != nil {
		return 0, err
	}
	if _, err := os.Lstat(path); err == nil {
		return 0, fmt.Errorf("%s: %w", path, fs.ErrExist)
	}
	tmp, err := d.compactTo(ctx, path, "compact")
	if err != nil {
		return 0, err
	}
	size := tmp.size
	if err := tmp.bolt.Close(); err != nil {
		os.Remove(tmp.name)
		return 0, err
	}
	if err := atomicfile.PlaceNew(tmp.name, path); err != nil {
		os.Remove(tmp.name)
		return 0, err
	}
	return size, nil
}

// vacuumPurpose names the temporary file of an in-place VACUUM
// (".NAME.vacuum-DIGITS" beside the database). It is made, and renamed over
// the database, while this process holds the database's lock, so a
// writable Open, which holds the lock too, knows that any such file is what
// a VACUUM killed midway left, and removes it (removeStaleVacuum).
const vacuumPurpose = "vacuum"

// removeStaleVacuum removes the temporary files that in-place VACUUMs of
// the database at path left when they were killed. Only names of exactly
// the form VACUUM makes are touched.
func removeStaleVacuum(path string) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + "." + vacuumPurpose + "-"
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), prefix)
		if ok && digits != "" && strings.Trim(digits, "0123456789") == "" && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// compacted is a compacted copy of the database in a temporary file, open
// (and locked) in bolt.
type compacted struct {
	name string
	bolt *bolt.DB
	file *os.File
	size int64
}

// compactTo copies the database, compacted, into a new temporary file
// beside path and opens it with this database's options. The caller holds
// the gate. On error nothing is left behind.
func (d *DB) compactTo(ctx context.Context, path, purpose string) (c *compacted, err error) {
	f, err := atomicfile.CreateTemp(path, purpose)
	if err != nil {
		return nil, err
	}
	name := f.Name()
	defer func() {
		if err != nil {
			os.Remove(name)
		}
	}()
	if err := d.finishCopy(f); err != nil {
		return nil, err
	}
	dst, _, err := openBolt(name, &bolt.Options{FreelistType: bolt.FreelistMapType, NoSync: true})
	if err != nil {
		return nil, err
	}
	err = d.run(false, func(tx *bolt.Tx) error { return compactInto(ctx, dst, tx) })
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	// Reopened with this database's own options, and so locked, before
	// anyone else can know it.
	var bdb *bolt.DB
	var file *os.File
	if err = reopenFault(purpose); err == nil { // a test's fault: testhooks.go
		bdb, file, err = openBolt(name, boltOptions(d.opts))
	}
	if err != nil {
		return nil, fmt.Errorf("reopen the compacted copy: %w", err)
	}
	st, err := file.Stat()
	if err != nil {
		bdb.Close()
		return nil, err
	}
	return &compacted{name: name, bolt: bdb, file: file, size: st.Size()}, nil
}

// Vacuum compacts the database file in place: it writes a compacted copy
// and swaps it in. Statements wait while it runs.
//
// The swap never leaves the file at the database's path unlocked: the copy
// is opened, and locked, before it is renamed over the old file, and the
// old file is unlocked only after the rename. A process that was waiting
// for the old file's lock then finds that the path names another file and
// opens that (see Open), so no write can go to the old, unlinked file. A
// database reached through a symlink is replaced where the link points.
func (d *DB) Vacuum(ctx context.Context) (before, after int64, err error) {
	if d.opts.ReadOnly {
		return 0, 0, ErrReadOnly
	}
	if d.InTransaction() {
		return 0, 0, ErrInTransaction
	}
	d.gate.Lock()
	defer d.gate.Unlock()
	if d.IsClosed() {
		return 0, 0, ErrClosed
	}
	if err := d.refuseDamaged(); err != nil {
		return 0, 0, err // compacting walks the damaged pages with bbolt's cursors
	}
	if d.lk != nil {
		release, err := d.vacuumLocks(ctx)
		if err != nil {
			return 0, 0, err
		}
		defer release()
	}
	target, err := filepath.EvalSymlinks(d.path)
	if err != nil {
		return 0, 0, err
	}
	st, err := d.file.Stat()
	if err != nil {
		return 0, 0, err
	}
	before = st.Size()
	c, err := d.compactTo(ctx, target, vacuumPurpose)
	if err != nil {
		return 0, 0, err
	}
	if err := ctx.Err(); err != nil {
		c.bolt.Close()
		os.Remove(c.name)
		return 0, 0, err
	}
	if err := atomicfile.Replace(c.name, target); err != nil {
		c.bolt.Close()
		os.Remove(c.name)
		return 0, 0, err
	}
	old := d.bolt
	d.bolt, d.file = c.bolt, c.file
	if d.lk != nil {
		if err := d.adoptVacuumed(c, target); err != nil {
			old.Close()
			return before, c.size, err
		}
	}
	// Transaction ids start again in the new file, and byName trusts an
	// entry for the transaction id it was made in; what else is cached
	// goes by the tables' versions, which the copy keeps, but the metas
	// record whether values carry checksums, which a copy of a format-1
	// file now does. Verified values are remembered by their place in the
	// old file's memory map.
	d.mu.Lock()
	clear(d.byName)
	clear(d.metas)
	d.mu.Unlock()
	d.verified.reset()
	d.resetChunkMaps()
	if err := old.Close(); err != nil {
		return before, c.size, fmt.Errorf("close the file before vacuum: %w", err)
	}
	return before, c.size, nil
}
