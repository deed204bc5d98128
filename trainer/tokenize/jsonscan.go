package tokenize

import (
	"errors"
	"fmt"
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
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

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
		start := s.pos
		for s.pos < len(s.data) {
			c := s.data[s.pos]
			if c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
				break
			}
			s.pos++
		}
		dst = append(dst, s.data[start:s.pos]...)
		if s.pos >= len(s.data) {
			return dst, s.fail("unterminated string")
		}
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			return dst, nil
		case c < 0x20:
			return dst, s.fail("control character in string")
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, s.data[s.pos:s.pos+n]...)
			}
			s.pos += n
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
	start := s.pos
	text, err := s.number()
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(string(text), 10, 64)
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
		err := s.object(func(string) error {
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
// placed at the value, which member must consume.
func (s *jsonScanner) object(member func(key string) error) error {
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
		if err := member(string(key)); err != nil {
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

// arena collects decoded strings in one buffer; strings() turns them into
// strings that share one allocation.
type arena struct {
	buf  []byte
	ends []int
}

func (a *arena) add(s *jsonScanner) error {
	var err error
	a.buf, err = s.str(a.buf)
	a.ends = append(a.ends, len(a.buf))
	return err
}

func (a *arena) strings() []string {
	all := string(a.buf)
	out := make([]string, len(a.ends))
	start := 0
	for i, e := range a.ends {
		out[i] = all[start:e]
		start = e
	}
	return out
}
