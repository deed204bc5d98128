package store

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestColChunk_RoundTrip(t *testing.T) {
	tests := []struct {
		typ  ColType
		vals []any
	}{
		{ColInteger, []any{int64(1), nil, int64(-5), int64(math.MaxInt64)}},
		{ColReal, []any{0.5, math.MaxFloat64, nil}},
		{ColBoolean, []any{true, false, nil, true}},
		{ColText, []any{"", "héllo", nil, "x"}},
		{ColJSON, []any{`{"a":1}`, nil}},
		{ColText, []any{}},
	}
	for _, tt := range tests {
		b := encodeColChunk(tt.typ, tt.vals)
		got, ok := decodeColChunk(tt.typ, b, 64)
		if !ok || !reflect.DeepEqual(got, tt.vals) {
			t.Errorf("%s %v: decoded %v, %v", tt.typ, tt.vals, got, ok)
		}
	}
}

// FuzzDecodeColChunk checks that no chunk bytes make the decoder panic, and
// that what it decodes encodes back to the same bytes.
func FuzzDecodeColChunk(f *testing.F) {
	f.Add(uint8(ColInteger), encodeColChunk(ColInteger, []any{int64(1), nil}))
	f.Add(uint8(ColText), encodeColChunk(ColText, []any{"a", nil, "bc"}))
	f.Add(uint8(ColBoolean), encodeColChunk(ColBoolean, []any{true}))
	f.Add(uint8(ColReal), []byte{1, 200, 1})
	f.Fuzz(func(t *testing.T, typ uint8, b []byte) {
		ct := ColType(typ%5 + 1)
		vals, ok := decodeColChunk(ct, b, 512)
		if !ok || len(b) == 0 {
			return
		}
		if again := encodeColChunk(ct, vals); string(again) != string(b) {
			// Only a non-canonical encoding may differ: it must decode alike.
			if v2, ok := decodeColChunk(ct, again, 512); !ok || !reflect.DeepEqual(v2, vals) {
				t.Fatalf("%s: %x decodes to %v, which encodes to %x", ct, b, vals, again)
			}
		}
	})
}

func openColumnsDB(t *testing.T) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "c.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

var testColumns = []Column{
	{Name: "title", Type: ColText},
	{Name: "year", Type: ColInteger},
	{Name: "score", Type: ColReal},
	{Name: "draft", Type: ColBoolean},
}

