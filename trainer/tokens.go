package trainer

import (
	"unicode"
	"unicode/utf8"
)

// lineTokenizer is a temporary private stand-in for tokenize.Simple (trainer/tokenize is
// being written by another engineer): gensim's simple_preprocess(line, deacc=False) on one
// line, returning tokens that alias an internal buffer valid until the next call.
// TODO(trainer): switch to tokenize.Simple when trainer/tokenize/simple.go lands.
type lineTokenizer struct {
	buf  []byte
	toks [][]byte
	offs []int
}

const (
	tokMinLen = 2
	tokMaxLen = 15
)

// isWordRune reports whether r matches Python's (?!\d)\w: a letter, a non-decimal number
// or an underscore.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
	}
	return unicode.IsLetter(r) || (unicode.IsNumber(r) && !unicode.IsDigit(r))
}

// Tokens returns the tokens of line: lower-cased runs of word characters, 2 to 15 characters
// long, not starting with '_'.
func (t *lineTokenizer) Tokens(line []byte) [][]byte {
	t.buf = t.buf[:0]
	t.offs = t.offs[:0]
	start, nrunes := -1, 0
	flush := func() {
		if start >= 0 && nrunes >= tokMinLen && nrunes <= tokMaxLen && t.buf[start] != '_' {
			t.offs = append(t.offs, start, len(t.buf))
		} else if start >= 0 {
			t.buf = t.buf[:start]
		}
		start, nrunes = -1, 0
	}
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			i++
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c >= 'a' && c <= 'z' || c == '_' {
				if start < 0 {
					start = len(t.buf)
				}
				t.buf = append(t.buf, c)
				nrunes++
			} else {
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRune(line[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			continue // invalid UTF-8 is dropped (errors='ignore')
		}
		r = unicode.ToLower(r)
		if isWordRune(r) {
			if start < 0 {
				start = len(t.buf)
			}
			t.buf = utf8.AppendRune(t.buf, r)
			nrunes++
		} else {
			flush()
		}
	}
	flush()
	t.toks = t.toks[:0]
	for k := 0; k < len(t.offs); k += 2 {
		t.toks = append(t.toks, t.buf[t.offs[k]:t.offs[k+1]])
	}
	return t.toks
}
