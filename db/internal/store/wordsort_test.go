package store

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
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

// withWordKnobs sets the sorter's run size, batch size and fan-in for the
// rest of the test.
func withWordKnobs(t *testing.T, runBytes, batchBytes, fanIn int) {
	t.Helper()
	r, b, f := wordRunBytes, wordBatchBytes, wordMaxFanIn
	wordRunBytes, wordBatchBytes, wordMaxFanIn = runBytes, batchBytes, fanIn
	t.Cleanup(func() { wordRunBytes, wordBatchBytes, wordMaxFanIn = r, b, f })
}

// drainSorter ends s and returns every entry of the chunks it hands back,
// checking each chunk's key, and the duplicate or error it ends with.
func drainSorter(t *testing.T, s *wordSorter) (got []wordEntry, batches int, dup *[2]wordEntry, err error) {
	t.Helper()
	defer s.abandon()
	for {
		b := s.next()
		batches++
		for i, v := range b.vals {
			c, ok := decodeWordChunk(v)
			if !ok || len(c) == 0 || c[0].word != string(b.keys[i]) {
				t.Fatalf("chunk %d of batch %d is malformed or keyed %q", i, batches, b.keys[i])
			}
			got = append(got, c...)
		}
		if b.last {
			return got, batches, b.dup, b.err
		}
	}
}

// sorterKnobs are the settings TestWordSorter runs under: the default, and
// small runs and batches that spill and hand over often, with a fan-in of
// 2 so that spilled runs are merged in levels.
var sorterKnobs = []struct {
	name                   string
	runBytes, batch, fanIn int
}{
	{"InMemory", 16 << 20, 16 << 20, 64},
	{"Spill", 100_000, 20_000, 64},
	{"SpillLevels", 50_000, 5_000, 2},
}

// TestWordSorter hands the sorter batches of shuffled words, of the size a
// bulk load uses and odd sizes, and wants every word back in order, with
// the words in memory and spilled to disk; an abandoned sorter must not
// block, and no spill file may be left in the directory. The words vary
// where a faster compare (of a fixed-length prefix, say) would first get
// byte order wrong: short words, prefixes of each other, a long common
// prefix, bytes above 0x7f.
func TestWordSorter(t *testing.T) {
	for _, k := range sorterKnobs {
		t.Run(k.name, func(t *testing.T) {
			withWordKnobs(t, k.runBytes, k.batch, k.fanIn)
			testWordSorter(t)
		})
	}
}

func testWordSorter(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][]int{{}, {1}, {5, 0, 3}, {wordSortBatch, wordSortBatch, wordSortBatch, 17}, {100, 1, 1, 1, 2000, 7}} {
		var all []wordEntry
		s := newWordSorter(dir)
		for _, n := range sizes {
			b := make([]wordEntry, n)
			for i := range b {
				id := uint32(len(all) + i)
				b[i] = wordEntry{word: sortTestWord(rng), id: id, count: int64(rng.Uint32())}
			}
			all = append(all, b...)
			s.add(slices.Clone(b))
		}
		got, _, dup, err := drainSorter(t, s)
		slices.SortStableFunc(all, func(a, b wordEntry) int { return strings.Compare(a.word, b.word) })
		if err != nil || dup != nil || len(got) != len(all) {
			t.Fatalf("sizes %v: %d words back (dup %v, err %v), want %d", sizes, len(got), dup, err, len(all))
		}
		for i := range all {
			if got[i] != all[i] {
				t.Fatalf("sizes %v: word %d = %+v, want %+v", sizes, i, got[i], all[i])
			}
		}
	}
	// A word given twice, in different batches, is found and named with
	// both rows.
	s := newWordSorter(dir)
	s.add([]wordEntry{{word: "b", id: 0}, {word: "a", id: 1}})
	s.add([]wordEntry{{word: "c", id: 2}})
	s.add([]wordEntry{{word: "a", id: 3}})
	if _, _, dup, _ := drainSorter(t, s); dup == nil || dup[0].word != "a" || dup[0].id+dup[1].id != 4 {
		t.Fatalf("repeated a: dup = %v", dup)
	}
	// A repeat among enough words for spills and the last streaming
	// merge, wherever it sorts.
	var big []wordEntry
	for i := range 3 * wordSortBatch {
		big = append(big, wordEntry{word: sortTestWord(rng), id: uint32(i)})
	}
	sorted := slices.Clone(big)
	slices.SortFunc(sorted, compareWords)
	for _, rep := range []wordEntry{sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1], sorted[len(sorted)/3]} {
		s := newWordSorter(dir)
		for i := 0; i < len(big); i += wordSortBatch {
			s.add(slices.Clone(big[i : i+wordSortBatch]))
		}
		s.add([]wordEntry{{word: "zz-not-repeated", id: uint32(len(big))}, {word: rep.word, id: uint32(len(big) + 1)}})
		s.end() // as Commit does, before its last write; next ends again
		_, _, dup, err := drainSorter(t, s)
		if err != nil || dup == nil || dup[0].word != rep.word || dup[0].id+dup[1].id != rep.id+uint32(len(big)+1) {
			t.Fatalf("repeated %q (row %d): dup = %v, err %v", rep.word, rep.id, dup, err)
		}
	}
	s = newWordSorter(dir)
	s.add([]wordEntry{{word: "b"}, {word: "a"}})
	s.add([]wordEntry{{word: "c"}})
	s.end()
	s.abandon() // returns after end too, once the goroutine has cleaned up
	s = newWordSorter(dir)
	for i := 0; i < len(big); i += wordSortBatch {
		s.add(slices.Clone(big[i : i+wordSortBatch]))
	}
	s.next() // abandoned with batches still to come
	s.abandon()
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Fatalf("spill files left in %s: %v", dir, left)
	}
}

