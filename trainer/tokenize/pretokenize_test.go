package tokenize

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// byteLevelPieces splits s with next and maps each piece to the byte-level
// alphabet, as Hugging Face's pre-tokenizers print it.
func byteLevelPieces(s string, next splitFunc) []string {
	pieces := []string{}
	for i := 0; i < len(s); {
		j := next(s, i)
		var sb strings.Builder
		for k := i; k < j; k++ {
			sb.WriteString(byteCharStr[s[k]])
		}
		pieces = append(pieces, sb.String())
		i = j
	}
	return pieces
}

// TestSplit_Golden compares the hand-written split patterns with Hugging
// Face's pre-tokenizers (testdata/pretokenize.golden.jsonl, made by
// testdata/gen_bpe.js), on hand-picked texts and random code points.
func TestSplit_Golden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "pretokenize.golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	counts := map[string]int{}
	for sc.Scan() {
		var c struct {
			Pretokenizer string   `json:"pretokenizer"`
			Text         string   `json:"text"`
			Pieces       []string `json:"pieces"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		next := map[string]splitFunc{"qwen": qwenNext, "llama3": llama3Next, "gpt2": gpt2Next}[c.Pretokenizer]
		if next == nil {
			t.Fatalf("unknown pretokenizer %q", c.Pretokenizer)
		}
		counts[c.Pretokenizer]++
		if got := byteLevelPieces(c.Text, next); !slices.Equal(got, c.Pieces) {
			t.Errorf("%s split of %q =\n%q\nwant\n%q", c.Pretokenizer, c.Text, got, c.Pieces)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if counts["qwen"] < 500 || counts["llama3"] < 500 || counts["gpt2"] < 500 {
		t.Errorf("golden counts %v, want at least 500 of each", counts)
	}
}
