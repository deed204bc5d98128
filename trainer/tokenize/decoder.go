package tokenize

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeStep is one decoder of a tokenizer.json. It maps the tokens of a
// text to new tokens, as Hugging Face's Decoder::decode_chain does; first
// says whether tokens[0] starts the text (Metaspace drops its space then),
// and display whether the tokens are shown one by one (Strip, which trims
// the text's ends, is skipped then).
type decodeStep func(tokens []string, first, display bool) []string

func (b *BPE) loadDecoder(raw json.RawMessage, what string) error {
	typ, obj, err := typed(raw, what)
	if err != nil {
		return err
	}
	if typ != "null" && what == "decoder" {
		b.hasDecode = true
	}
	switch typ {
	case "null":
	case "ByteLevel":
		b.decoders = append(b.decoders, decodeByteLevel)
	case "ByteFallback":
		b.decoders = append(b.decoders, decodeByteFallback)
	case "Fuse":
		b.decoders = append(b.decoders, func(t []string, _, _ bool) []string { return []string{strings.Join(t, "")} })
	case "Replace":
		f, err := loadReplace(obj, what)
		if err != nil {
			return err
		}
		b.decoders = append(b.decoders, func(t []string, _, _ bool) []string {
			for i := range t {
				t[i] = f(t[i])
			}
			return t
		})
	case "Strip":
		st, err := loadStrip(obj, what)
		if err != nil {
			return err
		}
		b.decoders = append(b.decoders, st)
	case "WordPiece":
		wp, err := loadWordPieceDecoder(obj, what)
		if err != nil {
			return err
		}
		b.decoders = append(b.decoders, wp)
	case "Metaspace":
		ms, err := loadMetaspaceDecoder(obj, what)
		if err != nil {
			return err
		}
		b.decoders = append(b.decoders, ms)
	case "Sequence":
		var list []json.RawMessage
		if _, err := field(obj, "decoders", &list, what); err != nil {
			return err
		}
		for i, d := range list {
			if err := b.loadDecoder(d, fmt.Sprintf("%s[%d]", what, i)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w %s type %q", ErrUnsupported, what, typ)
	}
	return nil
}

// decodeByteLevel turns the byte-level characters of all tokens back into
// bytes and reads them as UTF-8, invalid sequences becoming U+FFFD.
func decodeByteLevel(t []string, _, _ bool) []string {
	buf := make([]byte, 0, 4*len(t))
	for _, tok := range t {
		buf = appendByteLevelDecoded(buf, tok)
	}
	return []string{lossyString(buf)}
}

// decodeByteFallback turns runs of "<0xXX>" tokens into the text of their
// bytes, or into one U+FFFD per byte when they are not valid UTF-8.
func decodeByteFallback(t []string, _, _ bool) []string {
	out := make([]string, 0, len(t))
	var run []byte
	flush := func() {
		if len(run) == 0 {
			return
		}
		if utf8.Valid(run) {
			out = append(out, string(run))
		} else {
			for range run {
				out = append(out, "\uFFFD")
			}
		}
		run = run[:0]
	}
	for _, tok := range t {
		if c, ok := fallbackByte(tok); ok {
			run = append(run, c)
			continue
		}
		flush()
		out = append(out, tok)
	}
	flush()
	return out
}

// fallbackByte returns the byte of a "<0xXX>" token.
func fallbackByte(tok string) (byte, bool) {
	if len(tok) != 6 || !strings.HasPrefix(tok, "<0x") || tok[5] != '>' {
		return 0, false
	}
	v, err := strconv.ParseUint(tok[3:5], 16, 8)
	return byte(v), err == nil
}

func loadStrip(obj map[string]json.RawMessage, what string) (decodeStep, error) {
	var content string
	var start, stop int
	for _, f := range []struct {
		key string
		v   any
	}{{"content", &content}, {"start", &start}, {"stop", &stop}} {
		if _, err := field(obj, f.key, f.v, what); err != nil {
			return nil, err
		}
	}
	_, n := utf8.DecodeRuneInString(content)
	if n == 0 || n != len(content) || start < 0 || stop < 0 {
		return nil, fmt.Errorf("%w: %s Strip wants one content character and counts >= 0", ErrMalformed, what)
	}
	return func(t []string, _, display bool) []string {
		if display {
			return t
		}
		for i, tok := range t {
			for k := 0; k < start && strings.HasPrefix(tok, content); k++ {
				tok = tok[len(content):]
			}
			for k := 0; k < stop && strings.HasSuffix(tok, content); k++ {
				tok = tok[:len(tok)-len(content)]
			}
			t[i] = tok
		}
		return t
	}, nil
}

// loadMetaspaceDecoder reads a Metaspace decoder: the replacement character
// becomes a space, and the text's first token loses its leading space
// unless prepend_scheme is "never".
func loadMetaspaceDecoder(obj map[string]json.RawMessage, what string) (decodeStep, error) {
	replacement, scheme := "▁", "always"
	if _, err := field(obj, "replacement", &replacement, what); err != nil {
		return nil, err
	}
	if _, err := field(obj, "prepend_scheme", &scheme, what); err != nil {
		return nil, err
	}
	var addPrefix *bool
	if _, err := field(obj, "add_prefix_space", &addPrefix, what); err != nil {
		return nil, err
	}
	if addPrefix != nil && !*addPrefix {
		scheme = "never"
	}
	if replacement == "" {
		return nil, fmt.Errorf("%w: %s Metaspace has an empty replacement", ErrMalformed, what)
	}
	return func(t []string, first, _ bool) []string {
		for i, tok := range t {
			tok = strings.ReplaceAll(tok, replacement, " ")
			if i == 0 && first && scheme != "never" {
				tok = strings.TrimPrefix(tok, " ")
			}
			t[i] = tok
		}
		return t
	}, nil
}

// Decode returns the text of ids as the tokenizer's decoder makes it, as
// Hugging Face's decode(ids, skip_special_tokens=False) does: byte-level
// characters back to bytes (Qwen, Llama 3), "▁" back to spaces and
// "<0xXX>" tokens back to their bytes (Llama 2, Gemma 3); invalid UTF-8
// becomes U+FFFD, so decoding half of a character's tokens gives "\uFFFD".
// Without a decoder the tokens are joined by spaces. Added tokens, special
// or not, are kept. An id that is neither in the vocabulary nor an added
// token is an error wrapping [ErrUnknownID] (Hugging Face silently drops
// it). Decode does not clean up spaces before punctuation; see
// [CleanUpTokenizationSpaces].
func (b *BPE) Decode(ids []int) (string, error) {
	toks := make([]string, len(ids))
	for i, id := range ids {
		t, ok := b.IDToToken(id)
		if !ok {
			return "", fmt.Errorf("decode id %d: %w", id, ErrUnknownID)
		}
		toks[i] = t
	}
	if !b.hasDecode {
		return strings.Join(toks, " "), nil
	}
	return strings.Join(b.decodeChain(toks, true, false), ""), nil
}

func (b *BPE) decodeChain(toks []string, first, display bool) []string {
	for _, d := range b.decoders {
		toks = d(toks, first, display)
	}
	return toks
}

// TokenText returns token id as a person reads it: the decoder applied to
// that token alone, so "Ġworld" reads " world", "ä½łå¥½" reads "你好" and
// "▁Hello" reads " Hello" (the space that the decoder drops at the start
// of a text is kept). A token that is part of a character's bytes reads
// U+FFFD. ok is false for an unknown id.
func (b *BPE) TokenText(id int) (string, bool) {
	t, ok := b.IDToToken(id)
	if !ok {
		return "", false
	}
	if at, ok := b.addedByID[int32(id)]; !b.hasDecode || ok && at.special {
		return t, true // "[CLS]", not " [CLS]" as a word after the first
	}
	return strings.Join(b.decodeChain([]string{t}, false, true), ""), true
}

// CleanUpTokenizationSpaces removes the spaces that a word-by-word decoder
// leaves before punctuation and English contractions, as transformers does
// for a tokenizer whose tokenizer_config.json sets
// clean_up_tokenization_spaces (Llama 3's does).
func CleanUpTokenizationSpaces(s string) string {
	for i := 0; i < len(cleanUps); i += 2 {
		s = strings.ReplaceAll(s, cleanUps[i], cleanUps[i+1])
	}
	return s
}

// cleanUps are transformers' replacements, applied one after the other.
var cleanUps = []string{" .", ".", " ?", "?", " !", "!", " ,", ",", " ' ", "'",
	" n't", "n't", " 'm", "'m", " 's", "'s", " 've", "'ve", " 're", "'re"}

// appendByteLevelDecoded appends the bytes that token t stands for; a token
// with a character outside the byte-level alphabet stands for its own UTF-8.
func appendByteLevelDecoded(buf []byte, t string) []byte {
	start := len(buf)
	for _, r := range t {
		c, ok := byteOfChar(r)
		if !ok {
			return append(buf[:start], t...)
		}
		buf = append(buf, c)
	}
	return buf
}
