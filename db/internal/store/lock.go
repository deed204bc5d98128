package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Sharing the file between processes
//
// sqlite's users expect a process to hold a lock on the file only while a
// statement (a transaction) runs: shared while it reads, exclusive while it
// writes, with a busy timeout for a lock someone else holds. bbolt does not
// work that way: Open takes an exclusive flock (shared for a read-only
// Open) and keeps it until Close, and its Options offer no way out (only
// Timeout, ReadOnly and an OpenFile hook). So the store keeps one bbolt
// handle open for the life of the DB, lets bbolt hold its flock only inside
// Open, and takes locks of its own, per transaction, on a second descriptor
// of the same file (fileLock):
//
//   - SHARED and EXCLUSIVE are a flock on the file, the same lock bbolt
//     takes: an older embeddb, or bbolt's own tools, that hold the file for
//     their whole life still exclude this one, and the other way round.
//   - RESERVED and PENDING are byte-range locks (Linux's open-file-description
//     locks, which, unlike classic POSIX locks, a close of another descriptor
//     of the file does not drop) past the end of any real file. A writer
//     takes RESERVED when its transaction begins, so that there is one
//     writer at a time across processes; other processes go on reading,
//     since bbolt changes nothing in the file before Commit (the
//     transaction builds its pages in memory). For the commit it takes
//     PENDING, which makes new readers wait (a reader that finds PENDING
//     taken when it has its flock steps back): without it, readers querying in a loop could keep a
//     writer out for ever. Then it turns its flock exclusive, waiting for
//     the readers that were there to finish, and commits. Turning a flock
//     from shared to exclusive is not atomic (Linux drops the shared lock
//     first); holding RESERVED is what makes that safe: no other writer can
//     come in between. This is sqlite's rollback-journal scheme, and BEGIN
//     is its BEGIN IMMEDIATE.
//   - PRESENCE is a byte-range read lock every process holds while it has
//     the file open. It excludes nobody's reads or writes (sqlite's WAL
//     mode keeps a lock of the same kind); it lets Open tell whether it is
//     alone, and only then remove what interrupted writes left (an
//     unpublished table may be another process's bulk load in progress), and
//     lets VACUUM, which replaces the file, refuse while others have it open.
//
// Readers never read while another process commits: bbolt reuses the
// pages a commit freed, and only knows the read transactions of its own
// process, so a writer must keep every other process's readers out while
// it writes pages (sqlite's rollback-journal mode works the same way). A
// long statement writes in short transactions (the bulk writer commits a
// chunk at a time, and TRAIN writes only at its end), so readers in other
// processes wait at most for one commit.
//
// A handle that stays open across other processes' commits must see them.
// bbolt maps the file shared and reads its meta pages at each transaction,
// so a read sees the last commit; but the map covers only the size the file
// had at Open (at least Options.MmapSize), and a writable handle keeps the
// free-page list it loaded at Open, which another process's commit makes
// wrong. So when the process goes from holding nothing to holding a lock
// (the only moment another process can have committed, and a moment when no
// transaction of this process is running), it reads the file change
// counter: bbolt's transaction id, kept in the file's meta page and raised
// by every commit of every process. If it moved, the tables whose versions
// changed are dropped from the caches (graphs, matrices, words, tokenizers),
// and the bbolt handle is opened again when the file outgrew the map, or
// before the next write when its free-page list is stale.
//
// A shared lock serves the statements that follow the one that took it for
// lockLease (2 ms): a loop of queries then makes no system calls and no
// change check (no other process can commit while it is held). At the end
// of a lease the lock serves another one if no writer waits (PENDING is
// free: one system call), and is given back otherwise, so a writer
// elsewhere waits at most a lease longer; a timer gives it back when the
// process falls idle.
//
// Options.Exclusive takes every lock at Open and keeps it: no other process
// can use the file, and statements skip the locking and the change check.
// On systems without open-file-description locks the store behaves as if
// Exclusive were always set (bbolt's own lock, held from Open to Close).
//
// A process killed while it holds a lock loses it with its descriptors; the
// file is as its last commit left it (bbolt writes pages, then the meta page).

