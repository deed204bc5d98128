package store

import (
	"fmt"
	"testing"
)

// TestWordSlots checks the word -> id table that NEAREST consults: every
// live named row is found, deleted and unnamed rows are not, and neither is
// a word of no row, with enough rows that probes collide and wrap.
func TestWordSlots(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 5000} {
		names := make([]string, n)
		live := make([]bool, n)
		for i := range names {
			names[i] = fmt.Sprintf("w%d", i)
			live[i] = i%5 != 1
			if i%7 == 3 {
				names[i] = "" // a row without a word
			}
		}
		ws := newWordSlots(names, live)
		if len(ws.slots) < 2*n || len(ws.slots)&(len(ws.slots)-1) != 0 {
			t.Fatalf("n=%d: %d slots, want a power of two >= %d", n, len(ws.slots), 2*n)
		}
		for i, w := range names {
			id, ok := ws.find(names, w)
			switch {
			case w == "" || !live[i]:
				if ok { // every word is unique: no other row has it
					t.Fatalf("n=%d: find(%q) = %d, a row that is deleted or has no word", n, w, id)
				}
			case !ok || id != uint32(i):
				t.Fatalf("n=%d: find(%q) = %d, %v, want %d", n, w, id, ok, i)
			}
		}
		if id, ok := ws.find(names, "absent"); ok {
			t.Fatalf("n=%d: find(absent) = %d", n, id)
		}
	}
	if _, ok := (wordSlots{}).find(nil, "w"); ok {
		t.Fatal("the zero wordSlots found a word")
	}
}
