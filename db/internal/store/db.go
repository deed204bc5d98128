package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/embeddb/embeddb/internal/osfile"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DB is an open embeddb database file. It is safe for concurrent use by
// multiple goroutines: reads run concurrently with each other and with one
// writer.
type DB struct {
	bolt *bolt.DB
	file *os.File // the file bbolt opened (and locked), for reads of our own
	opts Options
	path string

	// lk is the process's locks on the file when it is shared (see
	// lock.go); nil when bbolt's own lock is held from Open to Close.
	lk *fileLock
	// seen is the file change counter (bbolt's transaction id) as of the
	// last check or commit of this process; covered is a size of the file
	// the bbolt handle's memory map covers; stale says the handle's
	// free-page list predates another process's commit; roHandle that the
	// handle was reopened read-only to read a grown file. All four change
	// only with lk.mu held and no transaction of the process running.
	seen    uint64
	covered int64
	// explicit is the transaction BEGIN opened, if any (explicit.go);
	// xmu orders BEGIN, COMMIT and ROLLBACK.
	explicit atomic.Pointer[explicitTx]
	xmu      sync.Mutex
	stale    bool
	roHandle bool

	// gate is held shared by every transaction and exclusively by Vacuum
	// while it swaps the file.
	gate sync.RWMutex

	mu     sync.Mutex // guards closed and cache
	closed bool
	cache  map[uint64]*tableCache
	metas  map[uint64]cachedMeta
	byName map[string]namedMeta
	graphs map[uint64]hnswEntry // loaded index graphs, by table id
	toks   map[uint64]tokEntry  // loaded tokenizers, by table id
	loadMu sync.Mutex           // one graph or tokenizer load at a time
	// subs are the FastText n-gram blob parts read so far, by table id (guarded by mu).
	subs map[uint64]*subwordParts
	// streams are the streaming results open now (guarded by mu): Close
	// ends them, since each holds a read transaction until it ends.
	streams map[*Stream]struct{}

	verified sumCache // sealed values read transactions verified

	// epoch moves whenever committed state or the caches may have
	// changed (epoch.go): reads kept from an older epoch are stale.
	epoch atomic.Uint64

	// damage lists the structural problems Open found (pagecheck.go);
	// when there are any, statements are refused and only Check runs.
	damage []string
}

// Open opens the database file at path, creating it if it does not exist
// (unless opts.ReadOnly). A nil opts means the defaults.
//
// A file that is not an embeddb database, or was written by a newer
// version, is refused with ErrNotDatabase or ErrVersion and left untouched.
// If another process holds the file, Open waits up to opts.Timeout and then
// returns ErrLocked. A writable Open removes what interrupted writes left
// behind (tables that were never published).
func Open(path string, opts *Options) (*DB, error) {
	o := opts.withDefaults()
	st, err := os.Stat(path)
	switch {
	case err != nil && o.ReadOnly:
		return nil, fmt.Errorf("open %s: %w", path, err)
	case err == nil && !st.Mode().IsRegular():
		// Opening a FIFO for reading would block until a writer came; a
		// device or a directory is no database either.
		return nil, fmt.Errorf("open %s: %w: %w", path, ErrNotDatabase, &osfile.NotRegularError{
			Path: path, Mode: st.Mode().Type(), Reason: "a database is a regular file"})
	}
	if err := precheck(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if sharedLocking && !o.bboltLock {
		return openShared(path, o)
	}
	bdb, file, err := openLocked(path, boltOptions(o))
	if err != nil {
		return nil, openError(path, err)
	}
	d := &DB{bolt: bdb, file: file, opts: o, path: path, cache: make(map[uint64]*tableCache),
		metas: make(map[uint64]cachedMeta), byName: make(map[string]namedMeta),
		graphs: make(map[uint64]hnswEntry), toks: make(map[uint64]tokEntry)}
	if err := d.walkAtOpen(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := d.init(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return d, nil
}

// openLocked opens the file at path with bbolt and makes sure that the file
// it locked is still the one path names. A process that waited for the lock
// while another compacted the file in place (VACUUM) holds the old file,
// which has been renamed over and is gone from every directory: a write to
// it would be lost. As sqlite does, openLocked compares the locked file's
// device and inode with the path's after taking the lock, and opens the
// path again when they differ.
func openLocked(path string, opts *bolt.Options) (*bolt.DB, *os.File, error) {
	const attempts = 8 // each a VACUUM that finished while we waited
	for range attempts {
		bdb, file, err := openBolt(path, opts)
		if err != nil {
			return nil, nil, err
		}
		held, err := file.Stat()
		if err != nil {
			bdb.Close()
			return nil, nil, err
		}
		now, err := os.Stat(path)
		if err == nil && os.SameFile(held, now) {
			return bdb, file, nil
		}
		bdb.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%w: the file was removed while this process waited for its lock", err)
		}
	}
	return nil, nil, fmt.Errorf("%w: the file was replaced %d times while this process waited for its lock", ErrLocked, attempts)
}

// openError turns an error from openLocked into one of the package's.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("open %s: %w", path, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid):
		return fmt.Errorf("open %s: %w", path, ErrNotDatabase)
	case errors.Is(err, berrors.ErrChecksum):
		return fmt.Errorf("open %s: %w: its header pages fail their checksum", path, ErrNotDatabase)
	case errors.Is(err, berrors.ErrVersionMismatch):
		return fmt.Errorf("open %s: %w: its storage format is another version's", path, ErrNotDatabase)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrLocked) &&
		!errors.Is(err, fs.ErrNotExist) {
		// bbolt's own complaints about the file ("file size too small").
		return fmt.Errorf("open %s: %w: %v", path, ErrCorrupt, err)
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// boltOptions returns the bbolt options for a database opened with o.
func boltOptions(o Options) *bolt.Options {
	timeout := o.Timeout
	if timeout < 0 {
		timeout = time.Nanosecond // bbolt treats 0 as wait forever
	}
	return &bolt.Options{
		Timeout:         timeout,
		ReadOnly:        o.ReadOnly,
		NoSync:          o.NoSync,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: o.MmapSize,
	}
}

// openBolt opens the file with bbolt, turning a panic on a damaged file
// into ErrCorrupt. It also returns the *os.File bbolt opened, which stays
// valid until bdb is closed: the page checker reads through it, and it
// names the inode the lock is on.
func openBolt(path string, opts *bolt.Options) (bdb *bolt.DB, file *os.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			bdb, file, err = nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	o := *opts
	var first sync.Once // bbolt opens the file again for some backups
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, perm)
		first.Do(func() { file = f })
		return f, err
	}
	bdb, err = bolt.Open(path, 0o644, &o)
	if err != nil {
		return nil, nil, err
	}
	return bdb, file, nil
}

