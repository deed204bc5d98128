package trainer

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

type vocabGolden struct {
	Corpus string `json:"corpus"`
	Cases  []struct {
		Name             string         `json:"name"`
		Params           map[string]any `json:"params"`
		Words            []string       `json:"words"`
		Counts           []int64        `json:"counts"`
		SampleInt        []uint32       `json:"sample_int"`
		CumTable         []uint32       `json:"cum_table"`
		Codes            []string       `json:"codes"`
		Points           [][]int32      `json:"points"`
		CorpusTotalWords int64          `json:"corpus_total_words"`
		CorpusCount      int64          `json:"corpus_count"`
	} `json:"cases"`
	Update struct {
		Params   map[string]any `json:"params"`
		Split    int            `json:"split"`
		Words    []string       `json:"words"`
		Counts   []int64        `json:"counts"`
		CumTable []uint32       `json:"cum_table"`
		Codes    []string       `json:"codes"`
	} `json:"update"`
}

func loadVocabGolden(t *testing.T) vocabGolden {
	t.Helper()
	b, err := os.ReadFile("testdata/vocab.json")
	if err != nil {
		t.Fatal(err)
	}
	var g vocabGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func optionsFrom(t *testing.T, params map[string]any) Options {
	t.Helper()
	o := DefaultOptions()
	for k, v := range params {
		if err := o.Set(k, v); err != nil {
			t.Fatalf("Set(%q, %v): %v", k, v, err)
		}
	}
	return o
}

func firstDiff[T comparable](a, b []T) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// TestVocab_GensimParity builds vocabularies of the Lee corpus and compares them with what
// gensim 4.2 built (testdata/vocab.json, from testdata/gen_goldens.py): words in order
// (ties as numpy orders them), counts, down-sampling thresholds, the negative-sampling table
// and the Huffman codes and points.
func TestVocab_GensimParity(t *testing.T) {
	g := loadVocabGolden(t)
	corpus := Files(sharedFile(t, g.Corpus))
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			o := optionsFrom(t, c.Params)
			var n atomic.Int64
			rv, st, err := scanVocab(context.Background(), corpus, &o, &n)
			if err != nil {
				t.Fatal(err)
			}
			if st.rawWords != c.CorpusTotalWords || st.sentences != c.CorpusCount {
				t.Errorf("scan = %d words %d sentences, want %d, %d", st.rawWords, st.sentences, c.CorpusTotalWords, c.CorpusCount)
			}
			v := buildVocab(rv, &o)
			if i := firstDiff(v.words, c.Words); i >= 0 {
				t.Fatalf("words differ at %d (len %d vs %d): got %q, want %q", i, len(v.words), len(c.Words),
					v.words[i:min(i+5, len(v.words))], c.Words[i:min(i+5, len(c.Words))])
			}
			if i := firstDiff(v.counts, c.Counts); i >= 0 {
				t.Fatalf("counts differ at %d: got %d, want %d", i, v.counts[i], c.Counts[i])
			}
			if c.SampleInt != nil {
				if i := firstDiff(v.sampleInt, c.SampleInt); i >= 0 {
					t.Errorf("sample_int differs at %d (%q): got %d, want %d", i, v.words[i], v.sampleInt[i], c.SampleInt[i])
				}
			}
			if c.CumTable != nil {
				if i := firstDiff(v.cum, c.CumTable); i >= 0 {
					t.Errorf("cum_table differs at %d: got %d, want %d", i, v.cum[i], c.CumTable[i])
				}
			}
			if c.Codes != nil {
				checkCodes(t, v, c.Codes, c.Points)
			}
		})
	}
}

func checkCodes(t *testing.T, v *vocab, codes []string, points [][]int32) {
	t.Helper()
	for i := range v.words {
		lo, hi := v.codeOff[i], v.codeOff[i+1]
		var sb strings.Builder
		for _, c := range v.codes[lo:hi] {
			sb.WriteByte('0' + c)
		}
		if sb.String() != codes[i] {
			t.Fatalf("code of %q = %s, want %s", v.words[i], sb.String(), codes[i])
		}
		if points != nil && !slices.Equal(v.points[lo:hi], points[i]) {
			t.Fatalf("points of %q = %v, want %v", v.words[i], v.points[lo:hi], points[i])
		}
	}
}

func TestNumpyArgsort(t *testing.T) {
	// Expected orders computed with numpy 1.24: np.argsort(np.array(keys, dtype=np.int64)).
	tests := []struct {
		keys []int64
		want []int
	}{
		{[]int64{3, 1, 2}, []int{1, 2, 0}},
		{[]int64{1, 1, 1, 1}, []int{0, 1, 2, 3}},
		{[]int64{5, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3, 5, 3},
			[]int{9, 17, 15, 13, 11, 7, 19, 5, 3, 1, 8, 18, 10, 4, 12, 14, 2, 16, 6, 0}},
	}
	for _, tt := range tests {
		got := numpyArgsort(tt.keys)
		if !slices.Equal(got, tt.want) {
			t.Errorf("numpyArgsort(%v) = %v, want %v", tt.keys, got, tt.want)
		}
	}
}

func TestSampleInt(t *testing.T) {
	tests := []struct {
		count, total int64
		sample       float64
		want         uint32
	}{
		{1, 1000, 1e-3, 1<<32 - 1},
		{0, 1000, 1e-3, 1<<32 - 1},
		{500, 1000, 0, 1<<32 - 1},
	}
	for _, tt := range tests {
		if got := sampleInt(tt.count, tt.total, tt.sample); got != tt.want {
			t.Errorf("sampleInt(%d, %d, %g) = %d, want %d", tt.count, tt.total, tt.sample, got, tt.want)
		}
	}
}
