package db

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWordSorter hands the sorter batches of shuffled words, of the size a
// bulk load uses and odd sizes, and wants every word back in order; an
// abandoned sorter must not block.
func TestWordSorter(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][]int{{}, {1}, {5, 0, 3}, {wordSortBatch, wordSortBatch, wordSortBatch, 17}, {100, 1, 1, 1, 2000, 7}} {
		var all []wordEntry
		s := newWordSorter()
		for _, n := range sizes {
			b := make([]wordEntry, n)
			for i := range b {
				id := uint32(len(all) + i)
				b[i] = wordEntry{word: fmt.Sprintf("w%x", rng.Uint64()), id: id}
			}
			all = append(all, b...)
			s.add(slices.Clone(b))
		}
		got := s.sorted()
		slices.SortStableFunc(all, compareWords)
		if len(got) != len(all) {
			t.Fatalf("sizes %v: %d words back, want %d", sizes, len(got), len(all))
		}
		for i := range all {
			if got[i].word != all[i].word {
				t.Fatalf("sizes %v: word %d = %q, want %q", sizes, i, got[i].word, all[i].word)
			}
		}
	}
	s := newWordSorter()
	s.add([]wordEntry{{word: "b"}, {word: "a"}})
	s.add([]wordEntry{{word: "c"}})
	s.abandon() // returns at once; the goroutine ends on its own
}