// Byte offsets of the byte-range locks: far past the end of any database
// file, so that they lock no data anyone reads through a range lock.
const (
	lockReserved = 1<<40 + iota
	lockPending
	lockPresence
)

// lockMode is the flock the process holds on the file.
type lockMode uint8

const (
	unlocked lockMode = iota
	sharedLock
	exclusiveLock
)

// fileLock is a process's locks on its database file. Its methods are safe
// for concurrent use; read transactions of the process share one shared
// lock, and its one writer holds the exclusive lock while the readers go on
// (bbolt keeps them apart within the process).
type fileLock struct {
	mu      sync.Mutex
	f       *os.File // a descriptor of our own: bbolt's holds no lock
	mode    lockMode
	readers int  // read transactions of this process now running
	writing bool // RESERVED and PENDING are held
	pinned  bool // Options.Exclusive: everything is held from Open to Close
	ro      bool // f is open read-only: this process never writes

	wmu sync.Mutex // held by this process's writer from beginWrite to endWrite

	timeout atomic.Int64 // the busy timeout, in nanoseconds; negative: do not wait
	busy    func(holder string)

	// A shared lock outlives the statement that took it by up to
	// lockLease from its taking (idle releases it), so that statements in
	// a loop pay no syscalls and no change check: while it is held, no
	// other process can commit. closed stops idle after Close.
	leaseEnd time.Time
	idle     *time.Timer
	armed    bool // idle will fire
	closed   bool

	// check is called, with mu held, when the process goes from holding
	// no lock to holding one (SHARED, or RESERVED for a writer): no
	// transaction of it is running, and no other process can be writing.
	// stale says the handle must be reopened before a write; ready, called
	// with the exclusive lock held, reopens it; alone says that no read
	// transaction of the process is running. An error from
	// either gives the locks back.
	check func() error
	stale func() bool
	ready func(alone bool) error
}

// errNotAlone means a refresh of the bbolt handle has to wait for this
// process's own read transactions to end.
var errNotAlone = errors.New("this process's own open results (a *Rows not closed) keep the database from being refreshed")

// wait is one busy-wait of a lock attempt: it reports the wait (once) and
// sleeps, or returns ErrLocked past the timeout. The sleeps start short, so
// that a reader follows a writer's commit within milliseconds.
type wait struct {
	l       *fileLock
	ctx     context.Context
	start   time.Time
	n       int
	told    bool
	holding func() string
}

func (w *wait) again(what string) error {
	if w.n == 0 {
		w.start = time.Now()
	}
	w.n++
	timeout := time.Duration(w.l.timeout.Load())
	if timeout < 0 || time.Since(w.start) >= timeout {
		return &LockedError{Holder: w.holder(), Want: what}
	}
	if !w.told && w.n >= 3 && w.l.busy != nil {
		w.told = true
		w.l.busy(w.holder())
	}
	d := time.Duration(min(w.n, 10)) * time.Millisecond / 2
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-w.ctx.Done():
		return w.ctx.Err()
	case <-t.C:
		return nil
	}
}

func (w *wait) holder() string {
	if w.holding == nil {
		return ""
	}
	return w.holding()
}

// LockedError is ErrLocked with what could be told of the process that
// holds the file.
type LockedError struct {
	Holder string // "pid 1234 (embeddb words.db) is writing", or ""
	Want   string // "read", "write"
}

