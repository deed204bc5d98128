package db

import (
	"fmt"
	"io"

	"github.com/embeddb/embeddb/query"
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

// tokens runs SELECT TOKENS(text) and SELECT EMBED(text).
func (s *scope) tokens(call *query.Call) ([]string, [][]any, error) {
	if err := arity(call, 1, 1); err != nil {
		return nil, nil, err
	}
	v, err := s.eval(call.Args[0])
	if err != nil {
		return nil, nil, err
	}
	text, ok := v.(string)
	if !ok {
		return nil, nil, errAt(call.Args[0], nil, "%s expects text, found %s", call.Name, describeValue(v))
	}
	tok, err := s.e.d.tokenizer(s.t)
	if err != nil {
		if s.t.meta.Blobs[blobTokenizer] == "" {
			return nil, nil, errAt(call, ErrNoTokenizer,
				"table %s has no tokenizer (IMPORT it WITH (tokenizer = 'tokenizer.json'))", s.t.name)
		}
		return nil, nil, at(call, err)
	}
	toks := tok.bpe.Encode(text)
	if call.Name == "TOKENS" {
		rows := make([][]any, len(toks))
		for i, tk := range toks {
			rows[i] = []any{tk.Text, int64(tk.ID)}
		}
		return []string{"token", "id"}, rows, nil
	}
	rows := make([][]any, len(toks))
	for i, tk := range toks {
		if tk.ID < 0 || int64(tk.ID) >= int64(s.t.meta.NextID) {
			return nil, nil, errAt(call, ErrNoWord, "token %s has id %d, but %s has rows 0 to %d only", quote(tk.Text), tk.ID, s.t.name, int64(s.t.meta.NextID)-1)
		}
		vec := make([]float32, s.t.meta.Dim)
		if err := s.t.vector(vec, uint32(tk.ID)); err != nil {
			return nil, nil, at(call, err)
		}
		rows[i] = []any{tk.Text, int64(tk.ID), vec}
	}
	return []string{"token", "id", "vector"}, rows, nil
}
