package db

import (
	"fmt"
	"io"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// bpeTokenizer is a table's tokenizer, loaded from its tokenizer.json.
type bpeTokenizer struct {
	bpe *tokenize.BPE
}

func loadTokenizer(b []byte) (*bpeTokenizer, error) {
	bpe, err := tokenize.ParseBPE(b)
	if err != nil {
		return nil, err
	}
	return &bpeTokenizer{bpe: bpe}, nil
}

// tokenText returns the token of id in the vocabulary's spelling, or "" if
// the tokenizer has no token with that id.
func (t *bpeTokenizer) tokenText(id int) string {
	s, _ := t.bpe.IDToToken(id)
	return s
}

// tokEntry is a loaded tokenizer and the blob it came from.
type tokEntry struct {
	blob string
	tok  *bpeTokenizer
}

// tokenizer returns the tokenizer of table t, loading it on first use.
func (d *DB) tokenizer(t *table) (*bpeTokenizer, error) {
	blob := t.meta.Blobs[blobTokenizer]
	if blob == "" {
		return nil, fmt.Errorf("%w: %s", ErrNoTokenizer, quote(t.name))
	}
	d.loadMu.Lock()
	defer d.loadMu.Unlock()
	d.mu.Lock()
	ent, ok := d.toks[t.id]
	d.mu.Unlock()
	if ok && ent.blob == blob {
		return ent.tok, nil
	}
	r, ok := t.openBlob(blobTokenizer)
	if !ok {
		return nil, fmt.Errorf("%w: table %s: tokenizer data is missing", ErrCorrupt, quote(t.name))
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	tok, err := loadTokenizer(b)
	if err != nil {
		return nil, fmt.Errorf("%w: table %s: stored tokenizer: %v", ErrCorrupt, quote(t.name), err)
	}
	d.mu.Lock()
	if d.toks != nil {
		d.toks[t.id] = tokEntry{blob: blob, tok: tok}
	}
	d.mu.Unlock()
	return tok, nil
}
