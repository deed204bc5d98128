package tokenize_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

var tinyNames = []string{"tiny_qwen", "tiny_gpt2", "tiny_prefix", "tiny_unk", "tiny_fallback"}

var tinyCache sync.Map // name -> *tokenize.BPE

// tinyBPE loads testdata/bpe/<name>.json, a small tokenizer made by
// testdata/gen_bpe.js.
func tinyBPE(tb testing.TB, name string) *tokenize.BPE {
	tb.Helper()
	if b, ok := tinyCache.Load(name); ok {
		return b.(*tokenize.BPE)
	}
	f, err := os.Open(filepath.Join("testdata", "bpe", name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	b, err := tokenize.LoadBPE(f)
	if err != nil {
		tb.Fatalf("LoadBPE(%s): %v", name, err)
	}
	tinyCache.Store(name, b)
	return b
}

var (
	qwenOnce sync.Once
	qwenTok  *tokenize.BPE
	qwenErr  error
)

// qwenBPE loads ../shared/testdata/qwen/tokenizer.json once, or skips.
func qwenBPE(tb testing.TB) *tokenize.BPE {
	tb.Helper()
	path := filepath.Join(sharedTestdata(tb), "qwen", "tokenizer.json")
	qwenOnce.Do(func() {
		var f *os.File
		if f, qwenErr = os.Open(path); qwenErr != nil {
			return
		}
		defer f.Close()
		qwenTok, qwenErr = tokenize.LoadBPE(f)
	})
	if qwenErr != nil {
		tb.Fatalf("LoadBPE(%s): %v", path, qwenErr)
	}
	return qwenTok
}

func tokenizerByName(tb testing.TB, name string) *tokenize.BPE {
	if name == "qwen" {
		return qwenBPE(tb)
	}
	return tinyBPE(tb, name)
}

func splitTokens(toks []tokenize.Token) (ids []int, texts []string) {
	ids, texts = []int{}, []string{}
	for _, t := range toks {
		ids = append(ids, t.ID)
		texts = append(texts, t.Text)
	}
	return ids, texts
}

// TestBPE_QwenEncodings checks the 24 reference encodings of
// ../shared/testdata/qwen/encodings.jsonl (ids and tokens) and that each
// decodes back to the NFC form of its text.
func TestBPE_QwenEncodings(t *testing.T) {
	b := qwenBPE(t)
	f, err := os.Open(filepath.Join(sharedTestdata(t), "qwen", "encodings.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c struct {
			Text   string   `json:"text"`
			IDs    []int    `json:"ids"`
			Tokens []string `json:"tokens"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		ids, texts := splitTokens(b.Encode(c.Text))
		if !slices.Equal(ids, c.IDs) || !slices.Equal(texts, c.Tokens) {
			t.Errorf("Encode(%q) = %v %q, want %v %q", c.Text, ids, texts, c.IDs, c.Tokens)
		}
		if got := b.EncodeIDs(c.Text); !slices.Equal(got, c.IDs) {
			t.Errorf("EncodeIDs(%q) = %v, want %v", c.Text, got, c.IDs)
		}
		got, err := b.Decode(c.IDs)
		if want := norm.NFC.String(c.Text); err != nil || got != want {
			t.Errorf("Decode(%v) = %q, %v; want %q", c.IDs, got, err, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 24 {
		t.Errorf("read %d encodings, want 24", n)
	}
}

func TestBPE_Qwen_Walkthrough(t *testing.T) {
	b := qwenBPE(t)
	ids, texts := splitTokens(b.Encode("Hi, 你好~"))
	if want := []int{13048, 11, 220, 108386, 93}; !slices.Equal(ids, want) {
		t.Errorf("Encode(%q) ids = %v, want %v", "Hi, 你好~", ids, want)
	}
	if want := []string{"Hi", ",", "Ġ", "ä½łå¥½", "~"}; !slices.Equal(texts, want) {
		t.Errorf("Encode(%q) tokens = %q, want %q", "Hi, 你好~", texts, want)
	}
	if got, want := b.VocabSize(), 151669; got != want {
		t.Errorf("VocabSize() = %d, want %d", got, want)
	}
	for tok, want := range map[string]int{"<|endoftext|>": 151643, "<|im_start|>": 151644, "</think>": 151668, "Ġworld": 1879, "Hi": 13048} {
		if got, ok := b.TokenToID(tok); !ok || got != want {
			t.Errorf("TokenToID(%q) = %d, %v; want %d, true", tok, got, ok, want)
		}
		if got, ok := b.IDToToken(want); !ok || got != tok {
			t.Errorf("IDToToken(%d) = %q, %v; want %q, true", want, got, ok, tok)
		}
	}
	for _, id := range []int{-1, 151669, 151935, 1 << 40} {
		if got, ok := b.IDToToken(id); ok {
			t.Errorf("IDToToken(%d) = %q, true; want false", id, got)
		}
	}
	if _, err := b.Decode([]int{13048, 151700}); !errors.Is(err, tokenize.ErrUnknownID) {
		t.Errorf("Decode with id 151700: error %v, want ErrUnknownID", err)
	}
	if got := len(b.AddedTokens()); got != 26 {
		t.Errorf("len(AddedTokens()) = %d, want 26", got)
	}
}

// TestBPE_Golden compares with encodings and decodings recorded from the
// Hugging Face tokenizers library (testdata/gen_bpe.js).
func TestBPE_Golden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "bpe.golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type line struct {
		Tokenizer string   `json:"tokenizer"`
		Text      string   `json:"text"`
		IDs       []int    `json:"ids"`
		Tokens    []string `json:"tokens"`
		Decode    []int    `json:"decode"`
	}
	byName := map[string][]line{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if _, ok := byName[l.Tokenizer]; !ok {
			order = append(order, l.Tokenizer)
		}
		byName[l.Tokenizer] = append(byName[l.Tokenizer], l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(order) != len(tinyNames)+1 {
		t.Fatalf("golden file has tokenizers %v, want %v and qwen", order, tinyNames)
	}
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			b := tokenizerByName(t, name)
			encodes, decodes := 0, 0
			for _, l := range byName[name] {
				if l.Decode != nil {
					decodes++
					got, err := b.Decode(l.Decode)
					if err != nil || got != l.Text {
						t.Errorf("Decode(%v) = %q, %v; want %q", l.Decode, got, err, l.Text)
					}
					continue
				}
				encodes++
				ids, texts := splitTokens(b.Encode(l.Text))
				if !slices.Equal(ids, l.IDs) || !slices.Equal(texts, l.Tokens) {
					t.Errorf("Encode(%q) =\n%v %q\nwant\n%v %q", l.Text, ids, texts, l.IDs, l.Tokens)
				}
			}
			if encodes < 100 || decodes < 50 {
				t.Errorf("%d encodings and %d decodings, want at least 100 and 50", encodes, decodes)
			}
		})
	}
}
