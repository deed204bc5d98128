package db

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/embeddb/embeddb/query"
	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to path while reads and
// writes go on (it reads one snapshot). The copy appears at path only when
// complete.
func (d *DB) Backup(ctx context.Context, path string) (int64, error) {
	var n int64
	err := d.view(ctx, func(tx *bolt.Tx) error {
		tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		n, err = tx.WriteTo(&ctxWriter{ctx: ctx, w: tmp})
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return os.Rename(tmp.Name(), path)
	})
	return n, err
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

// backup runs BACKUP TO 'file'.
func (e *env) backup(s *query.Backup) (*Rows, error) {
	path, err := e.stringArg(s.File, "the backup file")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	n, err := e.d.Backup(e.ctx, path)
	if err != nil {
		return nil, errAt(s.File, err, "backup to %s: %v", path, err)
	}
	return newRows([]string{"file", "bytes", "seconds"}, [][]any{{path, n, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// VacuumInto writes a compacted copy of the database to path: the space of
// dropped tables and deleted rows is not copied.
func (d *DB) VacuumInto(ctx context.Context, path string) (int64, error) {
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("vacuum into %s: file exists", path)
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o644, &bolt.Options{FreelistType: bolt.FreelistMapType, NoSync: true})
	if err != nil {
		return 0, err
	}
	err = d.view(ctx, func(*bolt.Tx) error { return nil }) // closed check
	if err == nil {
		err = bolt.Compact(dst, d.bolt, 64<<20)
	}
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return 0, err
	}
	st, err := os.Stat(tmp)
	if err != nil {
		return 0, err
	}
	return st.Size(), os.Rename(tmp, path)
}

// vacuum runs VACUUM INTO 'file' (and VACUUM, which compacts the file in
// place).
func (e *env) vacuum(s *query.Vacuum) (*Rows, error) {
	start := time.Now()
	if s.Into == nil {
		before, after, err := e.d.Vacuum(e.ctx)
		if err != nil {
			return nil, at(s, err)
		}
		return newRows([]string{"bytes_before", "bytes_after", "seconds"}, [][]any{{before, after, roundTo(time.Since(start).Seconds(), 3)}}), nil
	}
	path, err := e.stringArg(s.Into, "the file to vacuum into")
	if err != nil {
		return nil, err
	}
	n, err := e.d.VacuumInto(e.ctx, path)
	if err != nil {
		return nil, errAt(s.Into, err, "vacuum into %s: %v", path, err)
	}
	return newRows([]string{"file", "bytes", "seconds"}, [][]any{{path, n, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// Vacuum compacts the database file in place: it writes a compacted copy
// and swaps it in. Statements wait while it runs.
func (d *DB) Vacuum(ctx context.Context) (before, after int64, err error) {
	if d.opts.ReadOnly {
		return 0, 0, ErrReadOnly
	}
	st, err := os.Stat(d.path)
	if err != nil {
		return 0, 0, err
	}
	before = st.Size()
	tmp := d.path + ".vacuum"
	os.Remove(tmp)
	if _, err := d.VacuumInto(ctx, tmp); err != nil {
		return 0, 0, err
	}
	d.gate.Lock()
	defer d.gate.Unlock()
	// Nothing runs now. Writes made between the copy and here would be lost
	// by the swap: copy again, now that nothing can write.
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o644, &bolt.Options{FreelistType: bolt.FreelistMapType, NoSync: true})
	if err != nil {
		return 0, 0, err
	}
	err = bolt.Compact(dst, d.bolt, 64<<20)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return 0, 0, err
	}
	if err := d.bolt.Close(); err != nil {
		return 0, 0, err
	}
	if err := os.Rename(tmp, d.path); err != nil {
		return 0, 0, err
	}
	bdb, file, err := openBolt(d.path, &bolt.Options{Timeout: d.opts.Timeout, NoSync: d.opts.NoSync,
		FreelistType: bolt.FreelistMapType, InitialMmapSize: d.opts.MmapSize})
	if err != nil {
		return 0, 0, fmt.Errorf("reopen after vacuum: %w", err)
	}
	d.bolt, d.file = bdb, file
	if st, err := os.Stat(d.path); err == nil {
		after = st.Size()
	}
	return before, after, nil
}