// init checks that the file is ours (or empty, and makes it ours), and
// removes unpublished tables.
func (d *DB) init() (err error) {
	if d.damage != nil {
		return nil // bbolt's cursors cannot be trusted on the file
	}
	fresh := false
	err = d.run(false, func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketRoot)
		if root == nil {
			empty := true
			tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return ErrNotDatabase
			}
			fresh = true
			return nil
		}
		v := root.Get(keyFormat)
		if len(v) != 4 {
			return fmt.Errorf("%w: no format version", ErrCorrupt)
		}
		if ver := binary.BigEndian.Uint32(v); ver > formatVersion {
			return fmt.Errorf("%w: file has format %d, this embeddb reads up to %d", ErrVersion, ver, formatVersion)
		}
		if tx.Bucket(BucketCatalog) == nil {
			return fmt.Errorf("%w: missing catalog", ErrCorrupt)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if d.opts.ReadOnly {
		if fresh {
			return fmt.Errorf("%w: the file is empty", ErrNotDatabase)
		}
		return nil
	}
	// What interrupted writes left may be another process's write in
	// progress (a bulk load publishes its table at the end): only a
	// process alone with the file removes it.
	clean := d.lk == nil || d.lk.alone()
	if clean {
		removeStaleVacuum(d.path)
	}
	return d.run(true, func(tx *bolt.Tx) error {
		if fresh {
			root, err := tx.CreateBucket(bucketRoot)
			if err != nil {
				return err
			}
			format := uint32(formatVersion)
			if d.opts.format != 0 {
				format = d.opts.format
			}
			if err := root.Put(keyFormat, u32key(format)); err != nil {
				return err
			}
			if err := root.Put(keyCreated, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
				return err
			}
			_, err = tx.CreateBucket(BucketCatalog)
			return err
		}
		if !clean {
			return nil
		}
		ids, err := orphans(tx)
		if err != nil {
			// A damaged catalog entry would make its table look like a
			// leftover: remove nothing. CHECK DATABASE reports it.
			return nil
		}
		for _, id := range ids {
			if err := dropTableID(tx, id); err != nil {
				return err
			}
		}
		return cleanBlobs(tx)
	})
}

// Path returns the file the database was opened from.
func (d *DB) Path() string { return d.path }

// ReadOnly reports whether the database was opened read-only.
func (d *DB) ReadOnly() bool { return d.opts.ReadOnly }