// Error says what waited and, when it is known, for whom.
func (e *LockedError) Error() string {
	msg := ErrLocked.Error()
	if e.Holder != "" {
		msg += ": " + e.Holder
	}
	if e.Want != "" {
		msg += " (this process wanted to " + e.Want + ")"
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrLocked) hold.
func (e *LockedError) Unwrap() error { return ErrLocked }

// newWait starts the busy-waits of one lock attempt.
func (l *fileLock) newWait(ctx context.Context) *wait {
	return &wait{l: l, ctx: ctx, holding: func() string { return lockHolders(l.f) }}
}

// beginRead takes the shared lock for a read transaction, unless the
// process holds a lock already.
func (l *fileLock) beginRead(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lingering() {
		// Past its lease the lock serves on only if no writer waits
		// (renewLocked), so that a loop of statements cannot keep one out.
		l.renewLocked(time.Now())
	}
	if l.mode != unlocked || l.writing {
		l.readers++
		return nil
	}
	w := l.newWait(ctx)
	for {
		ok, err := l.trySharedLocked()
		if err != nil {
			return err
		}
		if ok {
			break
		}
		if err := w.again("read"); err != nil {
			return err
		}
	}
	l.mode = sharedLock
	if err := l.check(); err != nil {
		l.unlockLocked()
		return err
	}
	l.readers++
	l.leaseEnd = time.Now().Add(lockLease)
	return nil
}

// lockLease is how long a shared lock may serve the statements that follow
// the one that took it before it looks for a waiting writer again: a writer
// of another process waits at most that much longer behind a loop of
// statements.
const lockLease = 2 * time.Millisecond

// idleGrace is how long past its lease a lock that no statement uses is
// kept before idle gives it back: an idle process holds nothing
// lockLease+idleGrace after its last statement. idle fires once a
// lockLease+idleGrace while statements run in a loop, and each firing
// wakes the runtime's other threads; at once a lease (2 ms, no grace) that
// cost a prepared NEAREST 2-5% of its time on a 2-core machine
// (BenchmarkNearest, 100k rows, alternated on a shared machine: sql/index
// 1.12-1.17 without the grace, 1.09-1.11 with it; quiet, 1.11-1.12 and
// 1.06-1.09 with this and the 10-row result). A loop still lets a waiting
// writer in within a lease: it renews the lease only when no writer holds
// PENDING.
const idleGrace = 8 * time.Millisecond

// renewLocked is the end of a lingering lock's lease (nothing happens
// before leaseEnd): if no writer of another process holds PENDING, the
// lock serves another lease; otherwise it is given back, and the next
// statement takes it again behind the writer. A renewal costs one look at
// PENDING, where giving the lock back and taking it again would cost two
// flocks, that look, and the change check: the change check is not needed,
// since no other process can commit while this one holds its shared lock.
func (l *fileLock) renewLocked(now time.Time) {
	if now.Before(l.leaseEnd) {
		return
	}
	if free, err := rangeFree(l.f, lockPending); err == nil && free {
		l.leaseEnd = now.Add(lockLease)
		return
	}
	l.unlockLocked()
}

// lingering reports whether the process holds a shared lock that no
// transaction uses.
func (l *fileLock) lingering() bool {
	return l.mode == sharedLock && l.readers == 0 && !l.writing && !l.pinned
}

// release is idle's: it gives back a lingering shared lock whose lease
// ended idleGrace ago or more. A lease renewed since idle was armed arms it
// again for the new end; a lock that a statement uses is left to that
// statement's endRead, which arms idle again.
func (l *fileLock) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.armed = false
	if l.closed || !l.lingering() {
		return
	}
	if left := l.idleLeft(); left > 0 {
		l.idle.Reset(left)
		l.armed = true
		return
	}
	l.unlockLocked()
}

// idleLeft is how long a lingering lock is kept from now: until
// idleGrace after its lease's end.
func (l *fileLock) idleLeft() time.Duration {
	return time.Until(l.leaseEnd) + idleGrace
}

// close stops the lease timer; the caller then closes l.f.
func (l *fileLock) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.idle != nil {
		l.idle.Stop()
	}
}

// trySharedLocked makes one attempt at the shared lock: the flock, then a
// look at PENDING: a writer waiting for the readers to drain holds it, and
// a new reader steps back. (A writer that takes PENDING just after the look
// waits for this reader as for the others.)
func (l *fileLock) trySharedLocked() (bool, error) {
	ok, err := flockTry(l.f, sharedLock)
	if err != nil || !ok {
		return false, err
	}
	free, err := rangeFree(l.f, lockPending)
	if err != nil || !free {
		flockTry(l.f, unlocked)
		return false, err
	}
	return true, nil
}

