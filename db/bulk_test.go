package db_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// randRows returns n rows of dimension dim with words w0, w1, ...
func randRows(n, dim int, seed uint64) ([]string, []int64, []float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	words := make([]string, n)
	counts := make([]int64, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = "w" + itoa(i)
		counts[i] = int64(n - i)
	}
	for i := range vecs {
		vecs[i] = rng.Float32()*2 - 1
	}
	return words, counts, vecs
}

func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	const n, dim = 5000, 64
	words, counts, vecs := randRows(n, dim, 1)
	w, err := d.BulkLoad(ctx, "big", db.TableSpec{Dim: dim, Kind: "imported"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 700 {
		j := min(i+700, n)
		if err := w.Append(words[i:j], counts[i:j], vecs[i*dim:j*dim]); err != nil {
			t.Fatal(err)
		}
		// Nobody sees the table before Commit.
		if _, err := d.Table(ctx, "big"); !errors.Is(err, db.ErrNoTable) {
			t.Fatalf("table visible before Commit: %v", err)
		}
	}
	if err := w.SetBlob("tokenizer", strings.NewReader("{}")); err != nil {
		t.Fatal(err)
	}
	info, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != n || info.NextID != n || !info.Tokenizer || info.Kind != "imported" {
		t.Fatalf("Commit = %+v", info)
	}
	for _, i := range []int{0, 1, 654, 655, 4999} {
		r, err := d.Lookup(ctx, "big", words[i])
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != uint32(i) || r.Count != counts[i] || !equal(r.Vector, vecs[i*dim:(i+1)*dim]) {
			t.Fatalf("Lookup(%s) = id %d count %d, want id %d count %d and its vector", words[i], r.ID, r.Count, i, counts[i])
		}
	}
	if _, err := w.Commit(); !errors.Is(err, db.ErrBulkDone) {
		t.Fatalf("second Commit = %v, want ErrBulkDone", err)
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBulkLoad_Raw(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	// bfloat16 of 1, -2, 0.5: stored as given, read back widened.
	raw := []byte{0x80, 0x3f, 0x00, 0xc0, 0x00, 0x3f}
	w, err := d.BulkLoad(ctx, "llm", db.TableSpec{Dim: 3, Elem: db.BFloat16}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AppendRaw([]string{""}, nil, raw); err != nil { // an unnamed row
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := d.LookupID(ctx, "llm", 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{1, -2, 0.5}; !equal(r.Vector, want) {
		t.Fatalf("vector = %v, want %v", r.Vector, want)
	}
}

func TestBulkLoad_Failures(t *testing.T) {
	ctx := context.Background()
	t.Run("Duplicate", func(t *testing.T) {
		d := MustOpenDB(t)
		w, _ := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 1}, nil)
		if err := w.Append([]string{"a", "b", "a"}, nil, []float32{1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		// Duplicates are found when the words are sorted, at Commit.
		_, err := w.Commit()
		if !errors.Is(err, db.ErrWordExists) || !strings.Contains(err.Error(), "rows 0 and 2") {
			t.Fatalf("Commit = %v, want ErrWordExists naming rows 0 and 2", err)
		}
		assertNoTable(t, d, "t")
	})
	t.Run("DuplicateAcrossSortBatches", func(t *testing.T) {
		// The words are sorted in batches of 65,536 while the load goes
		// on: a word repeated far apart is found all the same.
		d := MustOpenDB(t)
		words, _, vecs := randRows(150_000, 1, 2)
		words[140_000] = words[3]
		w, _ := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 1}, nil)
		if err := w.Append(words, nil, vecs); err != nil {
			t.Fatal(err)
		}
		_, err := w.Commit()
		if !errors.Is(err, db.ErrWordExists) || !strings.Contains(err.Error(), "rows 3 and 140000") {
			t.Fatalf("Commit = %v, want ErrWordExists naming rows 3 and 140000", err)
		}
		assertNoTable(t, d, "t")
		// Without the repeat, every word is found by the index built from
		// the merged batches.
		words[140_000] = "w140000"
		w, _ = d.BulkLoad(ctx, "t", db.TableSpec{Dim: 1}, nil)
		if err := w.Append(words, nil, vecs); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(words); i += 997 {
			if r, err := d.Lookup(ctx, "t", words[i]); err != nil || r.ID != uint32(i) {
				t.Fatalf("Lookup(%s) = %+v, %v, want id %d", words[i], r, err, i)
			}
		}
	})
	t.Run("DuplicateKeepFirst", func(t *testing.T) {
		d := MustOpenDB(t)
		w, _ := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 1}, &db.BulkOptions{Duplicates: "first"})
		if err := w.Append([]string{"a", "b", "a"}, nil, []float32{1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		info, err := w.Commit()
		if err != nil || info.Rows != 2 || w.Skipped() != 1 {
			t.Fatalf("Commit = %+v, %v; skipped %d", info, err, w.Skipped())
		}
		if r, _ := d.Lookup(ctx, "t", "a"); r.Vector[0] != 1 {
			t.Fatalf("kept %v, want the first row", r.Vector)
		}
	})
	t.Run("Dimension", func(t *testing.T) {
		d := MustOpenDB(t)
		w, _ := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 2}, nil)
		var de *db.DimensionError
		if err := w.Append([]string{"a"}, nil, []float32{1, 2, 3}); !errors.As(err, &de) {
			t.Fatalf("Append = %v, want *DimensionError", err)
		}
		w.Abort()
		assertNoTable(t, d, "t")
	})
	t.Run("Cancelled", func(t *testing.T) {
		d := MustOpenDB(t)
		cctx, cancel := context.WithCancel(ctx)
		w, _ := d.BulkLoad(cctx, "t", db.TableSpec{Dim: 1}, nil)
		if err := w.Append([]string{"a"}, nil, []float32{1}); err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, err := w.Commit(); !errors.Is(err, context.Canceled) {
			t.Fatalf("Commit = %v, want context.Canceled", err)
		}
		assertNoTable(t, d, "t")
	})
	t.Run("Exists", func(t *testing.T) {
		d := MustOpenDB(t)
		mustCreate(t, d, "t", 1)
		if _, err := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 1}, nil); !errors.Is(err, db.ErrTableExists) {
			t.Fatalf("BulkLoad over existing = %v, want ErrTableExists", err)
		}
	})
	t.Run("RawNaN", func(t *testing.T) {
		d := MustOpenDB(t)
		for _, c := range []struct {
			elem db.ElemType
			raw  []byte
		}{
			{db.Float32, []byte{0, 0, 0x80, 0x3f, 0, 0, 0xc0, 0x7f}}, // 1, NaN
			{db.Float16, []byte{0, 0x3c, 0, 0x7c}},                   // 1, +Inf
			{db.BFloat16, []byte{0x80, 0x3f, 0xc0, 0xff}},            // 1, NaN
		} {
			w, _ := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 2, Elem: c.elem}, nil)
			err := w.AppendRaw([]string{"a"}, nil, c.raw)
			if !errors.Is(err, db.ErrInvalidVector) || !strings.Contains(err.Error(), "element 1") {
				t.Errorf("%s: AppendRaw = %v, want ErrInvalidVector at element 1", c.elem, err)
			}
			w.Abort()
		}
	})
	t.Run("NaN", func(t *testing.T) {
		d := MustOpenDB(t)
		w, _ := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 1}, nil)
		if err := w.Append([]string{"a"}, nil, []float32{float32nan()}); !errors.Is(err, db.ErrInvalidVector) {
			t.Fatalf("Append NaN = %v, want ErrInvalidVector", err)
		}
		w.Abort()
	})
}

func TestBulkLoad_Replace(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	mustCreate(t, d, "t", 1)
	if err := d.Insert(ctx, "t", db.Row{Word: "old", Vector: []float32{1}}); err != nil {
		t.Fatal(err)
	}
	w, err := d.BulkLoad(ctx, "t", db.TableSpec{Dim: 2}, &db.BulkOptions{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append([]string{"new"}, nil, []float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	// The old table is still there, unchanged, until Commit.
	if r, err := d.Lookup(ctx, "t", "old"); err != nil || r.Vector[0] != 1 {
		t.Fatalf("old table during load: %+v, %v", r, err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Lookup(ctx, "t", "old"); !errors.Is(err, db.ErrNoWord) {
		t.Fatalf("old row survived the replace: %v", err)
	}
	if info, _ := d.Table(ctx, "t"); info.Dim != 2 || info.Rows != 1 {
		t.Fatalf("replaced table = %+v", info)
	}
}

func assertNoTable(t *testing.T, d *db.DB, name string) {
	t.Helper()
	if _, err := d.Table(context.Background(), name); !errors.Is(err, db.ErrNoTable) {
		t.Fatalf("table %q exists after a failed load: %v", name, err)
	}
}
