package store

import (
	"fmt"
	"io"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// BPETokenizer is a table's tokenizer, loaded from its tokenizer.json.
type BPETokenizer struct {
	BPE *tokenize.BPE
}

func LoadTokenizer(b []byte) (*BPETokenizer, error) {
	bpe, err := tokenize.ParseBPE(b)
	if err != nil {
		return nil, err
	}
	return &BPETokenizer{BPE: bpe}, nil
}

// TokenText returns the token of id in the vocabulary's spelling, or "" if
// the tokenizer has no token with that id.
func (t *BPETokenizer) TokenText(id int) string {
	s, _ := t.BPE.IDToToken(id)
	return s
}

// tokEntry is a loaded tokenizer and the blob it came from.
type tokEntry struct {
	blob string
	tok  *BPETokenizer
}

// Tokenizer returns the tokenizer of table t, loading it on first use.
func (d *DB) Tokenizer(t *Table) (*BPETokenizer, error) {
	blob := t.meta.Blobs[BlobTokenizer]
	if blob == "" {
		return nil, fmt.Errorf("%w: %s", ErrNoTokenizer, Quote(t.name))
	}
	d.loadMu.Lock()
	defer d.loadMu.Unlock()
	d.mu.Lock()
	ent, ok := d.toks[t.id]
	d.mu.Unlock()
	if ok && ent.blob == blob {
		return ent.tok, nil
	}
	r, ok := t.OpenBlob(BlobTokenizer)
	if !ok {
		return nil, fmt.Errorf("%w: table %s: tokenizer data is missing", ErrCorrupt, Quote(t.name))
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	tok, err := LoadTokenizer(b)
	if err != nil {
		return nil, fmt.Errorf("%w: table %s: stored tokenizer: %v", ErrCorrupt, Quote(t.name), err)
	}
	d.mu.Lock()
	if d.toks != nil {
		d.toks[t.id] = tokEntry{blob: blob, tok: tok}
	}
	d.mu.Unlock()
	return tok, nil
}
