package tokenize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A tokenizer.json is mostly its vocabulary and merges: 150,000 entries
// each for Qwen. encoding/json takes most of a second to decode them, so
// this small scanner reads the file in one pass, decodes the vocabulary and
// the merges itself (all their strings in two arenas) and hands the small
// remaining parts to encoding/json. It accepts exactly the JSON that
// encoding/json accepts, with the same string decoding (invalid UTF-8 and
// lone surrogates become U+FFFD).

// maxJSONDepth bounds the nesting of skipped values.
const maxJSONDepth = 1000

var errJSONSyntax = errors.New("invalid JSON")

type jsonScanner struct {
	data []byte
	pos  int
}

func (s *jsonScanner) fail(what string) error {
	return fmt.Errorf("%w at byte %d: %s", errJSONSyntax, s.pos, what)
}

func (s *jsonScanner) ws() {
	for s.pos < len(s.data) && isSpace[s.data[s.pos]] {
		s.pos++
		// Indentation: a run of spaces, eight bytes at a time.
		for s.pos+8 <= len(s.data) {
			x := binary.LittleEndian.Uint64(s.data[s.pos:]) ^ 0x2020202020202020
			if x != 0 {
				s.pos += bits.TrailingZeros64(x) / 8
				break
			}
			s.pos += 8
		}
	}
}

// isSpace marks JSON's whitespace. Pretty-printed merges are mostly
// indentation (Gemma 3's file is 33 MB for 7 MB of strings).
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// peek skips whitespace and returns the next byte, 0 at the end.
func (s *jsonScanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func (s *jsonScanner) expect(c byte) error {
	if s.peek() != c {
		return s.fail(fmt.Sprintf("want %q", c))
	}
	s.pos++
	return nil
}

// str reads a JSON string and appends its decoded bytes to dst.
func (s *jsonScanner) str(dst []byte) ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return dst, err
	}
	for {
		// A run up to a quote, a backslash or a control character; bytes
		// >= 0x80 are copied as they are if the run is valid UTF-8, which
		// it almost always is.
		start := s.pos
		var high byte
		for s.pos < len(s.data) {
			c := s.data[s.pos]
			if strStop[c] {
				break
			}
			high |= c
			s.pos++
		}
		if run := s.data[start:s.pos]; high < utf8.RuneSelf || utf8.Valid(run) {
			dst = append(dst, run...)
		} else {
			dst = appendLossy(dst, run)
		}
		if s.pos >= len(s.data) {
			return dst, s.fail("unterminated string")
		}
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			return dst, nil
		case c < 0x20:
			return dst, s.fail("control character in string")
		default: // backslash
			if s.pos+1 >= len(s.data) {
				return dst, s.fail("unterminated escape")
			}
			e := s.data[s.pos+1]
			s.pos += 2
			switch e {
			case '"', '\\', '/':
				dst = append(dst, e)
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r, ok := s.hex4()
				if !ok {
					return dst, s.fail("bad \\u escape")
				}
				if utf16.IsSurrogate(r) {
					// A pair makes one code point; a lone half is U+FFFD.
					save := s.pos
					if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
						s.pos += 2
						if r2, ok := s.hex4(); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								dst = utf8.AppendRune(dst, dec)
								continue
							}
						}
					}
					s.pos = save
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
			default:
				return dst, s.fail("bad escape")
			}
		}
	}
}

// strStop marks the bytes that end a plain run of a JSON string.
var strStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// appendLossy appends b with each byte of invalid UTF-8 as U+FFFD, as
// encoding/json decodes strings.
func appendLossy(dst, b []byte) []byte {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, b[:n]...)
		}
		b = b[n:]
	}
	return dst
}

func (s *jsonScanner) hex4() (rune, bool) {
	if s.pos+4 > len(s.data) {
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	s.pos += 4
	return r, true
}

// number reads a JSON number and returns its text.
func (s *jsonScanner) number() ([]byte, error) {
	s.ws()
	start := s.pos
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.pos < len(s.data) && s.data[s.pos] == '-' {
		s.pos++
	}
	if s.pos < len(s.data) && s.data[s.pos] == '0' {
		s.pos++
	} else if digits() == 0 {
		return nil, s.fail("bad number")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return nil, s.fail("bad number")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return nil, s.fail("bad number")
		}
	}
	return s.data[start:s.pos], nil
}

