package store

import (
	"context"
	"errors"
	"runtime/debug"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Explicit transactions: BEGIN; ...; COMMIT; (or ROLLBACK). BEGIN takes
// RESERVED at once (sqlite's BEGIN IMMEDIATE: other processes go on
// reading, no other may write) and opens one bbolt write transaction; every statement of the database then runs in it, reads
// included (they see what the transaction wrote), one at a time, until
// COMMIT commits it or ROLLBACK drops it. bbolt has no savepoints, so a
// statement that fails inside the transaction cannot be undone alone: the
// whole transaction is rolled back, and, as PostgreSQL does, later
// statements fail with ErrTxAborted until ROLLBACK (or COMMIT, which then
// rolls back) ends it.

// Errors of explicit transactions.
var (
	// ErrInTransaction is returned by BEGIN inside a transaction, and by
	// the statements that cannot run in one (VACUUM, BACKUP).
	ErrInTransaction = errors.New("db: a transaction is open (COMMIT or ROLLBACK ends it)")

	// ErrNoTransaction is returned by COMMIT and ROLLBACK without BEGIN.
	ErrNoTransaction = errors.New("db: no transaction is open (BEGIN starts one)")

	// ErrTxAborted is returned by the statements after one that failed
	// inside a transaction: the transaction was rolled back, and only
	// ROLLBACK (or COMMIT) is accepted until it ends.
	ErrTxAborted = errors.New("db: the transaction was rolled back after an error; ROLLBACK ends it")
)

// explicitTx is the transaction BEGIN opened.
type explicitTx struct {
	mu      sync.Mutex // one statement's work at a time
	tx      *bolt.Tx   // nil once aborted
	aborted error      // what failed
}

// Begin starts an explicit transaction (BEGIN).
func (d *DB) Begin(ctx context.Context) error {
	if err := d.usable(true); err != nil {
		return err
	}
	d.xmu.Lock()
	defer d.xmu.Unlock()
	if d.explicit.Load() != nil {
		return ErrInTransaction
	}
	d.gate.RLock()
	if d.lk != nil {
		if err := d.lk.beginWrite(ctx); err != nil {
			d.gate.RUnlock()
			return err
		}
	}
	tx, err := d.bolt.Begin(true)
	if err != nil {
		d.releaseExplicit()
		return err
	}
	d.explicit.Store(&explicitTx{tx: tx})
	d.moved() // reads run in the transaction from here on
	return nil
}

// Commit commits the explicit transaction (COMMIT), waiting up to the busy
// timeout for other processes' readers; when they outlast it, ErrLocked is
// returned and the transaction stays open. One that was aborted is rolled
// back, and its error returned.
func (d *DB) Commit() error { return d.endExplicit(true) }

// Rollback drops the explicit transaction (ROLLBACK).
func (d *DB) Rollback() error { return d.endExplicit(false) }

// InTransaction reports whether an explicit transaction is open.
func (d *DB) InTransaction() bool { return d.explicit.Load() != nil }

func (d *DB) endExplicit(commit bool) error {
	d.xmu.Lock()
	defer d.xmu.Unlock()
	ex := d.explicit.Load()
	if ex == nil {
		return ErrNoTransaction
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	var err error
	switch {
	case ex.tx == nil && commit:
		err = ex.aborted
	case ex.tx == nil:
	case commit:
		if d.lk != nil {
			// Busy: the transaction stays open, to COMMIT again or ROLLBACK.
			if err := d.lk.commitLock(context.Background()); err != nil {
				return err
			}
		}
		id := uint64(ex.tx.ID())
		if err = ex.tx.Commit(); err == nil && d.lk != nil {
			d.committed(id)
		}
	default:
		ex.tx.Rollback()
	}
	d.explicit.Store(nil)
	d.releaseExplicit()
	// What queries cached in the transaction may be of versions that were
	// never committed (and whose numbers a later commit may reuse).
	d.forgetAll()
	return err
}

// releaseExplicit gives back the locks Begin took.
func (d *DB) releaseExplicit() {
	if d.lk != nil {
		d.lk.endWrite()
	}
	d.gate.RUnlock()
}

// forgetAll empties the caches.
func (d *DB) forgetAll() {
	defer d.moved()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	clear(d.cache)
	clear(d.metas)
	clear(d.byName)
	clear(d.graphs)
	clear(d.toks)
	clear(d.subs)
}

// runExplicit runs fn in the explicit transaction ex. A failure of a
// write aborts it.
func (d *DB) runExplicit(ex *explicitTx, writable bool, fn func(*bolt.Tx) error) (err error) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.tx == nil {
		return ErrTxAborted
	}
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
		if err != nil && writable {
			ex.tx.Rollback()
			ex.tx, ex.aborted = nil, err
		}
	}()
	return fn(ex.tx)
}
