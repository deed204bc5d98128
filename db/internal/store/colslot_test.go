package store

import (
	"fmt"
	"math"
	"testing"
)

// FuzzColSlot: colSlot never panics, and on any chunk decodeColChunk
// accepts it reads every slot as decodeColChunk does (past the last slot:
// past, where the column's Fill applies).
func FuzzColSlot(f *testing.F) {
	for _, c := range []struct {
		t    ColType
		vals []any
	}{
		{ColInteger, []any{int64(1), nil, int64(-3), int64(math.MaxInt64)}},
		{ColReal, []any{nil, nil, 2.5, math.Copysign(0, -1)}},
		{ColBoolean, []any{true, false, nil, true}},
		{ColText, []any{"a", "", nil, "日本", "x\x00y"}},
		{ColJSON, []any{`{"a":1}`, nil}},
		{ColText, make([]any, 20)},
	} {
		f.Add(byte(c.t), encodeColChunk(c.t, c.vals))
	}
	f.Add(byte(ColText), []byte{1, 200, 1})
	f.Add(byte(ColInteger), []byte{})
	f.Fuzz(func(t *testing.T, typ byte, b []byte) {
		ct := ColType(typ%5 + 1)
		const maxRows = 64
		vals, ok := decodeColChunk(ct, b, maxRows)
		for slot := range maxRows + 2 {
			v, past, sok := colSlot(ct, b, maxRows, slot)
			if !ok {
				continue
			}
			if !sok {
				t.Fatalf("colSlot(%v, %x, %d) not ok; decodeColChunk read %v", ct, b, slot, vals)
			}
			if want := slot >= len(vals); past != want {
				t.Fatalf("colSlot(%v, %x, %d): past %v, want %v", ct, b, slot, past, want)
			}
			if !past && fmt.Sprint(v) != fmt.Sprint(vals[slot]) {
				t.Fatalf("colSlot(%v, %x, %d) = %v, decodeColChunk %v", ct, b, slot, v, vals[slot])
			}
		}
	})
}