// integer reads a JSON number that must be an integer, as decoding into an
// int64 with encoding/json requires.
func (s *jsonScanner) integer() (int64, error) {
	s.ws()
	start := s.pos
	// The common case, a vocabulary id: a few digits, no leading zero,
	// followed by neither a fraction nor an exponent.
	var v int64
	i := start
	for i < len(s.data) && i-start < 18 && s.data[i]-'0' <= 9 {
		v = v*10 + int64(s.data[i]-'0')
		i++
	}
	if i > start && (s.data[start] != '0' || i == start+1) &&
		(i == len(s.data) || (s.data[i]-'0' > 9 && s.data[i] != '.' && s.data[i] != 'e' && s.data[i] != 'E')) {
		s.pos = i
		return v, nil
	}
	text, err := s.number()
	if err != nil {
		return 0, err
	}
	v, err = strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		s.pos = start
		return 0, s.fail(fmt.Sprintf("number %s is not an integer", text))
	}
	return v, nil
}

// skip reads any value and returns its bytes.
func (s *jsonScanner) skip(depth int) ([]byte, error) {
	if depth > maxJSONDepth {
		return nil, s.fail("nested too deeply")
	}
	c := s.peek()
	start := s.pos
	switch {
	case c == '"':
		if _, err := s.str(nil); err != nil {
			return nil, err
		}
	case c == '{':
		err := s.object(func([]byte) error {
			_, err := s.skip(depth + 1)
			return err
		})
		if err != nil {
			return nil, err
		}
	case c == '[':
		err := s.array(func() error {
			_, err := s.skip(depth + 1)
			return err
		})
		if err != nil {
			return nil, err
		}
	case c == '-' || (c >= '0' && c <= '9'):
		if _, err := s.number(); err != nil {
			return nil, err
		}
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if len(s.data)-s.pos >= len(lit) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
				s.pos += len(lit)
				return s.data[start:s.pos], nil
			}
		}
		return nil, s.fail("unexpected character")
	}
	return s.data[start:s.pos], nil
}

// object reads an object, calling member for each key with the scanner
// placed at the value, which member must consume. The key is only valid
// during the call (not converting it saves an allocation per key).
func (s *jsonScanner) object(member func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	var key []byte
	for {
		var err error
		if key, err = s.str(key[:0]); err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.fail("want ',' or '}'")
		}
	}
}

// array reads an array, calling elem with the scanner at each element.
func (s *jsonScanner) array(elem func() error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.fail("want ',' or ']'")
		}
	}
}

// isNull consumes a null if one comes next.
func (s *jsonScanner) isNull() bool {
	if s.peek() == 'n' && len(s.data)-s.pos >= 4 && string(s.data[s.pos:s.pos+4]) == "null" {
		s.pos += 4
		return true
	}
	return false
}

// arena collects decoded strings in one buffer: string i is
// buf[ends[i-1]:ends[i]].
type arena struct {
	buf  []byte
	ends []int
}

// newArena returns an arena for the strings of the rest of the data, sized
// from a low guess; add doubles it as needed. (append alone grows a large
// slice by a quarter at a time, and copying it over and over was a tenth
// of the time of loading Gemma 3's 33 MB file.)
func (s *jsonScanner) newArena() arena {
	rest := len(s.data) - s.pos
	return arena{buf: make([]byte, 0, rest/32), ends: make([]int, 0, rest/256)}
}

func (a *arena) add(s *jsonScanner) error {
	a.buf = doubleFor(a.buf, 256)
	a.ends = doubleFor(a.ends, 1)
	var err error
	a.buf, err = s.str(a.buf)
	a.ends = append(a.ends, len(a.buf))
	return err
}

// doubleFor returns s with room for n more elements, doubling its capacity
// when it has to grow.
func doubleFor[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	return slices.Grow(s, max(n, cap(s)))
}
