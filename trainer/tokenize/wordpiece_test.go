package tokenize_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// TestWordPiece_Encodings checks BERT's WordPiece tokenizer (the real
// tokenizer.json of all-MiniLM-L6-v2, testdata/wordpiece/SOURCES.md)
// against transformers.js on the shared test strings and on corpus
// passages (testdata/gen_wordpiece.sh).
func TestWordPiece_Encodings(t *testing.T) {
	dir := filepath.Join("testdata", "wordpiece", "all-minilm-l6-v2")
	data, err := os.ReadFile(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := tokenize.ParseBPE(data)
	if err != nil {
		t.Fatalf("ParseBPE(all-MiniLM-L6-v2): %v", err)
	}
	if got := b.VocabSize(); got != 30522 {
		t.Errorf("VocabSize() = %d, want 30522", got)
	}
	for _, f := range []string{"encodings.jsonl", "corpus.jsonl"} {
		t.Run(f, func(t *testing.T) {
			checkFamilyCases(t, b, true, readFamilyCases(t, filepath.Join(dir, f)))
		})
	}
	for id, want := range map[int]string{2075: "ing", 2088: " world", 101: "[CLS]"} {
		if got, ok := b.TokenText(id); !ok || got != want {
			t.Errorf("TokenText(%d) = %q, %v; want %q", id, got, ok, want)
		}
	}
}

// TestWordPiece_Malformed checks that a WordPiece model without an unk
// token, or with merges, is refused.
func TestWordPiece_Malformed(t *testing.T) {
	for name, data := range map[string]string{
		"NoUnk":         `{"model":{"type":"WordPiece","vocab":{"a":0}}}`,
		"Merges":        `{"model":{"type":"WordPiece","unk_token":"a","vocab":{"a":0},"merges":[]}}`,
		"UnkNotInVocab": `{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"a":0}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := tokenize.ParseBPE([]byte(data)); !errors.Is(err, tokenize.ErrMalformed) {
				t.Errorf("ParseBPE(%s) error = %v, want ErrMalformed", data, err)
			}
		})
	}
}