// TestColumns_UpdateKeepsVectorChunk checks that changing a user column
// writes its column chunk and nothing of the row's vector or row chunks.
func TestColumns_UpdateKeepsVectorChunk(t *testing.T) {
	d := openColumnsDB(t)
	ctx := context.Background()
	if err := d.CreateTable(ctx, "docs", TableSpec{Dim: 4, Columns: testColumns}); err != nil {
		t.Fatal(err)
	}
	row := Row{Word: "d1", Vector: []float32{1, 2, 3, 4}, Cols: map[string]any{"year": int64(2024), "title": "Intro"}}
	if err := d.Insert(ctx, "docs", row); err != nil {
		t.Fatal(err)
	}
	err := d.Update(ctx, func(tx *Tx) error {
		tb, err := OpenTable(tx, "docs")
		if err != nil {
			return err
		}
		if err := tb.SetColumn(tb.ColumnIndex("year"), 0, int64(2025)); err != nil {
			return err
		}
		if len(tb.dirtyVec) != 0 || len(tb.dirtyRows) != 0 || len(tb.dirtyCols) != 1 {
			return fmt.Errorf("changed chunks: %d vector, %d row, %d column; want 0, 0, 1", len(tb.dirtyVec), len(tb.dirtyRows), len(tb.dirtyCols))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = d.View(ctx, func(tx *Tx) error {
		tb, err := OpenTable(tx, "docs")
		if err != nil {
			return err
		}
		cols, err := tb.RowColumns(0)
		if err != nil {
			return err
		}
		want := map[string]any{"title": "Intro", "year": int64(2025), "score": nil, "draft": nil}
		if !reflect.DeepEqual(cols, want) {
			return fmt.Errorf("columns = %v, want %v", cols, want)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// TestColumns_DiskCost measures what user columns cost on disk: two files
// with the same rows, with and without four columns, compacted; the
// difference in the pages of the table's bucket must be at most 1.2 times
// the columns' raw bytes (8 per INTEGER and REAL, 1 per BOOLEAN, the bytes
// of a TEXT). (The file sizes differ by what bbolt's growth steps make
// them, not by what is stored.)
func TestColumns_DiskCost(t *testing.T) {
	const n = 20000
	ctx := context.Background()
	sizes := make([]int64, 2)
	var raw int64
	for k, withCols := range []bool{false, true} {
		d := openColumnsDB(t)
		spec := TableSpec{Dim: 8}
		if withCols {
			spec.Columns = testColumns
		}
		if err := d.CreateTable(ctx, "docs", spec); err != nil {
			t.Fatal(err)
		}
		rows := make([]Row, n)
		for i := range rows {
			rows[i] = Row{Word: fmt.Sprintf("doc%06d", i), Vector: make([]float32, 8)}
			if withCols {
				title := fmt.Sprintf("Document title number %d", i)
				rows[i].Cols = map[string]any{"title": title, "year": int64(1900 + i%1000), "score": float64(i) / 7, "draft": i%3 == 0}
				raw += int64(len(title)) + 8 + 8 + 1
			}
		}
		if err := d.Insert(ctx, "docs", rows...); err != nil {
			t.Fatal(err)
		}
		if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("Check = %v, %v", problems, err)
		}
		path := filepath.Join(t.TempDir(), "copy.db")
		if _, err := d.VacuumInto(ctx, path); err != nil {
			t.Fatal(err)
		}
		sizes[k] = tablePages(t, path, "docs")
	}
	ratio := float64(sizes[1]-sizes[0]) / float64(raw)
	t.Logf("columns: %d raw bytes, %d bytes on disk (%.3f×)", raw, sizes[1]-sizes[0], ratio)
	if ratio > 1.2 {
		t.Errorf("columns cost %.3f× their raw bytes on disk, want at most 1.2×", ratio)
	}
}

// TestColumns_ReaderAndFill checks ColumnReader across chunks, a column
// added to a table with rows (its default read without being written), and
// deleted rows reading NULL.
func TestColumns_ReaderAndFill(t *testing.T) {
	d := openColumnsDB(t)
	ctx := context.Background()
	if err := d.CreateTable(ctx, "t", TableSpec{Dim: 1, Columns: []Column{{Name: "n", Type: ColInteger}}}); err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for i := 0; i < 200; i++ {
		rows = append(rows, Row{Word: fmt.Sprint(i), Vector: []float32{1}, Cols: map[string]any{"n": int64(i * 10)}})
	}
	if err := d.Insert(ctx, "t", rows...); err != nil {
		t.Fatal(err)
	}
	err := d.Update(ctx, func(tx *Tx) error {
		tb, err := OpenTable(tx, "t")
		if err != nil {
			return err
		}
		if err := tb.AddColumn(Column{Name: "lang", Type: ColText, Default: "en"}); err != nil {
			return err
		}
		_, err = tb.DeleteID(70)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = d.View(ctx, func(tx *Tx) error {
		tb, err := OpenTable(tx, "t")
		if err != nil {
			return err
		}
		n, _ := tb.ColumnReader("n")
		lang, _ := tb.ColumnReader("lang")
		for _, id := range []uint32{0, 63, 64, 150, 199} {
			if v, err := n.Value(id); err != nil || v != int64(id*10) {
				return fmt.Errorf("n of row %d = %v, %v", id, v, err)
			}
			if v, err := lang.Value(id); err != nil || v != "en" {
				return fmt.Errorf("lang of row %d = %v, %v", id, v, err)
			}
		}
		if v, _ := n.Value(70); v != nil {
			return fmt.Errorf("n of deleted row 70 = %v, want NULL", v)
		}
		if _, err := tb.ColumnReader("nope"); err == nil {
			return fmt.Errorf("ColumnReader of a missing column succeeded")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if p, err := d.Check(ctx); err != nil || len(p) > 0 {
		t.Errorf("Check = %v, %v", p, err)
	}
}

// tablePages returns the bytes of the pages that table name's bucket holds
// in the file at path.
func tablePages(t *testing.T, path, name string) int64 {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	var n int64
	err = bdb.View(func(tx *bolt.Tx) error {
		id, err := CatalogID(tx, name)
		if err != nil {
			return err
		}
		s := tx.Bucket(TableKey(id)).Stats()
		n = int64(s.BranchPageN+s.BranchOverflowN+s.LeafPageN+s.LeafOverflowN) * int64(bdb.Info().PageSize)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
