package store

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkView_Locking is the cost of an empty read transaction: with
// bbolt's lock held from Open to Close (the way before files were shared),
// Exclusive, and shared (a flock, a range lock and a change check per
// transaction).
func BenchmarkView_Locking(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts Options
	}{{"bboltlock", Options{bboltLock: true}}, {"exclusive", Options{Exclusive: true}}, {"shared", Options{}}} {
		b.Run(tc.name, func(b *testing.B) {
			d, err := Open(filepath.Join(b.TempDir(), "v.db"), &tc.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			b.ReportAllocs()
			for b.Loop() {
				if err := d.View(ctx, func(*Tx) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestShared_SeesOtherHandle: two handles on one file (each with its own
// locks, as two processes) see each other's commits, and a table the other
// dropped and made again is read afresh, not from the cache.
func TestShared_SeesOtherHandle(t *testing.T) {
	if !sharedLocking {
		t.Skip("files are shared only on Linux")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	a, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.CreateTable(ctx, "t", TableSpec{Dim: 2}); err != nil {
		t.Fatal(err)
	}
	if err := a.Insert(ctx, "t", Row{Word: "x", Vector: []float32{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if r, err := b.Lookup(ctx, "t", "x"); err != nil || r.Vector[1] != 2 {
		t.Fatalf("the other handle reads %v, %v", r, err)
	}
	// Dropped and made again by a: b's cached metadata must go.
	if err := a.DropTable(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateTable(ctx, "t", TableSpec{Dim: 3}); err != nil {
		t.Fatal(err)
	}
	if err := a.Insert(ctx, "t", Row{Word: "x", Vector: []float32{7, 8, 9}}); err != nil {
		t.Fatal(err)
	}
	if r, err := b.Lookup(ctx, "t", "x"); err != nil || len(r.Vector) != 3 || r.Vector[2] != 9 {
		t.Fatalf("after the other handle made t again: %v, %v", r, err)
	}
	// And b writes after a's commits: its free-page list is reloaded.
	if err := b.Insert(ctx, "t", Row{Word: "y", Vector: []float32{1, 1, 1}}); err != nil {
		t.Fatal(err)
	}
	if problems, err := a.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("Check after writes of both handles: %v, %v", problems, err)
	}
}