// endRead ends a read transaction, giving the lock back when it was the
// process's last.
func (l *fileLock) endRead() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.readers--
	if !l.lingering() || l.armed {
		// idle, armed, fires idleGrace past the lease's end and gives
		// the lock back if the process fell idle: a loop of statements
		// arms it once a lockLease+idleGrace, not once a statement.
		return
	}
	l.renewLocked(time.Now())
	left := l.idleLeft()
	if l.mode == unlocked || left <= 0 {
		return
	}
	if l.idle == nil {
		l.idle, l.armed = time.AfterFunc(left, l.release), true
	} else {
		l.idle.Reset(left)
		l.armed = true
	}
}

func (l *fileLock) unlockLocked() {
	if l.mode != unlocked {
		flockTry(l.f, unlocked)
		l.mode = unlocked
	}
}

// beginWrite takes RESERVED for a write transaction: this process is the
// one writer until endWrite. Other processes go on reading while the
// transaction builds its changes in memory (bbolt writes nothing to the
// file before Commit); commitLock takes PENDING and the exclusive lock for
// the commit itself. The process's writers go one at a time.
func (l *fileLock) beginWrite(ctx context.Context) error {
	l.wmu.Lock()
	if l.pinned {
		return nil // nobody else can have written
	}
	w := l.newWait(ctx)
	for {
		err := l.tryWrite(w)
		if err == nil {
			return nil
		}
		if !errors.Is(err, errNotAlone) {
			l.wmu.Unlock()
			return err
		}
		if err := w.again("write"); err != nil {
			l.wmu.Unlock()
			return fmt.Errorf("%w: %v", err, errNotAlone)
		}
	}
}

// tryWrite takes RESERVED, waiting for another process's writer as long
// as w allows, and makes the handle fit to write. errNotAlone says the
// handle needs a refresh that this process's own readers prevent: the
// locks are given back, to try again.
func (l *fileLock) tryWrite(w *wait) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.waitRangeLocked(lockReserved, w); err != nil {
		return err
	}
	fresh := l.mode == unlocked && l.readers == 0
	l.writing = true
	if fresh {
		if err := l.check(); err != nil {
			l.dropWriteLocked()
			return err
		}
	}
	if !l.stale() {
		return nil
	}
	// Reopening the handle writable takes bbolt's exclusive flock.
	if err := l.exclusiveLocked(w); err != nil {
		l.dropWriteLocked()
		return err
	}
	if err := l.ready(l.readers == 0); err != nil {
		l.dropWriteLocked()
		return err
	}
	l.relaxLocked()
	return nil
}

