package db_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
	bolt "go.etcd.io/bbolt"
)

// MustOpenDB opens a fresh database in a temporary directory, closed when
// the test ends.
func MustOpenDB(tb testing.TB) *db.DB {
	tb.Helper()
	d, err := db.Open(filepath.Join(tb.TempDir(), "test.db"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Error(err)
		}
	})
	return d
}

func mustCreate(tb testing.TB, d *db.DB, name string, dim int) {
	tb.Helper()
	if err := d.CreateTable(context.Background(), name, db.TableSpec{Dim: dim}); err != nil {
		tb.Fatal(err)
	}
}

func TestOpen_Reopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "words.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, d, "pets", 3)
	if err := d.Insert(ctx, "pets", db.Row{Word: "cat", Count: 7, Vector: []float32{0.1, 0.2, 0.3}}); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("second Close = %v, want nil", err)
	}
	if _, err := d.Tables(ctx); !errors.Is(err, db.ErrClosed) {
		t.Fatalf("Tables after Close = %v, want ErrClosed", err)
	}

	d, err = db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got, err := d.Lookup(ctx, "pets", "cat")
	if err != nil {
		t.Fatal(err)
	}
	want := db.Row{ID: 0, Word: "cat", Count: 7, Vector: []float32{0.1, 0.2, 0.3}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Lookup = %+v, want %+v", got, want)
	}
	if err := d.Insert(ctx, "pets", db.Row{Word: "dog", Vector: []float32{1, 2, 3}}); !errors.Is(err, db.ErrReadOnly) {
		t.Fatalf("Insert on read-only = %v, want ErrReadOnly", err)
	}
}

func TestOpen_Locked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "words.db")
	// Shared (the default), a second handle opens beside an idle one; an
	// Exclusive handle keeps every other out.
	d, err := db.Open(path, &db.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	start := time.Now()
	_, err = db.Open(path, &db.Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, db.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "locked by another process") {
		t.Errorf("error %q does not say the file is locked", err)
	}
	if time.Since(start) > 30*time.Second {
		t.Errorf("second Open waited %v: it must honour the timeout, not hang", time.Since(start))
	}
}

func TestOpen_Refused(t *testing.T) {
	dir := t.TempDir()

	foreign := filepath.Join(dir, "foreign.db")
	bdb, err := bolt.Open(foreign, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("someone-else"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bdb.Close()

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.db")
	if err := os.WriteFile(short, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		path string
		want error
	}{
		{"ForeignBolt", foreign, db.ErrNotDatabase},
		{"TextFile", text, db.ErrNotDatabase},
		{"OneByte", short, db.ErrNotDatabase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := db.Open(tt.path, nil)
			if err == nil {
				d.Close()
				t.Fatalf("Open(%s) succeeded, want %v", tt.name, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open(%s) = %v, want %v", tt.name, err, tt.want)
			}
			after, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if string(before) != string(after) {
				t.Fatalf("Open(%s) changed the file", tt.name)
			}
		})
	}
}

func TestOpen_NewerFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	bdb, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("embeddb")).Put([]byte("format"), []byte{0, 0, 0, 99})
	}); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	_, err = db.Open(path, nil)
	if !errors.Is(err, db.ErrVersion) {
		t.Fatalf("Open = %v, want ErrVersion", err)
	}
}

func TestDB_Tables(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	mustCreate(t, d, "b", 3)
	if err := d.CreateTable(ctx, "a", db.TableSpec{Dim: 2, Elem: db.BFloat16, Metric: "dot",
		Provenance: map[string]any{"source": "test"}}); err != nil {
		t.Fatal(err)
	}
	infos, err := d.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
	}
	if got, want := strings.Join(names, ","), "a,b"; got != want {
		t.Fatalf("Tables = %s, want %s", got, want)
	}
	a := infos[0]
	if a.Dim != 2 || a.Elem != db.BFloat16 || a.Metric != "dot" || a.Kind != "created" || a.Rows != 0 ||
		a.Provenance["source"] != "test" || a.Created.IsZero() {
		t.Fatalf("Table a = %+v", a)
	}

	if err := d.RenameTable(ctx, "a", "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Table(ctx, "a"); !errors.Is(err, db.ErrNoTable) {
		t.Fatalf("Table(a) after rename = %v, want ErrNoTable", err)
	}
	if in, err := d.Table(ctx, "c"); err != nil || in.Dim != 2 {
		t.Fatalf("Table(c) = %+v, %v", in, err)
	}
	if err := d.DropTable(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if err := d.DropTable(ctx, "c"); !errors.Is(err, db.ErrNoTable) {
		t.Fatalf("second DropTable = %v, want ErrNoTable", err)
	}
}

