package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestCheck_FindsColumnDamage damages a table's columns and scalar index
// behind the statements' back, one way at a time, and holds that CHECK
// DATABASE names each damage (issue 16: "CHECK DATABASE verifies columns
// and scalar indexes too"); the clean table and each repair check clean.
func TestCheck_FindsColumnDamage(t *testing.T) {
	ctx := context.Background()
	d := openColumnsDB(t)
	spec := TableSpec{Dim: 2, Columns: []Column{
		{Name: "n", Type: ColInteger, NotNull: true},
		{Name: "title", Type: ColText},
	}}
	if err := d.CreateTable(ctx, "t", spec); err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for i := range 10 {
		rows = append(rows, Row{Word: fmt.Sprint("w", i), Vector: []float32{1, float32(i)},
			Cols: map[string]any{"n": int64(i % 4), "title": fmt.Sprint("t", i)}})
	}
	if err := d.Insert(ctx, "t", rows...); err != nil {
		t.Fatal(err)
	}
	onTable := func(fn func(*Table) error) {
		t.Helper()
		updateTable(t, d, "t", fn)
	}
	onTable(func(tb *Table) error { return tb.CreateScalarIndex("n") })
	check := func(want string) {
		t.Helper()
		problems, err := d.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(problems, "; ")
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Fatalf("Check = %q, want a problem saying %q", got, want)
		}
	}
	check("")
	var nID uint32
	var original []byte
	onTable(func(tb *Table) error {
		nID = tb.meta.Columns[0].ID
		b, err := tb.ks(KsCol).Get(colKey(nID, 0))
		original = append([]byte(nil), b...) // b lives as long as the transaction
		return err
	})
	// putChunk replaces chunk 0 of n with vals, its scalar index untouched.
	putChunk := func(b []byte) {
		onTable(func(tb *Table) error { return tb.ks(KsCol).Put(colKey(nID, 0), b) })
	}
	vals := func(change func([]any)) []byte {
		v := make([]any, 10)
		for i := range v {
			v[i] = int64(i % 4)
		}
		change(v)
		return encodeColChunk(ColInteger, v)
	}
	for _, c := range []struct {
		what  string
		chunk []byte
		want  string
	}{
		{"a value changed behind the index", vals(func(v []any) { v[5] = int64(777) }), `index on "n": the entry of row 5 does not match the row`},
		{"NULL in a NOT NULL column", vals(func(v []any) { v[3] = nil }), `column "n" is NOT NULL, but row 3 holds NULL`},
		{"a malformed chunk", []byte{0, 200}, `column "n": chunk 0 is malformed`},
		{"more slots than rows", encodeColChunk(ColInteger, make([]any, 11)), `column "n": chunk 0 holds rows beyond next id 10`},
	} {
		putChunk(c.chunk)
		check(c.want)
		putChunk(original)
		check("")
	}
	// A chunk past the rows the table has.
	onTable(func(tb *Table) error {
		return tb.ks(KsCol).Put(colKey(nID, 5), encodeColChunk(ColInteger, []any{int64(1)}))
	})
	check(`column "n": chunk 5 holds rows beyond next id 10`)
	onTable(func(tb *Table) error { return tb.ks(KsCol).Delete(colKey(nID, 5)) })
	// A chunk of a column the table does not have (a dropped one's left over).
	onTable(func(tb *Table) error {
		return tb.ks(KsCol).Put(colKey(nID+40, 0), encodeColChunk(ColInteger, []any{int64(1)}))
	})
	check(fmt.Sprintf("chunk 0 of column id %d, which the table does not have", nID+40))
}
