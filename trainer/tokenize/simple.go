package tokenize

import (
	"slices"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:generate /usr/bin/python3 testdata/gen_tables.py
//go:generate gofmt -w tables.go

// Defaults of gensim's simple_preprocess: tokens of 2 to 15 code points.
const (
	DefaultMinLen = 2
	DefaultMaxLen = 15
)

// SimplePreprocess returns the tokens of text exactly as gensim 4.2's
// simple_preprocess(text, deacc=deacc, min_len=2, max_len=15) does under
// Python 3.11: the text is lower-cased with Python's str.lower, accents are
// stripped when deacc is true, and the maximal runs of letters (Unicode
// alphanumerics and '_' but no decimal digits) that are 2 to 15 code points
// long and do not start with '_' are returned in order.
//
// Invalid UTF-8 in text is dropped byte by byte before anything else, as
// Python's decoding with errors='ignore' does, so "ab\xffcd" gives "abcd".
//
// SimplePreprocess is the plain, allocating form; use [Simple] in loops.
func SimplePreprocess(text string, deacc bool) []string {
	rs := decodeDropInvalid(nil, []byte(text))
	rs = pyLowerRunes(make([]rune, 0, len(rs)), rs)
	if deacc {
		var d deaccenter
		rs = d.deaccent(rs)
	}
	var out []string
	buf := make([]byte, 0, 64)
	for i := 0; i < len(rs); {
		if runeFlags(rs[i])&flagWord == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(rs) && runeFlags(rs[j])&flagWord != 0 {
			j++
		}
		if n := j - i; n >= DefaultMinLen && n <= DefaultMaxLen && rs[i] != '_' {
			buf = buf[:0]
			for _, r := range rs[i:j] {
				buf = utf8.AppendRune(buf, r)
			}
			out = append(out, string(buf))
		}
		i = j
	}
	return out
}

// Simple is a reusable simple_preprocess tokenizer for hot loops such as
// reading a training corpus. After its buffers have grown to the longest line
// seen, [Simple.Tokens] allocates nothing. Lines of ASCII text take a fast
// path; the Unicode path runs only on the parts of a line around bytes >= 0x80.
//
// The zero value is ready to use and behaves as SimplePreprocess(line, false).
// A Simple is not safe for concurrent use: give each goroutine its own.
type Simple struct {
	// Deacc strips accents as gensim's deaccent does (NFD, drop every
	// nonspacing mark, NFC), after lower-casing. Zero: accents are kept.
	Deacc bool
	// MinLen is the shortest token kept, in code points. Zero means
	// DefaultMinLen (2); a negative value keeps every length.
	MinLen int
	// MaxLen is the longest token kept, in code points. Zero means
	// DefaultMaxLen (15); a negative value keeps nothing, as does a
	// MaxLen below MinLen.
	MaxLen int

	buf   []byte   // lower-cased token bytes; tokens point into it
	toks  [][]byte // the result of the last Tokens call
	runes []rune   // decoded chunk
	low   []rune   // lower-cased chunk
	d     deaccenter
}

// Tokens returns the tokens of line with the same rules as
// [SimplePreprocess] (with s.Deacc, s.MinLen and s.MaxLen in place of
// gensim's deacc, min_len and max_len). The returned slices point into a
// buffer owned by s: they are valid only until the next call of Tokens, and
// line itself is never modified. Invalid UTF-8 bytes are dropped, as Python's
// errors='ignore' decoding does.
//
// Tokens processes one document (gensim tokenizes each line of a
// LineSentence file separately): the final-sigma rule of str.lower looks
// across the whole of line.
func (s *Simple) Tokens(line []byte) [][]byte {
	minLen, maxLen := s.lens()
	s.buf = s.buf[:0]
	s.toks = s.toks[:0]
	// A chunk runs between two boundary bytes: ASCII bytes that neither
	// belong to a token nor take part in str.lower's final-sigma context,
	// and that no Unicode normalization joins with a neighbour. Each chunk
	// can therefore be tokenized on its own. A chunk that holds a byte >=
	// 0x80 is redone by the Unicode path from its start.
	chunkStart, chunkToks, chunkBuf := 0, 0, 0
	for i := 0; i < len(line); {
		switch asciiClass[line[i]] {
		case classWord:
			// Scan the run and write it lower-cased in one pass; keep it
			// only if it passes the filters.
			if cap(s.buf)-len(s.buf) < len(line)-i {
				s.buf = slices.Grow(s.buf, len(line)-i)
			}
			start := len(s.buf)
			dst := s.buf[start:cap(s.buf)]
			j := i
			for j < len(line) {
				l := asciiWordLower[line[j]]
				if l == 0 {
					break
				}
				dst[j-i] = l
				j++
			}
			if n := j - i; (j == len(line) || line[j] < utf8.RuneSelf) &&
				n >= minLen && n <= maxLen && line[i] != '_' {
				s.buf = s.buf[:start+n]
				s.toks = append(s.toks, s.buf[start:start+n:start+n])
			} // a run that runs into a byte >= 0x80 is redone by the Unicode path
			i = j
		case classBreak:
			i++
		case classBoundary:
			i++
			chunkStart, chunkToks, chunkBuf = i, len(s.toks), len(s.buf)
		case classHigh:
			end := i + 1
			for end < len(line) && asciiClass[line[end]] != classBoundary {
				end++
			}
			s.toks, s.buf = s.toks[:chunkToks], s.buf[:chunkBuf]
			s.unicodeChunk(line[chunkStart:end], minLen, maxLen)
			i = end // a boundary byte, or the end
		}
	}
	return s.toks
}

// lens returns the effective token length limits.
func (s *Simple) lens() (minLen, maxLen int) {
	minLen, maxLen = s.MinLen, s.MaxLen
	if minLen == 0 {
		minLen = DefaultMinLen
	}
	if maxLen == 0 {
		maxLen = DefaultMaxLen
	}
	return minLen, maxLen
}

// unicodeChunk tokenizes chunk, which may hold any bytes, the way gensim
// tokenizes a whole document.
func (s *Simple) unicodeChunk(chunk []byte, minLen, maxLen int) {
	s.runes = decodeDropInvalid(s.runes[:0], chunk)
	s.low = pyLowerRunes(s.low[:0], s.runes)
	rs := s.low
	if s.Deacc {
		rs = s.d.deaccent(rs)
	}
	for i := 0; i < len(rs); {
		if runeFlags(rs[i])&flagWord == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(rs) && runeFlags(rs[j])&flagWord != 0 {
			j++
		}
		if n := j - i; n >= minLen && n <= maxLen && rs[i] != '_' {
			start := len(s.buf)
			for _, r := range rs[i:j] {
				s.buf = utf8.AppendRune(s.buf, r)
			}
			s.toks = append(s.toks, s.buf[start:len(s.buf):len(s.buf)])
		}
		i = j
	}
}

// Byte classes of the ASCII fast path.
const (
	classBoundary = iota // not in a token, ends a chunk (space, digits, most punctuation)
	classWord            // in a token: letters and '_'
	classBreak           // not in a token, case-ignorable: ' . : ^ `
	classHigh            // >= 0x80: the chunk needs the Unicode path
)

var (
	asciiClass     [256]uint8
	asciiLower     [256]byte
	asciiWordLower [256]byte // the lower case of a token byte, 0 for any other
)

func init() {
	for c := 0; c < 256; c++ {
		asciiLower[c] = byte(c)
		switch f := runeFlags(rune(c)); {
		case c >= 0x80:
			asciiClass[c] = classHigh
		case f&flagWord != 0:
			asciiClass[c] = classWord
		case f&(flagIgnor|flagCased) != 0:
			asciiClass[c] = classBreak
		default:
			asciiClass[c] = classBoundary
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		asciiLower[c] = byte(c - 'A' + 'a')
	}
	for c := 0; c < 256; c++ {
		if asciiClass[c] == classWord {
			asciiWordLower[c] = asciiLower[c]
		}
	}
}

// runeFlags returns the generated flags of r (see tables.go).
func runeFlags(r rune) uint8 {
	if uint32(r) >= 0x110000 {
		return 0
	}
	return flagStage2[int(flagStage1[r>>flagBlockShift])<<flagBlockShift|int(r&(1<<flagBlockShift-1))] - '0'
}

// lowerRange maps lo..hi, every stride-th code point, to cp+delta.
type lowerRange struct {
	lo, hi        rune
	stride, delta int32
}

// decodeDropInvalid appends the code points of s to dst, skipping every
// byte that is not part of a valid UTF-8 sequence (Python's errors='ignore').
func decodeDropInvalid(dst []rune, s []byte) []rune {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			i++
			continue
		}
		dst = append(dst, r)
		i += n
	}
	return dst
}

