package tokenize

import (
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// normStep is one normalizer of a tokenizer.json, applied in order.
type normStep func(string) string

func (b *BPE) loadNormalizer(raw json.RawMessage, what string) error {
	typ, obj, err := typed(raw, what)
	if err != nil {
		return err
	}
	switch typ {
	case "null":
	case "NFC":
		b.norms = append(b.norms, norm.NFC.String)
	case "NFD":
		b.norms = append(b.norms, norm.NFD.String)
	case "NFKC":
		b.norms = append(b.norms, norm.NFKC.String)
	case "NFKD":
		b.norms = append(b.norms, norm.NFKD.String)
	case "BertNormalizer":
		return b.loadBertNormalizer(obj, what)
	case "Lowercase":
		b.norms = append(b.norms, strings.ToLower)
	case "Prepend":
		// SentencePiece's dummy prefix (Llama 2, Mistral): every non-empty
		// piece of text between added tokens gets it.
		var p string
		if _, err := field(obj, "prepend", &p, what); err != nil {
			return err
		}
		b.norms = append(b.norms, func(s string) string {
			if s == "" {
				return s
			}
			return p + s
		})
	case "Replace":
		f, err := loadReplace(obj, what)
		if err != nil {
			return err
		}
		b.norms = append(b.norms, f)
	case "Sequence":
		var list []json.RawMessage
		if _, err := field(obj, "normalizers", &list, what); err != nil {
			return err
		}
		for i, n := range list {
			if err := b.loadNormalizer(n, fmt.Sprintf("%s[%d]", what, i)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w %s type %q", ErrUnsupported, what, typ)
	}
	return nil
}

// loadReplace reads a Replace normalizer or decoder: every match of pattern
// (a literal String or a Regex) becomes content.
func loadReplace(obj map[string]json.RawMessage, what string) (func(string) string, error) {
	pat, err := loadPattern(obj, what)
	if err != nil {
		return nil, err
	}
	var content string
	if _, err := field(obj, "content", &content, what); err != nil {
		return nil, err
	}
	if pat.re == nil {
		if pat.lit == "" {
			return nil, fmt.Errorf("%w: %s Replace with an empty pattern", ErrMalformed, what)
		}
		lit := pat.lit
		return func(s string) string { return strings.ReplaceAll(s, lit, content) }, nil
	}
	if pat.lookTail {
		return nil, fmt.Errorf("%w %s Replace regex with look-ahead", ErrUnsupported, what)
	}
	re := pat.re
	return func(s string) string { return re.ReplaceAllLiteralString(s, content) }, nil
}
