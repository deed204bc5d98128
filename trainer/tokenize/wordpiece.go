package tokenize

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// wordPiece is a WordPiece model (BERT, MiniLM): each pre-tokenized word is
// cut greedily into the longest vocabulary tokens from its start, the
// tokens after the first spelled with a prefix ("##ing"); a word that
// cannot be cut, or that is longer than maxChars characters, is the unk
// token.
type wordPiece struct {
	prefix   string
	maxChars int
}

// loadWordPiece reads a WordPiece model: vocab, unk_token (required),
// continuing_subword_prefix ("##" if absent) and max_input_chars_per_word
// (100 if absent), as Hugging Face's WordPieceBuilder defaults them.
func (b *BPE) loadWordPiece(m *modelJSON) error {
	if !m.hasVocab {
		return fmt.Errorf("%w: WordPiece model has no vocab", ErrMalformed)
	}
	if m.hasMerges {
		return fmt.Errorf("%w: WordPiece model has merges", ErrMalformed)
	}
	wp := &wordPiece{prefix: "##", maxChars: 100}
	if m.ContinuingSubwordPrefix != nil {
		wp.prefix = *m.ContinuingSubwordPrefix
	}
	if m.MaxInputCharsPerWord != nil {
		if *m.MaxInputCharsPerWord < 0 {
			return fmt.Errorf("%w: max_input_chars_per_word is %d", ErrMalformed, *m.MaxInputCharsPerWord)
		}
		wp.maxChars = *m.MaxInputCharsPerWord
	}
	if err := b.loadVocab(m); err != nil {
		return err
	}
	if m.UnkToken == nil {
		return fmt.Errorf("%w: WordPiece model has no unk_token", ErrMalformed)
	}
	b.wordPiece = wp
	return nil
}

// wordPieceWord is Hugging Face's WordPiece::tokenize for one word.
func (b *BPE) wordPieceWord(sc *mergeScratch, word string) []int32 {
	wp := b.wordPiece
	if utf8.RuneCountInString(word) > wp.maxChars {
		return []int32{b.unkID}
	}
	var ids []int32
	for start := 0; start < len(word); {
		end := len(word)
		id := int32(-1)
		for start < end {
			if start > 0 {
				sc.buf = append(append(sc.buf[:0], wp.prefix...), word[start:end]...)
			} else {
				sc.buf = append(sc.buf[:0], word[start:end]...)
			}
			if got, ok := b.vocab.getBytes(sc.buf); ok {
				id = got
				break
			}
			_, n := utf8.DecodeLastRuneInString(word[start:end])
			end -= n
		}
		if id < 0 {
			return []int32{b.unkID}
		}
		ids = append(ids, id)
		start = end
	}
	return ids
}

// loadBertNormalizer reads a BertNormalizer: clean_text drops control
// characters and makes every whitespace a space; handle_chinese_chars puts
// spaces around CJK ideographs; strip_accents (when null, the value of
// lowercase) decomposes and drops nonspacing marks; lowercase lowers.
func (b *BPE) loadBertNormalizer(obj map[string]json.RawMessage, what string) error {
	clean, chinese, lower := true, true, true
	var strip *bool
	for _, f := range []struct {
		key string
		v   *bool
	}{{"clean_text", &clean}, {"handle_chinese_chars", &chinese}, {"lowercase", &lower}} {
		if _, err := field(obj, f.key, f.v, what); err != nil {
			return err
		}
	}
	if _, err := field(obj, "strip_accents", &strip, what); err != nil {
		return err
	}
	stripAccents := lower
	if strip != nil {
		stripAccents = *strip
	}
	if clean {
		b.norms = append(b.norms, bertCleanText)
	}
	if chinese {
		b.norms = append(b.norms, bertSpaceChinese)
	}
	if stripAccents {
		b.norms = append(b.norms, stripNonspacingMarks)
	}
	if lower {
		b.norms = append(b.norms, strings.ToLower)
	}
	return nil
}

// bertCleanText drops NUL, U+FFFD and control and format characters
// (categories Cc, Cf, Co and Cs, as transformers.js; tab, newline and
// carriage return are kept as whitespace) and turns whitespace into ' '.
func bertCleanText(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch {
		case r == 0 || r == utf8.RuneError:
		case r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			sb.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs)):
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// isBertChinese reports whether r is a CJK ideograph as BERT counts them.
func isBertChinese(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF ||
		r >= 0x20000 && r <= 0x2A6DF || r >= 0x2A700 && r <= 0x2B73F ||
		r >= 0x2B740 && r <= 0x2B81F || r >= 0x2B920 && r <= 0x2CEAF ||
		r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F
}

// bertSpaceChinese puts a space before and after each CJK ideograph.
func bertSpaceChinese(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if isBertChinese(r) {
			sb.WriteByte(' ')
			sb.WriteRune(r)
			sb.WriteByte(' ')
		} else {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// stripNonspacingMarks decomposes s (NFD) and drops the nonspacing marks.
func stripNonspacingMarks(s string) string {
	s = norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if r >= 0x300 && unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}

// isBertPunct is Hugging Face's is_bert_punc: ASCII punctuation and
// symbols, or a Unicode punctuation character.
func isBertPunct(r rune) bool {
	if r < 0x80 {
		return r >= '!' && r <= '/' || r >= ':' && r <= '@' || r >= '[' && r <= '`' || r >= '{' && r <= '~'
	}
	return unicode.IsPunct(r)
}

// bertNext is the BertPreTokenizer: a run of whitespace (which
// preTokenize drops), one punctuation character, or a run of anything
// else.
func bertNext(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	switch {
	case unicode.IsSpace(r):
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(r) {
				break
			}
			j += n
		}
		return j
	case isBertPunct(r):
		return i + n
	}
	j := i + n
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) || isBertPunct(r) {
			break
		}
		j += n
	}
	return j
}

// isAllSpace reports whether s is whitespace only.
func isAllSpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// loadWordPieceDecoder reads a WordPiece decoder: a token after the first
// loses its prefix ("##ing" joins the word before) or else gets a space
// before it; with cleanup, the spaces before punctuation and English
// contractions go, as Hugging Face's wordpiece::cleanup does.
func loadWordPieceDecoder(obj map[string]json.RawMessage, what string) (decodeStep, error) {
	prefix, cleanup := "##", true
	if _, err := field(obj, "prefix", &prefix, what); err != nil {
		return nil, err
	}
	if _, err := field(obj, "cleanup", &cleanup, what); err != nil {
		return nil, err
	}
	return func(t []string, first, _ bool) []string {
		for i, tok := range t {
			if i > 0 || !first {
				if strings.HasPrefix(tok, prefix) {
					tok = strings.Replace(tok, prefix, "", 1)
				} else {
					tok = " " + tok
				}
			}
			if cleanup {
				tok = wordPieceCleanup(tok)
			}
			t[i] = tok
		}
		return t
	}, nil
}

// wordPieceCleanup is Hugging Face's decoders::wordpiece::cleanup.
func wordPieceCleanup(s string) string {
	for i := 0; i < len(wordPieceCleanups); i += 2 {
		s = strings.ReplaceAll(s, wordPieceCleanups[i], wordPieceCleanups[i+1])
	}
	return s
}

var wordPieceCleanups = []string{" .", ".", " ?", "?", " !", "!", " ,", ",", " ' ", "'",
	" n't", "n't", " 'm", "'m", " do not", " don't", " 's", "'s", " 've", "'ve", " 're", "'re"}