// commitLock takes PENDING and the exclusive lock for the commit of the
// write transaction beginWrite began, waiting for the readers of other
// processes to finish (and keeping new ones out) as long as the busy
// timeout allows. endWrite gives them back.
func (l *fileLock) commitLock(ctx context.Context) error {
	if l.pinned {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.exclusiveLocked(l.newWait(ctx))
}

// exclusiveLocked takes PENDING, then the exclusive flock. A failed
// conversion of the flock drops the shared lock (Linux drops it first),
// which is safe: RESERVED keeps every other writer out meanwhile.
func (l *fileLock) exclusiveLocked(w *wait) error {
	// PENDING is held for a moment by a reader of another process between
	// its check and its flock.
	if err := l.waitRangeLocked(lockPending, w); err != nil {
		return err
	}
	for {
		ok, err := flockTry(l.f, exclusiveLock)
		if err != nil {
			l.relaxLocked()
			return err
		}
		if ok {
			l.mode = exclusiveLock
			return nil
		}
		l.mode = unlocked
		l.mu.Unlock()
		err = w.again("write")
		l.mu.Lock()
		if err != nil {
			l.relaxLocked()
			return err
		}
	}
}

// waitRangeLocked write-locks the byte at off, waiting as long as w
// allows without keeping this process's readers from starting or ending
// (mu is given back while it sleeps).
func (l *fileLock) waitRangeLocked(off int64, w *wait) error {
	for {
		ok, err := rangeLock(l.f, off, rangeWrite)
		if err != nil || ok {
			return err
		}
		l.mu.Unlock()
		err = w.again("write")
		l.mu.Lock()
		if err != nil {
			return err
		}
	}
}

// relaxLocked gives back PENDING and the exclusive lock, keeping RESERVED,
// and a shared lock for the readers still running.
func (l *fileLock) relaxLocked() {
	if l.readers > 0 {
		// Cannot fail for want of a writer: only RESERVED's holder may
		// take the exclusive lock, and that is this process.
		if ok, _ := flockTry(l.f, sharedLock); ok {
			l.mode = sharedLock
		}
	} else {
		l.unlockLocked()
	}
	rangeUnlock(l.f, lockPending)
}

// dropWriteLocked gives back what the writer took.
func (l *fileLock) dropWriteLocked() {
	l.relaxLocked()
	rangeUnlock(l.f, lockReserved)
	l.writing = false
}

// endWrite ends the write transaction begun by beginWrite.
func (l *fileLock) endWrite() {
	if !l.pinned {
		l.mu.Lock()
		l.dropWriteLocked()
		l.mu.Unlock()
	}
	l.wmu.Unlock()
}

// besideBolt runs fn, which opens a bbolt handle (writable or not) on
// bbolt's own descriptor of the file. bbolt flocks that descriptor: shared
// for a read-only handle, exclusive for a writable one.
//
// A shared lock held here admits bbolt's shared one, and is kept: given
// back even for a moment, a writer of another process waiting on PENDING
// could take the file and this process could not take its lock again.
// Otherwise the process's flock is given back while fn runs and taken
// again: the caller then holds RESERVED and PENDING (or, opening read-only
// with no flock, RESERVED), so no other process can take the file
// meanwhile.
func (l *fileLock) besideBolt(writable bool, fn func() error) error {
	mode := l.mode
	if mode == sharedLock && !writable {
		return fn()
	}
	l.unlockLocked()
	err := fn()
	if mode != unlocked {
		if lerr := l.retakeFlock(mode); lerr != nil {
			return lerr
		}
		l.mode = mode
	}
	return err
}

// retakeFlock takes the flock of mode again after besideBolt gave it
// back. RESERVED and PENDING keep the other processes' writers and readers
// out, but a reader takes its flock a moment before it looks at PENDING
// and steps back (trySharedLocked): that holder is waited out, for at most
// retakeFor. A flock held longer belongs to a tool that knows nothing of
// PENDING (bbolt's own, an older embeddb).
func (l *fileLock) retakeFlock(mode lockMode) error {
	deadline := time.Now().Add(retakeFor)
	for {
		ok, err := flockTry(l.f, mode)
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: lost the file's lock while reopening it", ErrLocked)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// retakeFor bounds retakeFlock's wait: a reader stepping back holds its
// flock for microseconds, unless its process is descheduled meanwhile.
const retakeFor = time.Second

// pin takes every lock for the life of the handle (Options.Exclusive), or
// the shared lock for a read-only one.
func (l *fileLock) pin(ctx context.Context) error {
	if l.ro {
		if err := l.beginRead(ctx); err != nil {
			return err
		}
		l.mu.Lock()
		l.readers--
		l.pinned = true
		l.mu.Unlock()
		return nil
	}
	if err := l.beginWrite(ctx); err != nil {
		return err
	}
	if err := l.commitLock(ctx); err != nil {
		l.endWrite()
		return err
	}
	l.mu.Lock()
	l.pinned = true
	l.mu.Unlock()
	l.wmu.Unlock()
	return nil
}

// alone reports whether no other process has the file open: PRESENCE can
// be write-locked. It leaves PRESENCE read-locked, as it found it.
func (l *fileLock) alone() bool {
	if l.ro {
		return false
	}
	ok, err := rangeLock(l.f, lockPresence, rangeWrite)
	if err != nil || !ok {
		return false
	}
	rangeLock(l.f, lockPresence, rangeRead)
	return true
}

// present takes PRESENCE for reading, waiting while a VACUUM holds it.
func (l *fileLock) present(ctx context.Context) error {
	w := l.newWait(ctx)
	for {
		ok, err := rangeLock(l.f, lockPresence, rangeRead)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if err := w.again("open"); err != nil {
			return err
		}
	}
}
