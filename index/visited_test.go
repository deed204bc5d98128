package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestVisitedSet checks marking, and that reset leaves no bit set whether
// it clears every word, the listed slots or, past the list's bound, every
// word again.
func TestVisitedSet(t *testing.T) {
	const n = 10_000
	for _, list := range []bool{false, true} {
		checkVisitedSet(t, n, list)
	}
}

func checkVisitedSet(t *testing.T, n int, list bool) {
	var v visitedSet
	v.grow(n)
	v.mark(7) // made before listing: the first reset must clear it too
	v.listMarks(list)
	v.reset()
	if v.has(7) {
		t.Fatalf("list %v: slot 7 marked after reset", list)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, marks := range []int{0, 1, 50, len(v.bits) / 8, len(v.bits)/8 + 1, 5_000, n} {
		want := map[uint32]bool{}
		for range marks {
			x := uint32(rng.IntN(n))
			if !v.has(x) {
				v.mark(x)
			}
			want[x] = true
		}
		for x := range uint32(n) {
			if v.has(x) != want[x] {
				t.Fatalf("%d marks: has(%d) = %v, want %v", marks, x, v.has(x), want[x])
			}
		}
		// Past an eighth of the words the list gives way to a full clear.
		if got := v.all; list && got != (len(want) > len(v.bits)/8) {
			t.Errorf("%d marks (%d distinct): all = %v", marks, len(want), got)
		}
		v.reset()
		if i := slices.IndexFunc(v.bits, func(w uint64) bool { return w != 0 }); i >= 0 {
			t.Fatalf("%d marks: word %d is %#x after reset", marks, i, v.bits[i])
		}
		if len(v.marked) != 0 || v.all {
			t.Fatalf("%d marks: after reset, %d listed, all %v", marks, len(v.marked), v.all)
		}
	}
	// Growing keeps nothing marked.
	v.mark(3)
	v.grow(2 * n)
	if v.has(3) || len(v.bits) < (2*n+63)/64 {
		t.Fatalf("list %v: after grow: has(3) = %v, %d words", list, v.has(3), len(v.bits))
	}
}