func TestDB_Errors(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	mustCreate(t, d, "pets", 3)
	mustCreate(t, d, "other", 3)
	if err := d.Insert(ctx, "pets", db.Row{Word: "cat", Vector: []float32{1, 2, 3}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"CreateExisting", d.CreateTable(ctx, "pets", db.TableSpec{Dim: 3}), db.ErrTableExists},
		{"CreateZeroDim", d.CreateTable(ctx, "z", db.TableSpec{Dim: 0}), nil},
		{"CreateEmptyName", d.CreateTable(ctx, "", db.TableSpec{Dim: 1}), db.ErrInvalidName},
		{"CreateBadMetric", d.CreateTable(ctx, "m", db.TableSpec{Dim: 1, Metric: "manhattan"}), nil},
		{"RenameOntoExisting", d.RenameTable(ctx, "pets", "other"), db.ErrTableExists},
		{"RenameMissing", d.RenameTable(ctx, "nope", "x"), db.ErrNoTable},
		{"InsertMissingTable", d.Insert(ctx, "nope", db.Row{Word: "a", Vector: []float32{1, 2, 3}}), db.ErrNoTable},
		{"InsertDuplicate", d.Insert(ctx, "pets", db.Row{Word: "cat", Vector: []float32{1, 2, 3}}), db.ErrWordExists},
		{"InsertEmptyWord", d.Insert(ctx, "pets", db.Row{Word: "", Vector: []float32{1, 2, 3}}), db.ErrInvalidName},
		{"InsertBadUTF8", d.Insert(ctx, "pets", db.Row{Word: "\xff", Vector: []float32{1, 2, 3}}), db.ErrInvalidName},
		{"InsertNaN", d.Insert(ctx, "pets", db.Row{Word: "n", Vector: []float32{1, float32nan(), 3}}), db.ErrInvalidVector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatalf("got no error")
			}
			if tt.want != nil && !errors.Is(tt.err, tt.want) {
				t.Fatalf("got %v, want %v", tt.err, tt.want)
			}
		})
	}

	t.Run("DimensionError", func(t *testing.T) {
		err := d.Insert(ctx, "pets", db.Row{Word: "dog", Vector: []float32{1, 2}})
		var de *db.DimensionError
		if !errors.As(err, &de) || de.Want != 3 || de.Got != 2 {
			t.Fatalf("Insert short vector = %v, want *DimensionError{3, 2}", err)
		}
	})
	t.Run("LookupMissing", func(t *testing.T) {
		_, err := d.Lookup(ctx, "pets", "dog")
		if !errors.Is(err, db.ErrNoWord) || !strings.Contains(err.Error(), `"dog"`) {
			t.Fatalf("Lookup(dog) = %v, want ErrNoWord naming the word", err)
		}
	})
	t.Run("FailedInsertChangesNothing", func(t *testing.T) {
		err := d.Insert(ctx, "pets",
			db.Row{Word: "dog", Vector: []float32{1, 2, 3}},
			db.Row{Word: "cat", Vector: []float32{1, 2, 3}}) // duplicate: the whole call fails
		if !errors.Is(err, db.ErrWordExists) {
			t.Fatalf("Insert = %v, want ErrWordExists", err)
		}
		if _, err := d.Lookup(ctx, "pets", "dog"); !errors.Is(err, db.ErrNoWord) {
			t.Fatalf("dog was kept by a failed insert: %v", err)
		}
		if in, _ := d.Table(ctx, "pets"); in.Rows != 1 {
			t.Fatalf("Rows = %d after failed insert, want 1", in.Rows)
		}
	})
}

func float32nan() float32 {
	var zero float32
	return zero / zero
}

