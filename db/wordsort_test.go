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
		wi := s.chunks()
		var got []wordEntry
		for i, v := range wi.vals {
			c, ok := decodeWordChunk(v)
			if !ok || len(c) == 0 || c[0].word != string(wi.keys[i]) {
				t.Fatalf("sizes %v: chunk %d is malformed or keyed %q", sizes, i, wi.keys[i])
			}
			got = append(got, c...)
		}
		slices.SortStableFunc(all, compareWords)
		if wi.dup != nil || len(got) != len(all) {
			t.Fatalf("sizes %v: %d words back (dup %v), want %d", sizes, len(got), wi.dup, len(all))
		}
		for i := range all {
			if got[i] != all[i] {
				t.Fatalf("sizes %v: word %d = %+v, want %+v", sizes, i, got[i], all[i])
			}
		}
	}
	// A word given twice, in different batches, is found and named with
	// both rows.
	s := newWordSorter()
	s.add([]wordEntry{{word: "b", id: 0}, {word: "a", id: 1}})
	s.add([]wordEntry{{word: "c", id: 2}})
	s.add([]wordEntry{{word: "a", id: 3}})
	if wi := s.chunks(); wi.dup == nil || wi.dup[0].word != "a" || wi.dup[0].id+wi.dup[1].id != 4 {
		t.Fatalf("repeated a: dup = %v", wi.dup)
	}
	s = newWordSorter()
	s.add([]wordEntry{{word: "b"}, {word: "a"}})
	s.add([]wordEntry{{word: "c"}})
	s.abandon() // returns at once; the goroutine ends on its own
}