// TestWordSorterRunBoundary puts the spill threshold exactly at the size of
// a batch, so that each batch fills a run to the byte and the input ends on
// a run's boundary with nothing left in memory, and one byte above it, so
// that runs hold two batches; then a repeat that lies in two spilled runs.
func TestWordSorterRunBoundary(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, batches = 1000, 6
	var all []wordEntry
	var in [][]wordEntry
	for i := range batches {
		b := make([]wordEntry, n) // its cap, n, counts toward a run's bytes
		for j := range b {
			// Words of one length (in bytes; some letters take two) make
			// every batch the same size.
			b[j] = wordEntry{word: []string{"abc", "é_", "日"}[j%3] + fmt.Sprintf("%016x", rng.Uint64()), id: uint32(i*n + j), count: int64(j)}
		}
		all = append(all, b...)
		in = append(in, b)
	}
	slices.SortFunc(all, compareWords)
	for _, c := range []struct {
		extra, wantSpilled int
	}{{0, batches}, {1, batches / 2}} {
		dir := t.TempDir()
		withWordKnobs(t, entriesBytes(in[0])+c.extra, 3000, 64)
		s := newWordSorter(dir)
		for _, b := range in {
			s.add(exactClone(b))
		}
		got, nb, dup, err := drainSorter(t, s)
		if err != nil || dup != nil || !slices.Equal(got, all) {
			t.Fatalf("run size %d+%d: %d words back (dup %v, err %v), want %d in order", entriesBytes(in[0]), c.extra, len(got), dup, err, len(all))
		}
		if nb < 2 {
			t.Errorf("run size %d+%d: %d batches handed back, want several", entriesBytes(in[0]), c.extra, nb)
		}
		if s.spilled != c.wantSpilled {
			t.Errorf("run size %d+%d: %d runs spilled, want %d", entriesBytes(in[0]), c.extra, s.spilled, c.wantSpilled)
		}
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			t.Fatalf("spill files left: %v", left)
		}
	}
	// The same word in the first and the last spilled run.
	withWordKnobs(t, entriesBytes(in[0]), 3000, 64)
	s := newWordSorter(t.TempDir())
	for i, b := range in {
		b = exactClone(b)
		if i == batches-1 {
			b[n/2].word = in[0][3].word
		}
		s.add(b)
	}
	_, _, dup, err := drainSorter(t, s)
	if err != nil || dup == nil || dup[0].word != in[0][3].word || dup[0].id+dup[1].id != 3+(batches-1)*n+n/2 {
		t.Fatalf("repeat across spilled runs: dup = %v, err %v", dup, err)
	}
}

// TestFileRunTruncated reads back a spilled run cut short at every byte: a
// clear error, never a panic or a wrong entry.
func TestFileRunTruncated(t *testing.T) {
	sp, err := newWordSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	es := []wordEntry{{"alpha", 1, 2}, {"été", 300, 1 << 40}, {"z", 1<<32 - 1, 0}}
	if err := sp.writeRun([]wordRun{&memRun{es: slices.Clone(es)}}); err != nil {
		t.Fatal(err)
	}
	full := sp.spans[0][1]
	for cut := int64(0); cut <= full; cut++ {
		r := sp.readers([][2]int64{{0, cut}})[0]
		var got []wordEntry
		var rerr error
		for {
			e, ok, err := r.next()
			if err != nil || !ok {
				rerr = err
				break
			}
			got = append(got, e)
		}
		if cut == full {
			if rerr != nil || !slices.Equal(got, es) {
				t.Fatalf("whole run: %v, %v; want %v", got, rerr, es)
			}
			continue
		}
		if !slices.Equal(got, es[:len(got)]) {
			t.Fatalf("cut at %d: read %v, want a prefix of %v", cut, got, es)
		}
		if rerr == nil && len(got) != len(es) && !atEntryEnd(es, got, cut) {
			t.Fatalf("cut at %d: no error after %d entries", cut, len(got))
		}
	}
}

// atEntryEnd says cut falls just after the entries got, where a run may
// end.
func atEntryEnd(es, got []wordEntry, cut int64) bool {
	var n int64
	for _, e := range got {
		n += int64(len(binary.AppendUvarint(nil, uint64(len(e.word))))) + int64(len(e.word)) +
			int64(len(binary.AppendUvarint(nil, uint64(e.id)))) + int64(len(binary.AppendUvarint(nil, uint64(e.count))))
	}
	return n == cut
}

// exactClone copies b into a slice of capacity len(b) (slices.Clone may
// round it up), so that a run's size in bytes is what the test computes.
func exactClone(b []wordEntry) []wordEntry {
	c := make([]wordEntry, len(b))
	copy(c, b)
	return c
}
