package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The store's side of sharing the file (the design is in lock.go): Open
// for a shared file, the change check at the start of a statement, and
// the refresh of the bbolt handle.

// openShared opens path with the process's own locks (lock.go): bbolt's
// flock is held only inside bbolt's Open.
func openShared(path string, o Options) (*DB, error) {
	const attempts = 8 // each a VACUUM that finished while we waited
	for range attempts {
		d, again, err := openSharedOnce(path, o)
		var oe *openedError
		if errors.As(err, &oe) {
			return nil, fmt.Errorf("open %s: %w", path, oe.err)
		}
		if err != nil {
			return nil, openError(path, err)
		}
		if !again {
			return d, nil
		}
	}
	return nil, fmt.Errorf("open %s: %w: the file was replaced %d times while this process waited for its lock", path, ErrLocked, attempts)
}

// openSharedOnce opens path once; again says the path named another file
// by the time its lock was taken (a VACUUM replaced it), so try again.
func openSharedOnce(path string, o Options) (d *DB, again bool, err error) {
	flag, perm := os.O_RDWR|os.O_CREATE, os.FileMode(0o644)
	if o.ReadOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		return nil, false, err
	}
	l := &fileLock{f: f, ro: o.ReadOnly, busy: o.Busy, check: func() error { return nil },
		stale: func() bool { return false }, ready: func(bool) error { return nil }}
	l.timeout.Store(int64(o.Timeout))
	ctx := context.Background()
	defer func() {
		if err != nil || again {
			f.Close() // drops every lock taken on it
		}
	}()
	if err := l.present(ctx); err != nil {
		return nil, false, err
	}
	held, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(held, now) {
		if err != nil {
			return nil, false, fmt.Errorf("%w: the file was removed while this process waited for its lock", err)
		}
		return nil, true, nil
	}
	// Hold every lock while bbolt opens the file and init cleans up.
	if err := l.pin(ctx); err != nil {
		return nil, false, err
	}
	d = &DB{file: f, opts: o, path: path, lk: l, cache: make(map[uint64]*tableCache),
		metas: make(map[uint64]cachedMeta), byName: make(map[string]namedMeta),
		graphs: make(map[uint64]hnswEntry), toks: make(map[uint64]tokEntry)}
	l.mu.Lock()
	err = l.besideBolt(!o.ReadOnly, func() error { return d.openHandle(!o.ReadOnly) })
	l.mu.Unlock()
	if err != nil {
		return nil, false, err
	}
	if err := d.walkAtOpen(); err != nil {
		d.bolt.Close()
		return nil, false, &openedError{err}
	}
	if err := d.init(); err != nil {
		d.bolt.Close()
		return nil, false, &openedError{err}
	}
	l.check, l.stale, l.ready = d.checkChanges, func() bool { return d.stale || d.roHandle }, d.readyToWrite
	if !o.Exclusive {
		l.unpin()
	}
	return d, false, nil
}

// openedError is an error found in a file bbolt opened: what it says needs
// no translation from bbolt's terms.
type openedError struct{ err error }

func (e *openedError) Error() string { return e.err.Error() }

// openHandle opens the bbolt handle (writable or not), closing the one
// there was. The caller holds the process's locks, its flock given back
// unless a shared one admits bbolt's (fileLock.besideBolt), and no
// transaction of the process runs.
func (d *DB) openHandle(writable bool) error {
	bo := boltOptions(d.opts)
	bo.ReadOnly = !writable
	bo.Timeout = time.Nanosecond // its flock cannot be refused: see besideBolt
	bdb, file, err := openBolt(d.path, bo)
	if err != nil {
		return err
	}
	// bbolt's flock on its own descriptor goes at once: the process's
	// locks are on d.lk.f.
	if _, err := flockTry(file, unlocked); err != nil {
		bdb.Close()
		return err
	}
	var txid uint64
	var size int64
	err = withTx(bdb, func(tx *bolt.Tx) { txid, size = uint64(tx.ID()), tx.Size() })
	if err != nil {
		bdb.Close()
		return err
	}
	st, err := file.Stat()
	if err != nil {
		bdb.Close()
		return err
	}
	old := d.bolt
	d.bolt = bdb
	d.seen, d.stale, d.roHandle = txid, false, !writable && !d.opts.ReadOnly
	// bbolt maps at least InitialMmapSize and at least the file.
	d.covered = max(int64(d.opts.MmapSize), st.Size(), size)
	if old != nil {
		old.Close() // no transaction of the process runs on it
	}
	return nil
}

