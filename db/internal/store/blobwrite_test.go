package store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestBlobWriter_AsyncParts writes a bulk load's blob over many flushes, each committed on
// another goroutine while the next parts fill, and reads it back: the same bytes, every part
// but the last exactly blobPart long with its checksum appended in place (the layout readers
// that find a part by its number rely on), and CHECK DATABASE clean.
func TestBlobWriter_AsyncParts(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "b.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	data := make([]byte, 11*blobPart+1234)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	w, err := d.BulkLoad(context.Background(), "t", TableSpec{Dim: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Append([]string{"a"}, nil, []float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	err = w.writeBlobAsync("test", 2*blobPart, true, func(out io.Writer) error {
		for rest := data; len(rest) > 0; { // writes of odd sizes, straddling parts
			k := min(len(rest), 1+rng.IntN(3*blobPart/2))
			if _, err := out.Write(rest[:k]); err != nil {
				return err
			}
			rest = rest[k:]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	err = d.View(context.Background(), func(tx *Tx) error {
		tb, err := OpenTable(tx, "t")
		if err != nil {
			return err
		}
		r, ok := tb.OpenBlob("test")
		if !ok {
			t.Fatal("the blob is missing")
		}
		got, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, data) {
			t.Errorf("read back %d bytes, not the %d written", len(got), len(data))
		}
		b := tb.b.Bucket(bucketBlob).Bucket([]byte(tb.meta.Blobs["test"]))
		n := 0
		b.ForEach(func(k, v []byte) error {
			want := blobPart + sumLen
			if n == 11 {
				want = 1234 + sumLen
			}
			if len(v) != want {
				t.Errorf("part %d is %d bytes, want %d", n, len(v), want)
			}
			n++
			return nil
		})
		if n != 12 {
			t.Errorf("%d parts, want 12", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if msgs, err := d.Check(context.Background()); err != nil || len(msgs) != 0 {
		t.Errorf("CHECK: %v, %v", msgs, err)
	}
}

// TestBlobWriter_AsyncFailure: a blob whose flush fails while another is being committed
// (the load's context is cancelled half-way) fails the load, and the load leaves the
// database as it was: the table it would have replaced keeps its rows and nothing of the
// new one remains.
func TestBlobWriter_AsyncFailure(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "b.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	w, err := d.BulkLoad(context.Background(), "t", TableSpec{Dim: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append([]string{"old"}, nil, []float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err = d.BulkLoad(ctx, "t", TableSpec{Dim: 2}, &BulkOptions{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append([]string{"new"}, nil, []float32{3, 4}); err != nil {
		t.Fatal(err)
	}
	part := make([]byte, blobPart)
	err = w.writeBlobAsync("test", blobPart, true, func(out io.Writer) error {
		for i := 0; i < 8; i++ {
			if i == 3 {
				cancel()
			}
			if _, err := out.Write(part); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("writeBlob after a cancel: %v, want context.Canceled", err)
	}
	if _, err := w.Commit(); err == nil {
		t.Fatal("Commit of a failed load succeeded")
	}
	err = d.View(context.Background(), func(tx *Tx) error {
		tb, err := OpenTable(tx, "t")
		if err != nil {
			return err
		}
		if tb.meta.Blobs["test"] != "" {
			t.Error("the failed load's blob was published")
		}
		n := 0
		return tx.tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if len(name) == len(TableKey(0)) && name[0] == TableKey(0)[0] {
				n++
			}
			if n > 1 {
				t.Errorf("a table bucket of the failed load remains: %q", name)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if msgs, err := d.Check(context.Background()); err != nil || len(msgs) != 0 {
		t.Errorf("CHECK: %v, %v", msgs, err)
	}
}

// TestSealOwned: a value with room for its checksum is sealed in place; one without is
// copied; both unseal.
func TestSealOwned(t *testing.T) {
	k := u32key(7)
	v := append(make([]byte, 0, 10+sumLen), "0123456789"...)
	s := sealOwned(k, v)
	if &s[0] != &v[0] {
		t.Error("a value with room was copied")
	}
	if body, ok := unseal(k, s); !ok || string(body) != "0123456789" {
		t.Errorf("unseal(sealOwned) = %q, %v", body, ok)
	}
	short := []byte("ab")[:2:2]
	s = sealOwned(k, short)
	if &s[0] == &short[0] {
		t.Error("a value without room was written past its end")
	}
	if body, ok := unseal(k, s); !ok || string(body) != "ab" {
		t.Errorf("unseal(sealOwned) = %q, %v", body, ok)
	}
}
