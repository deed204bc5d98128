package vecfile

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"strconv"
)

// parseFloat32 parses a decimal number as gensim does: numpy.float32(s),
// which parses s as a Python float (a correctly rounded float64) and then
// rounds that to float32. Rounding twice differs from rounding the decimal
// straight to float32 on rare inputs, and reading must match NumPy, so this
// does the same. The syntax is Python's float(): an optional sign, digits
// with an optional point and exponent, underscores between digits, and
// "inf", "infinity" or "nan" in any case. Python's non-ASCII digits are not
// accepted.
//
// Common numbers take a fast path (exact when the digits fit in 53 bits and
// the power of ten is at most 22: Clinger's fast path); the rest go to
// strconv.ParseFloat.
func parseFloat32(s []byte) (float32, bool) {
	if f, n, ok := scanFloat32(s); ok && n == len(s) {
		return f, true
	}
	return parseFloat32Slow(s)
}

// scanFloat32 parses the plain decimal number at the start of s on the fast
// path and returns its value and length. ok is false when the number needs
// the slow path (or is not one); the caller must also check that the number
// ends where the token ends.
func scanFloat32(s []byte) (f32 float32, n int, ok bool) {
	i := 0
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		i++
	}
	// Digits go into mant from the first non-zero one on; nd counts them and
	// exp is the power of ten that scales mant.
	var mant uint64
	nd, exp := 0, 0
	start := i
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
		if nd > 0 || c != 0 {
			nd++
		}
	}
	digits := i - start
	if i < len(s) && s[i] == '.' {
		i++
		frac := i
		// Eight digits at a time while mant has room for them (nd ≤ 11).
		for i+8 <= len(s) && nd <= 11 {
			v := binary.LittleEndian.Uint64(s[i:])
			if (v&0xF0F0F0F0F0F0F0F0)|(((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) != 0x3333333333333333 {
				break
			}
			d := eightDigits(v)
			mant = mant*100000000 + d
			switch {
			case nd > 0:
				nd += 8
			case d != 0:
				nd = decimalDigits(d)
			}
			i += 8
		}
		for ; i < len(s); i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			mant = mant*10 + uint64(c)
			if nd > 0 || c != 0 {
				nd++
			}
		}
		exp = frac - i
		digits += i - frac
	}
	if digits == 0 || nd > 19 {
		return 0, i, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		estart := i
		e := 0
		for ; i < len(s); i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			if e < 100000 {
				e = e*10 + int(c)
			}
		}
		if i == estart {
			return 0, i, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	var f float64
	switch {
	case mant == 0:
		f = 0
	case mant > 1<<53 || exp > 22 || exp < -22:
		return 0, i, false
	case exp >= 0:
		f = float64(mant) * pow10[exp]
	default:
		f = float64(mant) / pow10[-exp]
	}
	if neg {
		f = -f
	}
	return float32(f), i, true
}

// eightDigits returns the value of eight ASCII digits loaded little-endian
// (the first digit in the lowest byte), as in simdjson and fast_float.
func eightDigits(v uint64) uint64 {
	v -= 0x3030303030303030
	v = v*10 + v>>8
	return ((v&0x000000FF000000FF)*(100+(1000000<<32)) + ((v>>16)&0x000000FF000000FF)*(1+(10000<<32))) >> 32
}

// decimalDigits returns the number of decimal digits of 0 < v < 10^8.
func decimalDigits(v uint64) int {
	d := bits.Len64(v) * 1233 >> 12 // ⌊log10(2^len)⌋
	if v >= pow10u[d] {
		d++
	}
	return d
}

var pow10u = [...]uint64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat32Slow handles what the fast path does not: long or extreme
// numbers, specials, underscores, and syntax errors. It accepts exactly what
// Python's float() accepts (in ASCII).
func parseFloat32Slow(s []byte) (float32, bool) {
	if len(s) == 0 || len(s) > 1<<16 {
		return 0, false
	}
	body := s
	neg := false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch lower(body) {
	case "inf", "infinity":
		if neg {
			return float32(math.Inf(-1)), true
		}
		return float32(math.Inf(1)), true
	case "nan":
		if neg {
			return math.Float32frombits(0xffc00000), true
		}
		return math.Float32frombits(0x7fc00000), true
	}
	// strconv accepts hexadecimal floats and looser underscores; Python's
	// float() does not. Check the decimal syntax, dropping valid underscores.
	clean := make([]byte, 0, len(s))
	if neg {
		clean = append(clean, '-')
	}
	digits, dot, exp := false, false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
			clean = append(clean, c)
		case c == '_':
			if i == 0 || i+1 == len(body) || !isDigit(body[i-1]) || !isDigit(body[i+1]) {
				return 0, false
			}
		case c == '.' && !dot && !exp:
			dot = true
			clean = append(clean, c)
		case (c == 'e' || c == 'E') && digits && !exp:
			exp = true
			clean = append(clean, c)
			if i+1 < len(body) && (body[i+1] == '+' || body[i+1] == '-') {
				i++
				clean = append(clean, body[i])
			}
			if i+1 == len(body) || !isDigit(body[i+1]) {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(clean), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return float32(f), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lower returns s in ASCII lower case if it is short, for matching "nan" and
// "infinity"; longer inputs return "".
func lower(s []byte) string {
	if len(s) > 8 {
		return ""
	}
	var b [8]byte
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b[:len(s)])
}
