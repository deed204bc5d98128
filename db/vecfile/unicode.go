package vecfile

import "unicode/utf8"

// decodeUTF8 appends src to dst as Python's bytes.decode("utf-8", errors)
// would give it: each maximal ill-formed subsequence (the Unicode
// "substitution of maximal subparts" practice that CPython follows) becomes
// one U+FFFD under unicodeReplace and nothing under unicodeIgnore. Under
// unicodeStrict it appends nothing and returns the offset of the first
// invalid byte; otherwise (and when src is valid) bad is -1.
func decodeUTF8(dst, src []byte, mode unicodeMode) (out []byte, bad int) {
	if utf8.Valid(src) {
		return append(dst, src...), -1
	}
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		n, lo, hi := 0, byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			n = 2
		case c == 0xE0:
			n, lo = 3, 0xA0
		case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
			n = 3
		case c == 0xED:
			n, hi = 3, 0x9F
		case c == 0xF0:
			n, lo = 4, 0x90
		case c >= 0xF1 && c <= 0xF3:
			n = 4
		case c == 0xF4:
			n, hi = 4, 0x8F
		}
		k := 1
		for n > 0 && k < n && i+k < len(src) {
			b := src[i+k]
			if k == 1 && (b < lo || b > hi) || k > 1 && (b < 0x80 || b > 0xBF) {
				break
			}
			k++
		}
		if n > 0 && k == n {
			dst = append(dst, src[i:i+n]...)
			i += n
			continue
		}
		switch mode {
		case unicodeStrict:
			return dst, i
		case unicodeReplace:
			dst = append(dst, "\uFFFD"...)
		}
		i += k
	}
	return dst, -1
}
