package store

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEncodeScalar_Order(t *testing.T) {
	ordered := [][]any{
		{nil, false, true},
		{int64(math.MinInt64), int64(-5), int64(-1), int64(0), int64(1), int64(2020), int64(math.MaxInt64)},
		{math.Inf(-1), -2.5, math.Copysign(0, -1), 0.0, 1e-9, 3.0, math.Inf(1)},
		{"", "\x00", "\x00a", "a", "a\x00", "ab", "b"},
	}
	for _, vals := range ordered {
		for i := 1; i < len(vals); i++ {
			a, b := encodeScalar(vals[i-1]), encodeScalar(vals[i])
			if bytes.Compare(a, b) > 0 {
				t.Errorf("encodeScalar(%#v) = %x sorts after encodeScalar(%#v) = %x", vals[i-1], a, vals[i], b)
			}
		}
	}
	// No text value is a prefix of another's key: the id that follows
	// cannot be confused with the value.
	if k1, k2 := scalarKey("c", "a", 0x00ff0000), scalarKey("c", "a\x00", 1); bytes.Compare(k1, k2) > 0 {
		t.Errorf("key of 'a' sorts after the key of 'a\\x00'")
	}
}

// TestScalarIndex checks the index on count through inserts, a replace and
// deletes: ScanScalar lists exactly the live rows in each range, and the
// check finds nothing wrong, until an entry is removed behind its back.
func TestScalarIndex(t *testing.T) {
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "s.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.CreateTable(ctx, "t", TableSpec{Dim: 2}); err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for i := range 50 {
		rows = append(rows, Row{Word: fmt.Sprint("w", i), Count: int64(i % 10), Vector: []float32{1, float32(i)}})
	}
	if err := d.Insert(ctx, "t", rows[:30]...); err != nil {
		t.Fatal(err)
	}
	update := func(fn func(*Table) error) {
		t.Helper()
		updateTable(t, d, "t", fn)
	}
	update(func(tb *Table) error { return tb.CreateScalarIndex("count") })
	if err := d.Insert(ctx, "t", rows[30:]...); err != nil {
		t.Fatal(err)
	}
	if err := d.Replace(ctx, "t", Row{Word: "w3", Count: 9, Vector: []float32{1, 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Delete(ctx, "t", "w4", "w14"); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, r := range rows {
		want[r.Word] = r.Count
	}
	want["w3"] = 9
	delete(want, "w4")
	delete(want, "w14")
	bound := func(v int64, incl bool) *ScalarBound { return &ScalarBound{Value: v, Inclusive: incl} }
	for _, r := range []ScalarRange{
		{Lo: bound(4, true), Hi: bound(4, true)},
		{Lo: bound(2, false), Hi: bound(5, true)},
		{Hi: bound(3, false)},
		{Lo: bound(8, true)},
		{},
	} {
		in := func(c int64) bool {
			return (r.Lo == nil || c > r.Lo.Value.(int64) || (r.Lo.Inclusive && c == r.Lo.Value.(int64))) &&
				(r.Hi == nil || c < r.Hi.Value.(int64) || (r.Hi.Inclusive && c == r.Hi.Value.(int64)))
		}
		var wantWords []string
		for w, c := range want {
			if in(c) {
				wantWords = append(wantWords, w)
			}
		}
		var got []string
		if err := d.View(ctx, func(tx *Tx) error {
			tb, err := OpenTable(tx, "t")
			if err != nil {
				return err
			}
			return tb.ScanScalar("count", r, func(id uint32) bool {
				w, _, _, _ := tb.RowMeta(id)
				got = append(got, w)
				return true
			})
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(wantWords)
		if fmt.Sprint(got) != fmt.Sprint(wantWords) {
			t.Errorf("ScanScalar(%v..%v) = %v, want %v", r.Lo, r.Hi, got, wantWords)
		}
	}
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("Check = %v, %v; want no problems", problems, err)
	}
	// An entry lost behind the index's back is found.
	update(func(tb *Table) error {
		id, _, _ := tb.WordID("w5")
		return tb.ks(KsScalar).Delete(scalarKey("count", int64(5), id))
	})
	problems, err := d.Check(ctx)
	if err != nil || !strings.Contains(strings.Join(problems, "\n"), "holds 47 of the 48 live rows") {
		t.Fatalf("Check after losing an entry = %v, %v", problems, err)
	}
	update(func(tb *Table) error { return tb.DropScalarIndex("count") })
	if problems, err := d.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("Check after DROP = %v, %v; want no problems", problems, err)
	}
}

// updateTable runs fn on table name in a write transaction of d, failing
// the test on any error.
func updateTable(t *testing.T, d *DB, name string, fn func(*Table) error) {
	t.Helper()
	if err := d.Update(context.Background(), func(tx *Tx) error {
		tb, err := OpenTable(tx, name)
		if err != nil {
			return err
		}
		return fn(tb)
	}); err != nil {
		t.Fatal(err)
	}
}
