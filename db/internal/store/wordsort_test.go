package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// sortTestWord returns a word unique among those it returns (it ends in a
// 64-bit random number), of one of several shapes.
func sortTestWord(rng *rand.Rand) string {
	n := rng.Uint64()
	switch n % 5 {
	case 0:
		return fmt.Sprintf("w%x", n)
	case 1:
		return fmt.Sprintf("common-prefix-%d", n)
	case 2:
		return fmt.Sprintf("é%d", n%1000) + strings.Repeat("z", int(n>>10%3)) + fmt.Sprint(n)
	case 3:
		return fmt.Sprint(n) // a digit string of any length, some prefixes of others
	default:
		return string([]byte{byte(n), byte(n >> 8)})[:1+n>>16%2] + fmt.Sprintf("\xff%d", n)
	}
}

// TestWordSorter hands the sorter batches of shuffled words, of the size a
// bulk load uses and odd sizes, and wants every word back in order; an
// abandoned sorter must not block. The words vary where a faster compare
// (of a fixed-length prefix, say) would first get byte order wrong: short
// words, prefixes of each other, a long common prefix, bytes above 0x7f.
func TestWordSorter(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][]int{{}, {1}, {5, 0, 3}, {wordSortBatch, wordSortBatch, wordSortBatch, 17}, {100, 1, 1, 1, 2000, 7}} {
		var all []wordEntry
		s := newWordSorter()
		for _, n := range sizes {
			b := make([]wordEntry, n)
			for i := range b {
				id := uint32(len(all) + i)
				b[i] = wordEntry{word: sortTestWord(rng), id: id}
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
		slices.SortStableFunc(all, func(a, b wordEntry) int { return strings.Compare(a.word, b.word) })
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
	// A repeat among enough words for carries and the last streaming
	// merge, wherever it sorts.
	var big []wordEntry
	for i := range 3 * wordSortBatch {
		big = append(big, wordEntry{word: sortTestWord(rng), id: uint32(i)})
	}
	sorted := slices.Clone(big)
	slices.SortFunc(sorted, compareWords)
	for _, rep := range []wordEntry{sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1], sorted[len(sorted)/3]} {
		s := newWordSorter()
		for i := 0; i < len(big); i += wordSortBatch {
			s.add(slices.Clone(big[i : i+wordSortBatch]))
		}
		s.add([]wordEntry{{word: "zz-not-repeated", id: uint32(len(big))}, {word: rep.word, id: uint32(len(big) + 1)}})
		s.end() // as Commit does, before its last write; chunks ends again
		wi := s.chunks()
		if wi.dup == nil || wi.dup[0].word != rep.word || wi.dup[0].id+wi.dup[1].id != rep.id+uint32(len(big)+1) {
			t.Fatalf("repeated %q (row %d): dup = %v", rep.word, rep.id, wi.dup)
		}
	}
	s = newWordSorter()
	s.add([]wordEntry{{word: "b"}, {word: "a"}})
	s.add([]wordEntry{{word: "c"}})
	s.end()
	s.abandon() // returns at once, after end too; the goroutine ends on its own
}
