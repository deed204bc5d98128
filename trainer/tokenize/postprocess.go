package tokenize

import (
	"encoding/json"
	"fmt"
)

// loadPostProcessor reads the special tokens that the post_processor puts
// around a single text: TemplateProcessing's "single" template (Llama 2's
// and Gemma 3's BOS), BertProcessing's and RobertaProcessing's cls and sep.
// ByteLevel only trims offsets, which this package does not report.
func (b *BPE) loadPostProcessor(raw json.RawMessage, what string) error {
	typ, obj, err := typed(raw, what)
	if err != nil {
		return err
	}
	switch typ {
	case "null", "ByteLevel":
	case "TemplateProcessing":
		return b.loadTemplate(obj, what)
	case "BertProcessing", "RobertaProcessing":
		var cls, sep [2]json.RawMessage
		for _, f := range []struct {
			key string
			v   *[2]json.RawMessage
		}{{"cls", &cls}, {"sep", &sep}} {
			if ok, err := field(obj, f.key, f.v, what); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("%w: %s %s has no %s", ErrMalformed, what, typ, f.key)
			}
		}
		clsID, err := b.specialID(cls, what)
		if err != nil {
			return err
		}
		sepID, err := b.specialID(sep, what)
		if err != nil {
			return err
		}
		b.prefix = append(b.prefix, clsID)
		b.suffix = append(b.suffix, sepID)
	case "Sequence":
		var list []json.RawMessage
		if _, err := field(obj, "processors", &list, what); err != nil {
			return err
		}
		for i, p := range list {
			if err := b.loadPostProcessor(p, fmt.Sprintf("%s[%d]", what, i)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w %s type %q", ErrUnsupported, what, typ)
	}
	return nil
}

// specialID reads a ["[CLS]", 101] pair and checks the id.
func (b *BPE) specialID(pair [2]json.RawMessage, what string) (int32, error) {
	var id int64
	if err := json.Unmarshal(pair[1], &id); err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	if _, ok := b.IDToToken(int(id)); !ok {
		return 0, fmt.Errorf("%w: %s names token id %d, which the tokenizer lacks", ErrMalformed, what, id)
	}
	return int32(id), nil
}

// templatePiece is one item of a TemplateProcessing template.
type templatePiece struct {
	SpecialToken *struct {
		ID string `json:"id"`
	}
	Sequence *struct {
		ID string `json:"id"`
	}
}

func (b *BPE) loadTemplate(obj map[string]json.RawMessage, what string) error {
	var single []templatePiece
	var specials map[string]struct {
		IDs []int64 `json:"ids"`
	}
	if _, err := field(obj, "single", &single, what); err != nil {
		return err
	}
	if _, err := field(obj, "special_tokens", &specials, what); err != nil {
		return err
	}
	seen := false
	for i, p := range single {
		switch {
		case p.Sequence != nil:
			if seen {
				return fmt.Errorf("%w %s single template with two sequences", ErrUnsupported, what)
			}
			seen = true
		case p.SpecialToken != nil:
			sp, ok := specials[p.SpecialToken.ID]
			if !ok {
				return fmt.Errorf("%w: %s single[%d]: special token %q is not in special_tokens", ErrMalformed, what, i, p.SpecialToken.ID)
			}
			for _, id := range sp.IDs {
				if _, ok := b.IDToToken(int(id)); !ok {
					return fmt.Errorf("%w: %s special token %q has id %d, which the tokenizer lacks", ErrMalformed, what, p.SpecialToken.ID, id)
				}
				if seen {
					b.suffix = append(b.suffix, int32(id))
				} else {
					b.prefix = append(b.prefix, int32(id))
				}
			}
		default:
			return fmt.Errorf("%w: %s single[%d] is neither a SpecialToken nor a Sequence", ErrMalformed, what, i)
		}
	}
	if len(single) > 0 && !seen {
		return fmt.Errorf("%w: %s single template has no sequence", ErrMalformed, what)
	}
	return nil
}

// AddSpecialTokens returns toks with the special tokens that the
// tokenizer's post-processor adds around a text, as Hugging Face's
// encode(text, add_special_tokens=True) does: BOS for Llama 2 and Gemma 3
// ("<s>", "<bos>"), [CLS] and [SEP] for BERT, nothing for Qwen, Llama 3,
// DeepSeek V3 and GPT-4o, whose tokenizer.json adds none.
func (b *BPE) AddSpecialTokens(toks []Token) []Token {
	if len(b.prefix) == 0 && len(b.suffix) == 0 {
		return toks
	}
	out := make([]Token, 0, len(b.prefix)+len(toks)+len(b.suffix))
	for _, id := range b.prefix {
		out = append(out, Token{ID: int(id), Text: b.idText[id]})
	}
	out = append(out, toks...)
	for _, id := range b.suffix {
		out = append(out, Token{ID: int(id), Text: b.idText[id]})
	}
	return out
}