func TestDB_Rows(t *testing.T) {
	ctx := context.Background()
	for _, elem := range []db.ElemType{db.Float32, db.Float16, db.BFloat16} {
		t.Run(elem.String(), func(t *testing.T) {
			d := MustOpenDB(t)
			if err := d.CreateTable(ctx, "t", db.TableSpec{Dim: 2, Elem: elem}); err != nil {
				t.Fatal(err)
			}
			in := []db.Row{
				{Word: "a", Count: 3, Vector: []float32{1, -2}},
				{Word: "b", Count: 2, Vector: []float32{0.5, 0.25}},
				{Word: "c", Count: 1, Vector: []float32{-4, 8}},
			}
			if err := d.Insert(ctx, "t", in...); err != nil {
				t.Fatal(err)
			}
			if err := d.Replace(ctx, "t", db.Row{Word: "b", Count: 9, Vector: []float32{2, 4}}); err != nil {
				t.Fatal(err)
			}
			if n, err := d.Delete(ctx, "t", "a", "zzz"); err != nil || n != 1 {
				t.Fatalf("Delete = %d, %v, want 1, nil", n, err)
			}
			if err := d.Insert(ctx, "t", db.Row{Word: "a", Vector: []float32{16, 32}}); err != nil {
				t.Fatalf("re-insert after delete: %v", err)
			}
			var got []db.Row
			err := d.View(ctx, func(tx *db.Tx) error {
				return tx.ForEach("t", true, func(r db.Row) error { got = append(got, r); return nil })
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []db.Row{
				{ID: 2, Word: "c", Count: 1, Vector: []float32{-4, 8}},
				{ID: 3, Word: "b", Count: 9, Vector: []float32{2, 4}},
				{ID: 4, Word: "a", Count: 0, Vector: []float32{16, 32}},
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("rows = %+v, want %+v", got, want)
			}
			r, err := d.LookupID(ctx, "t", 2)
			if err != nil || r.Word != "c" {
				t.Fatalf("LookupID(2) = %+v, %v", r, err)
			}
			if _, err := d.LookupID(ctx, "t", 0); !errors.Is(err, db.ErrNoWord) {
				t.Fatalf("LookupID(deleted) = %v, want ErrNoWord", err)
			}
			info, _ := d.Table(ctx, "t")
			if info.Rows != 3 || info.NextID != 5 {
				t.Fatalf("Rows, NextID = %d, %d, want 3, 5", info.Rows, info.NextID)
			}
		})
	}
}

func TestTx_ScanVectors(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	const dim, n = 300, 2000 // several chunks
	mustCreate(t, d, "t", dim)
	rows := make([]db.Row, n)
	for i := range rows {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(i*dim + j)
		}
		rows[i] = db.Row{Word: "w" + itoa(i), Vector: v}
	}
	if err := d.Insert(ctx, "t", rows...); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Delete(ctx, "t", "w5"); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err := d.View(ctx, func(tx *db.Tx) error {
		return tx.ScanVectors("t", func(first uint32, vecs []float32) error {
			for r := 0; r < len(vecs)/dim; r++ {
				id := int(first) + r
				for j := 0; j < dim; j++ {
					want := float32(id*dim + j)
					if id == 5 {
						want = 0
					}
					if vecs[r*dim+j] != want {
						t.Fatalf("row %d elem %d = %v, want %v", id, j, vecs[r*dim+j], want)
					}
				}
				seen++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != n {
		t.Fatalf("scanned %d rows, want %d", seen, n)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestDB_Update_Rollback(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	mustCreate(t, d, "t", 1)
	boom := errors.New("boom")
	err := d.Update(ctx, func(tx *db.Tx) error {
		if err := tx.Insert("t", db.Row{Word: "x", Vector: []float32{1}}); err != nil {
			return err
		}
		if err := tx.CreateTable("u", db.TableSpec{Dim: 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if info, _ := d.Table(ctx, "t"); info.Rows != 0 {
		t.Fatalf("rolled-back insert left %d rows", info.Rows)
	}
	if _, err := d.Table(ctx, "u"); !errors.Is(err, db.ErrNoTable) {
		t.Fatalf("rolled-back create left table u: %v", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	err = d.Update(cctx, func(tx *db.Tx) error {
		cancel()
		return tx.Insert("t", db.Row{Word: "y", Vector: []float32{1}})
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Update = %v, want context.Canceled", err)
	}
	if _, err := d.Lookup(ctx, "t", "y"); !errors.Is(err, db.ErrNoWord) {
		t.Fatalf("cancelled Update kept its insert: %v", err)
	}
}
