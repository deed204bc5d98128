//go:build !nocolumnar

package columnar

import (
	"slices"
	"testing"
)

// TestEvenRows finds the offsets of rows of one length, over more levels
// than a block of the expected ones, and refuses levels of any other
// shape: a null element, a null list, rows of two lengths that average
// one, a row count that does not divide the levels.
func TestEvenRows(t *testing.T) {
	const per, rows, maxDef = 7, 10_000, 3 // 70,000 levels: two blocks and a part
	levels := func() (defs, reps []int16) {
		for range rows {
			for j := range per {
				reps = append(reps, min(int16(j), 1))
				defs = append(defs, maxDef)
			}
		}
		return defs, reps
	}
	c := &listColumn{maxDef: maxDef}
	defs, reps := levels()
	offsets := make([]int32, rows+1)
	if !c.evenRows(defs, reps, rows, offsets) {
		t.Fatal("rows of 7 elements: not found even")
	}
	for i, o := range offsets {
		if o != int32(i*per) {
			t.Fatalf("offset %d is %d, want %d", i, o, i*per)
		}
	}
	for name, spoil := range map[string]func(defs, reps []int16){
		"null element":    func(defs, reps []int16) { defs[len(defs)-2] = maxDef - 1 },
		"null list":       func(defs, reps []int16) { defs[len(defs)-per] = 0 },
		"rows of 6 and 8": func(defs, reps []int16) { reps[len(reps)-per-1], reps[len(reps)-per] = 0, 1 },
	} {
		defs, reps := levels()
		spoil(defs, reps)
		if c.evenRows(defs, reps, rows, offsets) {
			t.Errorf("%s: found even", name)
		}
	}
	if c.evenRows(defs[:len(defs)-1], reps[:len(reps)-1], rows, offsets) {
		t.Error("a level short: found even")
	}
	d, r := slices.Clone(defs[:per*3]), slices.Clone(reps[:per*3])
	if !c.evenRows(d, r, 3, offsets[:4]) || c.evenRows(d, r, 2, offsets[:3]) {
		t.Error("three rows: found even as two, or not as three")
	}
}
