package tokenize

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func loadTinyInternal(tb testing.TB, name string) *BPE {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "bpe", name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	b, err := ParseBPE(data)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// naiveMerge is the textbook BPE loop: merge the adjacent pair of lowest
// rank, leftmost first, until no pair has a merge. It is quadratic, and the
// reference for mergeWord's heap.
func (b *BPE) naiveMerge(piece string) []int32 {
	var ids []int32
	for i := 0; i < len(piece); i++ {
		if id := b.byteID[piece[i]]; id >= 0 {
			ids = append(ids, id)
		}
	}
	for {
		best, at := mergeRule{rank: -1}, -1
		for i := 0; i+1 < len(ids); i++ {
			if m, ok := b.merges.get(pairKey(ids[i], ids[i+1])); ok && (at < 0 || m.rank < best.rank) {
				best, at = m, i
			}
		}
		if at < 0 {
			return ids
		}
		ids = append(ids[:at], append([]int32{best.id}, ids[at+2:]...)...)
	}
}

// FuzzMergeWord checks the heap-based merge against naiveMerge.
func FuzzMergeWord(f *testing.F) {
	for _, s := range []string{"", "a", "hello", " the", "aaaaaaa", "Ġ", "你好世界", "  \n\n", "ababababab", "internationalization"} {
		f.Add(s)
	}
	b := loadTinyInternal(f, "tiny_gpt2")
	var sc mergeScratch
	f.Fuzz(func(t *testing.T, piece string) {
		got, want := b.mergeWord(&sc, piece), b.naiveMerge(piece)
		if len(want) == 0 {
			want = []int32{}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("mergeWord(%q) = %v, naive merge gives %v", piece, got, want)
		}
	})
}

// TestWordCache_Bounded encodes more distinct words than the cache holds
// and checks that it stays bounded and that results do not change.
func TestWordCache_Bounded(t *testing.T) {
	b := loadTinyInternal(t, "tiny_gpt2")
	var sc mergeScratch
	for i := 0; i < cacheMaxEntries+500; i++ {
		w := fmt.Sprintf(" w%x", i*7919)
		got := b.word(&sc, w)
		if want := b.mergeWord(&sc, w); !slices.Equal(got, want) {
			t.Fatalf("word(%q) = %v, want %v", w, got, want)
		}
		if n := len(b.cache.m); n > cacheMaxEntries {
			t.Fatalf("cache has %d entries, more than %d", n, cacheMaxEntries)
		}
	}
	long := string(make([]byte, cacheMaxKey))
	b.word(&sc, long)
	if _, ok := b.cache.get(long); ok {
		t.Errorf("a %d-byte piece was cached, want only pieces shorter than %d", len(long), cacheMaxKey)
	}
}
