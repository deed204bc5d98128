package store

import (
	"context"
	"errors"
)

// errNotCached says that a table's cache was dropped while it was read.
var errNotCached = errors.New("the table's cache was dropped while it was read")

// Reads without a transaction
//
// A prepared query that runs again and again (SELECT NEAREST(?, ?) FROM t)
// can be answered from what this process holds in memory: the table's
// loaded index graph and its words by id. Opening a bbolt read transaction
// for it, and the table in it, costs as much as the rest of the statement
// outside the search. ReadCached lets such a query skip the transaction
// when nothing it read can have changed since it last ran in one.
//
// The epoch is that test: a counter that moves whenever the committed
// state seen by this process, or its caches of it, may have changed:
//
//   - after every write transaction of this process ends (runCtx), committed
//     or not, and when the caches of a table are dropped (invalidate);
//   - when BEGIN opens an explicit transaction, and when COMMIT or ROLLBACK
//     ends it (forgetAll): reads inside one run in it, and what they cached
//     may be of versions never committed;
//   - when the change check at the taking of the file's read lock finds
//     that another process committed (forgetChanged).
//
// A caller notes the epoch before it opens the transaction whose reads it
// keeps; the counter moves only after a commit is visible to new
// transactions, so the kept reads are never newer than the epoch says. A
// later ReadCached with the same epoch then holds the file's read lock as
// a transaction would (so another process cannot commit meanwhile, and a
// commit made before is found by the lock's change check) and finds that
// nothing moved.

// Epoch returns the change counter described above. A caller that keeps
// what it reads in a transaction notes the epoch before opening it.
func (d *DB) Epoch() uint64 { return d.epoch.Load() }

// moved advances the epoch: committed state or the caches may have changed.
func (d *DB) moved() { d.epoch.Add(1) }

// ReadCached runs fn, which reads only what this process holds in memory,
// as a read transaction would run it but without one: the handle is open,
// ctx not done, and the file's read lock held while fn runs. It runs fn
// only when the epoch is still epoch and no explicit transaction is open
// (whose reads must see its own writes); ran is false otherwise, or when
// the handle cannot read (closed, damaged, ctx done, the lock not had),
// and the caller then reads through a transaction, which reports any
// such error as it always has. A panic in fn becomes an *InternalError,
// as in a transaction.
func (d *DB) ReadCached(ctx context.Context, epoch uint64, fn func() error) (ran bool, err error) {
	if d.usable(false) != nil || ctx.Err() != nil {
		return false, nil
	}
	d.gate.RLock()
	defer d.gate.RUnlock()
	if d.explicit.Load() != nil {
		return false, nil
	}
	if d.lk != nil {
		if d.lk.beginRead(ctx) != nil {
			return false, nil
		}
		defer d.lk.endRead()
	}
	if d.epoch.Load() != epoch {
		return false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()
	return true, fn()
}

// Words are the words of one version of a table's rows, by id and by
// word: read-only, shared by the queries of that version.
type Words struct {
	names []string
	slots wordSlots
}

// Names returns the words of the rows by id ("" for deleted and unnamed
// rows). The slice is shared and must not be changed.
func (w *Words) Names() []string { return w.names }

// ID returns the id of the live row whose word is word.
func (w *Words) ID(word string) (uint32, bool) { return w.slots.find(w.names, word) }

// Words returns the words of t's rows, read once per version of the table
// (see RowNames). The cache of t's version holds them: a caller that keeps
// them beyond a statement should hold them weakly, so that they go with
// that version, and check the epoch before it uses them again
// (ReadCached).
func (d *DB) Words(t *Table) (*Words, error) {
	if _, _, _, err := d.RowNames(t); err != nil {
		return nil, err
	}
	c := d.cached(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.namesDone {
		// Dropped and made again since RowNames returned (another
		// statement committed): let the caller read through a transaction.
		return nil, errNotCached
	}
	if c.words == nil {
		c.words = &Words{names: c.names, slots: c.byWord}
	}
	return c.words, nil
}