// pyLowerRunes appends Python's str.lower() of src to dst, including the
// final-sigma rule: Σ becomes ς when a cased letter precedes it and none
// follows it (skipping case-ignorable characters both ways), σ otherwise.
func pyLowerRunes(dst, src []rune) []rune {
	for i, r := range src {
		switch {
		case r < utf8.RuneSelf:
			dst = append(dst, rune(asciiLower[r]))
		case r == 'Σ':
			dst = append(dst, finalSigma(src, i))
		case runeFlags(r)&flagLower == 0:
			dst = append(dst, r)
		default:
			if s, ok := lowerSpecial[r]; ok {
				for _, l := range s {
					dst = append(dst, l)
				}
				continue
			}
			dst = append(dst, lowerRune(r))
		}
	}
	return dst
}

// lowerRune returns the single code point Python's str.lower gives r.
func lowerRune(r rune) rune {
	lo, hi := 0, len(lowerRanges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		lr := &lowerRanges[m]
		switch {
		case r < lr.lo:
			hi = m
		case r > lr.hi:
			lo = m + 1
		default:
			if (r-lr.lo)%rune(lr.stride) == 0 {
				return r + rune(lr.delta)
			}
			return r
		}
	}
	return r
}

// finalSigma returns the lower case of the capital sigma at src[i], as
// CPython's handle_capital_sigma decides it.
func finalSigma(src []rune, i int) rune {
	j := i - 1
	for j >= 0 && runeFlags(src[j])&flagIgnor != 0 {
		j--
	}
	if j < 0 || runeFlags(src[j])&flagCased == 0 {
		return 'σ'
	}
	j = i + 1
	for j < len(src) && runeFlags(src[j])&flagIgnor != 0 {
		j++
	}
	if j == len(src) || runeFlags(src[j])&flagCased == 0 {
		return 'ς'
	}
	return 'σ'
}

// deaccenter holds the buffers of gensim's deaccent.
type deaccenter struct {
	a, b []byte
	out  []rune
	it   norm.Iter // reused: norm.Form.Append would allocate on every call
}

// deaccent returns gensim.utils.deaccent of rs: NFD, every character of
// category Mn removed, NFC. The result is valid until the next call.
func (d *deaccenter) deaccent(rs []rune) []rune {
	d.a = d.a[:0]
	for _, r := range rs {
		d.a = utf8.AppendRune(d.a, r)
	}
	// NFD, keeping only the characters that are not Mn.
	d.b = d.b[:0]
	d.it.Init(norm.NFD, d.a)
	for !d.it.Done() {
		seg := d.it.Next()
		for i := 0; i < len(seg); {
			r, n := utf8.DecodeRune(seg[i:])
			if runeFlags(r)&flagMn == 0 {
				d.b = append(d.b, seg[i:i+n]...)
			}
			i += n
		}
	}
	d.out = d.out[:0]
	d.it.Init(norm.NFC, d.b)
	for !d.it.Done() {
		seg := d.it.Next()
		for i := 0; i < len(seg); {
			r, n := utf8.DecodeRune(seg[i:])
			d.out = append(d.out, r)
			i += n
		}
	}
	return d.out
}