// withTx runs fn in a read transaction of bdb, turning a memory fault on a
// damaged file into ErrCorrupt.
func withTx(bdb *bolt.DB, fn func(*bolt.Tx)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()
	tx, err := bdb.Begin(false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	fn(tx)
	return nil
}

// checkChanges is the check at the start of a statement (fileLock.check):
// when the file change counter moved since this process last looked,
// another process committed, so the caches of the tables it changed are
// dropped, and the handle is reopened if the file outgrew its map.
func (d *DB) checkChanges() error {
	var txid uint64
	var size int64
	if err := withTx(d.bolt, func(tx *bolt.Tx) { txid, size = uint64(tx.ID()), tx.Size() }); err != nil {
		return err
	}
	if txid == d.seen {
		return nil
	}
	d.seen = txid
	d.moved() // another process committed: what was read before may be stale
	if !d.opts.ReadOnly {
		d.stale = true // its free pages are another process's now
	}
	d.verified.reset() // remembered by their place in the map, which another process rewrote
	d.resetChunkMaps()
	if size > d.covered {
		// Readable with a read-only handle, which the other readers'
		// shared locks allow; a write reopens it writable.
		if err := d.lk.besideBolt(false, func() error { return d.openHandle(false) }); err != nil {
			return err
		}
	}
	return d.forgetChanged()
}

// readyToWrite makes the handle fit for a write (fileLock.ready): a
// writable handle whose free-page list is the file's.
func (d *DB) readyToWrite(alone bool) error {
	if !d.stale && !d.roHandle {
		return nil
	}
	if !alone {
		return errNotAlone
	}
	return d.lk.besideBolt(true, func() error { return d.openHandle(true) })
}

// committed notes a commit of this process: its own change is no news.
func (d *DB) committed(txid uint64) {
	d.seen = txid
	withTx(d.bolt, func(tx *bolt.Tx) { d.covered = max(d.covered, tx.Size()) })
}

// forgetChanged drops from the caches every table another process changed
// or dropped: its version in the file is no longer the cached one.
func (d *DB) forgetChanged() error {
	defer d.moved()
	live := make(map[uint64]uint64)
	err := withTx(d.bolt, func(tx *bolt.Tx) {
		_, ids, err := catalog(tx)
		if err != nil {
			return
		}
		for _, id := range ids {
			if b := tx.Bucket(TableKey(id)); b != nil {
				if v := b.Get(keyVer); len(v) == 8 {
					live[id] = binary.BigEndian.Uint64(v)
				}
			}
		}
	})
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	stale := func(id, ver uint64) bool { v, ok := live[id]; return !ok || v != ver }
	for id, c := range d.cache {
		if stale(id, c.ver) {
			delete(d.cache, id)
		}
	}
	for id, m := range d.metas {
		if stale(id, m.ver) {
			delete(d.metas, id)
		}
	}
	for id := range d.graphs {
		if _, ok := live[id]; !ok || d.metas[id].meta == nil {
			delete(d.graphs, id)
		}
	}
	for id := range d.toks {
		if _, ok := live[id]; !ok || d.metas[id].meta == nil {
			delete(d.toks, id)
		}
	}
	for id := range d.subs {
		if _, ok := live[id]; !ok || d.metas[id].meta == nil {
			delete(d.subs, id)
		}
	}
	clear(d.byName)
	return nil
}

// unpin gives back the locks pin took: the file is shared from here on.
func (l *fileLock) unpin() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pinned = false
	if l.writing {
		l.dropWriteLocked()
	} else if l.readers == 0 {
		l.unlockLocked()
	}
}

// SetTimeout changes the busy timeout of the open database (the shell's
// .timeout): how long a statement waits for another process's lock. Zero
// means the default, negative do not wait.
func (d *DB) SetTimeout(t time.Duration) {
	if t == 0 {
		t = defaultTimeout
	}
	if d.lk != nil {
		d.lk.timeout.Store(int64(t))
	}
}

// vacuumLocks takes what VACUUM needs of a shared file: the write locks,
// and the file to itself, since it replaces the file, and a process that
// has the old one open would go on with it. release gives them back.
func (d *DB) vacuumLocks(ctx context.Context) (release func(), err error) {
	l := d.lk
	if !l.pinned {
		// PRESENCE first, waiting for the others to close the file: a
		// writer among them needs the write locks to finish and leave.
		w := l.newWait(ctx)
		w.holding = func() string {
			return "VACUUM replaces the file and needs it to itself, but another process has it open (" +
				orUnknown(lockHolders(l.f)) + "); VACUUM INTO writes a compacted copy without"
		}
		for {
			ok, err := rangeLock(l.f, lockPresence, rangeWrite)
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
			if err := w.again("vacuum"); err != nil {
				return nil, err
			}
		}
	} else if ok, err := rangeLock(l.f, lockPresence, rangeWrite); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("%w: VACUUM replaces the file and needs it to itself, but another process has it open (%s); VACUUM INTO writes a compacted copy without", ErrLocked, orUnknown(lockHolders(l.f)))
		}
		return nil, err
	}
	if err := l.beginWrite(ctx); err != nil {
		rangeLock(l.f, lockPresence, rangeRead)
		return nil, err
	}
	return func() {
		rangeLock(l.f, lockPresence, rangeRead)
		l.endWrite()
	}, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "which one cannot be told"
	}
	return s
}

// adoptVacuumed moves the process's locks to the compacted file VACUUM
// renamed over the old one, which d.bolt now has open: a descriptor of our
// own holding what we held on the old one. Closing the old descriptor then
// lets the processes waiting to open the old file in; they find that the
// path names another file, and open that.
func (d *DB) adoptVacuumed(c *compacted, target string) error {
	l := d.lk
	nf, err := os.OpenFile(target, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range []struct {
		off int64
		typ rangeType
	}{{lockPresence, rangeWrite}, {lockReserved, rangeWrite}, {lockPending, rangeWrite}} {
		if ok, err := rangeLock(nf, r.off, r.typ); err != nil || !ok {
			nf.Close()
			return fmt.Errorf("%w: the compacted file was taken by another process", ErrLocked)
		}
	}
	flockTry(c.file, unlocked) // bbolt's, taken at its Open
	if ok, err := flockTry(nf, l.mode); err != nil || !ok {
		nf.Close()
		return fmt.Errorf("%w: the compacted file was taken by another process", ErrLocked)
	}
	oldf := l.f
	l.f, d.file = nf, nf
	oldf.Close()
	var txid uint64
	withTx(d.bolt, func(tx *bolt.Tx) { txid = uint64(tx.ID()) })
	d.seen, d.stale, d.roHandle = txid, false, false
	d.covered = max(int64(d.opts.MmapSize), c.size)
	return nil
}
