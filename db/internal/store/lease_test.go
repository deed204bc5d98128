package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestShared_LeaseRenewal: a handle reading in a loop keeps its shared
// lock from lease to lease without the change check (no other handle can
// commit meanwhile), yet a writer of another handle, which takes PENDING,
// gets in: the reader gives its lock back at its lease's end. When the
// reader falls idle, its lock goes with the lease.
func TestShared_LeaseRenewal(t *testing.T) {
	if !sharedLocking {
		t.Skip("files are shared only on Linux")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	a, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path, &Options{Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.CreateTable(ctx, "t", TableSpec{Dim: 2}); err != nil {
		t.Fatal(err)
	}
	var checks atomic.Int64
	check := a.lk.check
	a.lk.check = func() error { checks.Add(1); return check() }
	view := func(h *DB) error { return h.View(ctx, func(*Tx) error { return nil }) }
	// expire ends a's lease now, with idle kept from firing meanwhile (a
	// stall of the machine must not give the lock back behind the test).
	expire := func() {
		a.lk.mu.Lock()
		defer a.lk.mu.Unlock()
		if a.lk.idle != nil {
			a.lk.idle.Stop()
		}
		a.lk.armed = true
		a.lk.leaseEnd = time.Now().Add(-time.Millisecond)
	}
	expire()
	if err := view(a); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		expire()
		if err := view(a); err != nil {
			t.Fatal(err)
		}
	}
	if n := checks.Load(); n != 1 {
		t.Errorf("reads over 6 leases made %d change checks, want 1: the lock was taken again, not renewed", n)
	}
	// A writer waiting for the readers (PENDING taken) makes the reader
	// step back at its lease's end.
	if ok, err := rangeLock(b.lk.f, lockPending, rangeWrite); err != nil || !ok {
		t.Fatalf("PENDING: %v, %v", ok, err)
	}
	expire()
	a.SetTimeout(-1)
	if err := view(a); !errors.Is(err, ErrLocked) {
		t.Errorf("a read past its lease while a writer waits: %v, want ErrLocked", err)
	}
	rangeUnlock(b.lk.f, lockPending)
	a.SetTimeout(0)
	a.lk.mu.Lock()
	a.lk.armed = false
	a.lk.mu.Unlock()

	// A writer gets in while the loop goes on, and the reader sees its row.
	stop := make(chan struct{})
	var reads atomic.Int64
	done := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := a.View(ctx, func(*Tx) error { return nil }); err != nil {
				done <- err
				return
			}
			reads.Add(1)
		}
	}()
	for reads.Load() < 100 {
		time.Sleep(time.Millisecond)
	}
	err = b.Insert(ctx, "t", Row{Word: "x", Vector: []float32{1, 2}})
	close(stop)
	if rerr := <-done; rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil {
		t.Fatalf("a writer beside a reading loop: %v", err)
	}
	if r, err := a.Lookup(ctx, "t", "x"); err != nil || r.Vector[1] != 2 {
		t.Fatalf("the reader then reads %v, %v", r, err)
	}

	// Idle, the reader holds nothing once its lease is over.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		a.lk.mu.Lock()
		mode := a.lk.mode
		a.lk.mu.Unlock()
		if mode == unlocked {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an idle handle still holds its shared lock 20 s after its last read")
		}
	}
	b.SetTimeout(-1) // do not wait: the lock must be free
	if err := b.Insert(ctx, "t", Row{Word: "y", Vector: []float32{3, 4}}); err != nil {
		t.Fatalf("a write beside an idle handle: %v", err)
	}
}

// TestShared_ReopenKeepsSharedLock: a reader that reopens its bbolt handle
// read-only (at a read-only Open, or when another process's commit grew
// the file past its map) keeps its shared lock throughout. Given back for
// the reopen, a writer of another process waiting on PENDING took the file
// in between, and the reader failed with "lost the file's lock while
// reopening it" (seen in CI at a read-only Open).
func TestShared_ReopenKeepsSharedLock(t *testing.T) {
	if !sharedLocking {
		t.Skip("files are shared only on Linux")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	w, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// The other process: a descriptor of its own. Once the reader holds
	// its shared lock, PENDING is taken, as by a writer that waits for the
	// readers to drain before its commit.
	other, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := r.lk.beginRead(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := rangeLock(other, lockPending, rangeWrite); err != nil || !ok {
		t.Fatalf("PENDING: %v, %v", ok, err)
	}
	r.lk.mu.Lock()
	err = r.lk.besideBolt(false, func() error {
		if ok, _ := flockTry(other, exclusiveLock); ok {
			t.Error("another process took the file while the reader reopened its handle")
			flockTry(other, unlocked)
		}
		return r.openHandle(false)
	})
	r.lk.mu.Unlock()
	if err != nil {
		t.Errorf("reopening read-only beside a waiting writer: %v", err)
	}
	if ok, _ := flockTry(other, exclusiveLock); ok {
		t.Error("the reader's shared lock is gone after the reopen")
	}
	r.lk.endRead()
	r.lk.mu.Lock()
	r.lk.unlockLocked() // as the lease's end would
	r.lk.mu.Unlock()
	if ok, _ := flockTry(other, exclusiveLock); !ok {
		t.Error("the writer cannot take the file once the reader gave its lock back")
	}
}

// TestShared_ReopenWaitsOutAReaderSteppingBack: a writer that reopens its
// bbolt handle gives its exclusive flock back for the reopen, holding
// PENDING. A reader of another process may take its flock in that moment,
// before it sees PENDING and steps back: the writer waits it out instead
// of failing with "lost the file's lock while reopening it".
func TestShared_ReopenWaitsOutAReaderSteppingBack(t *testing.T) {
	if !sharedLocking {
		t.Skip("files are shared only on Linux")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	w, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	other, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := w.lk.beginWrite(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.lk.commitLock(ctx); err != nil {
		t.Fatal(err)
	}
	stepped := make(chan struct{})
	w.lk.mu.Lock()
	err = w.lk.besideBolt(true, func() error {
		err := w.openHandle(true)
		// The reader's flock, taken as bbolt gave its own back; it sees
		// PENDING and lets go a moment later.
		if ok, ferr := flockTry(other, sharedLock); ferr != nil || !ok {
			t.Errorf("the reader's flock: %v, %v", ok, ferr)
		}
		time.AfterFunc(20*time.Millisecond, func() { flockTry(other, unlocked); close(stepped) })
		return err
	})
	mode := w.lk.mode
	w.lk.mu.Unlock()
	<-stepped
	if err != nil {
		t.Errorf("reopening writable beside a reader stepping back: %v", err)
	}
	if mode != exclusiveLock {
		t.Errorf("after the reopen the writer holds %v, want the exclusive lock", mode)
	}
	w.lk.endWrite()
	if err := w.Update(ctx, func(*Tx) error { return nil }); err != nil {
		t.Errorf("a write after the reopen: %v", err)
	}
}