// Close closes the database. It is safe to call more than once; later calls
// return nil. Statements still running are waited for; a streaming *Rows
// left open is ended (its Next returns false and its Err ErrClosed), so
// Close does not wait on a caller that forgot to close one.
func (d *DB) Close() error {
	if d.InTransaction() {
		d.Rollback() // as sqlite does with a transaction open at close
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	d.cache, d.metas, d.byName, d.graphs, d.toks = nil, nil, nil, nil, nil
	for st := range d.streams {
		st.End(true)
	}
	d.mu.Unlock()
	d.gate.Lock()
	defer d.gate.Unlock()
	err := d.bolt.Close()
	if d.lk != nil {
		d.lk.close()
		if cerr := d.lk.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (d *DB) IsClosed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

// usable says why a transaction cannot start, if it cannot: the handle is
// closed, a write is asked of a read-only handle, or Open found the file
// damaged.
func (d *DB) usable(write bool) error {
	if d.IsClosed() {
		return ErrClosed
	}
	if write && d.opts.ReadOnly {
		return ErrReadOnly
	}
	return d.refuseDamaged()
}

// BoltView runs fn in a read transaction.
func (d *DB) BoltView(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := d.usable(false); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.gate.RLock()
	defer d.gate.RUnlock()
	return d.runCtx(ctx, false, fn)
}

// update runs fn in a write transaction.
func (d *DB) update(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := d.usable(true); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.gate.RLock()
	defer d.gate.RUnlock()
	return d.runCtx(ctx, true, func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		// A cancelled statement leaves nothing behind.
		return ctx.Err()
	})
}

// run runs fn in a transaction, committing a writable one if fn succeeds.
// A memory fault while it reads the mapped file (one that shrank, or a
// page bbolt followed off its end) becomes ErrCorrupt; any other panic is
// a bug and becomes an *InternalError carrying its stack. Either way the
// transaction is rolled back and the handle stays usable.
func (d *DB) run(writable bool, fn func(*bolt.Tx) error) (err error) {
	return d.runCtx(context.Background(), writable, fn)
}

// runCtx is run, with ctx bounding the wait for another process's lock.
func (d *DB) runCtx(ctx context.Context, writable bool, fn func(*bolt.Tx) error) (err error) {
	if ex := d.explicit.Load(); ex != nil {
		return d.runExplicit(ex, writable, fn)
	}
	if d.lk != nil {
		if writable {
			if err := d.lk.beginWrite(ctx); err != nil {
				return err
			}
			defer d.lk.endWrite()
		} else {
			if err := d.lk.beginRead(ctx); err != nil {
				return err
			}
			defer d.lk.endRead()
		}
	}
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	tx, err := d.bolt.Begin(writable)
	if err != nil {
		return err
	}
	if writable {
		defer d.moved() // after the commit, visible to new transactions
	}
	if writable && d.lk != nil {
		// What this process commits is no news at its next check.
		id := uint64(tx.ID())
		defer func() {
			if err == nil {
				d.committed(id)
			}
		}()
	}
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
		tx.Rollback() // after a Commit, a harmless ErrTxClosed
	}()
	if err = fn(tx); err != nil || !writable {
		return err
	}
	if d.lk != nil {
		// The file is written only now: readers of other processes were
		// reading until here.
		if err := d.lk.commitLock(ctx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// panicError turns a panic recovered in a transaction into an error. Only a
// memory fault (a runtime.Error with the faulting address, which
// debug.SetPanicOnFault makes of a fault on the mapped file) says the file
// is damaged; anything else, a nil dereference or an index out of range in
// embeddb or bbolt, is a bug, and must reach the user and the tests as one,
// not as "database file is corrupt".
func panicError(r any) error {
	if re, ok := r.(runtime.Error); ok {
		if _, fault := re.(interface{ Addr() uintptr }); fault {
			return fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}
	return &InternalError{Panic: r, Stack: debug.Stack()}
}

// Stream is a streaming result's hold on the database: its producer reads
// in a transaction until done is closed.
type Stream struct {
	Ctx      context.Context // the statement's, cancelled when it ends
	cancel   context.CancelFunc
	Done     chan struct{}
	once     sync.Once
	ClosedDB atomic.Bool // ended by DB.Close, not by the caller
	Finished atomic.Bool // the producer sent every row there was
}

// End stops the producer; byClose says that DB.Close asked.
func (st *Stream) End(byClose bool) {
	st.once.Do(func() {
		st.ClosedDB.Store(byClose)
		st.cancel()
		close(st.Done)
	})
}

// OpenStream registers a streaming result, so that Close can end it.
func (d *DB) OpenStream(ctx context.Context) (*Stream, error) {
	sctx, cancel := context.WithCancel(ctx)
	st := &Stream{Ctx: sctx, cancel: cancel, Done: make(chan struct{})}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		cancel()
		return nil, ErrClosed
	}
	if d.streams == nil {
		d.streams = make(map[*Stream]struct{})
	}
	d.streams[st] = struct{}{}
	return st, nil
}

// StreamCounts returns how many streaming results hold a read transaction
// now, and how many of them have sent every row they had.
func (d *DB) StreamCounts() (open, finished int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for st := range d.streams {
		open++
		if st.Finished.Load() {
			finished++
		}
	}
	return open, finished
}

// CloseStream forgets a result whose producer has ended.
func (d *DB) CloseStream(st *Stream) {
	d.mu.Lock()
	delete(d.streams, st)
	d.mu.Unlock()
}
