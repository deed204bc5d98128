package tokenize

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// The two split patterns this package knows, as they appear in
// tokenizer.json. Go's regexp has no look-ahead, so each is implemented by
// hand below (qwenNext, gpt2Next) with the leftmost-first, backtracking
// semantics of the Oniguruma engine Hugging Face tokenizers uses.
const (
	// qwenPattern is the Split pattern of Qwen2, Qwen2.5 and Qwen3.
	qwenPattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// llama3Pattern is the Split pattern of Llama 3: Qwen's with runs of up
	// to three digits.
	llama3Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// gpt2Pattern is the pattern of ByteLevel with use_regex=true (GPT-2,
	// RoBERTa, ...); a Split step with this pattern is accepted too.
	gpt2Pattern = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
)

// splitFunc returns the end of the pattern's match that starts at s[i]. Both
// patterns match at every position, so splitting is a walk from match to
// match. s must be valid UTF-8 and i < len(s).
type splitFunc func(s string, i int) int

// Character classes of the split patterns: \p{L}, \p{N}, \s, and the rest.
const (
	clsPunct = iota // [^\s\p{L}\p{N}]
	clsLetter
	clsNumber
	clsSpace
)

var (
	asciiSplitClass [utf8.RuneSelf]uint8
	// bmpSplitClass holds the class of every code point below U+10000,
	// built on first use: unicode.IsLetter's binary search over its range
	// table was a tenth of the time of encoding Chinese.
	bmpSplitClass     *[0x10000]uint8
	bmpSplitClassOnce sync.Once
)

func init() {
	for c := rune(0); c < utf8.RuneSelf; c++ {
		asciiSplitClass[c] = splitClassSlow(c)
	}
}

func buildBMPSplitClass() {
	t := new([0x10000]uint8)
	for r := range t {
		t[r] = splitClassSlow(rune(r))
	}
	bmpSplitClass = t
}

func splitClassSlow(r rune) uint8 {
	switch {
	case unicode.IsLetter(r):
		return clsLetter
	case unicode.IsNumber(r):
		return clsNumber
	case unicode.IsSpace(r): // White_Space, as \s in Oniguruma
		return clsSpace
	}
	return clsPunct
}

func splitClass(r rune) uint8 {
	if r < utf8.RuneSelf {
		return asciiSplitClass[r]
	}
	if r < 0x10000 {
		bmpSplitClassOnce.Do(buildBMPSplitClass)
		return bmpSplitClass[r]
	}
	return splitClassSlow(r)
}

// runeAt decodes the rune at s[i].
func runeAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// runEnd returns the end of the run of class cls that starts at s[i].
func runEnd(s string, i int, cls uint8) int {
	for i < len(s) {
		r, n := runeAt(s, i)
		if splitClass(r) != cls {
			break
		}
		i += n
	}
	return i
}

// contraction returns the length of the contraction ('s, 't, 're, 've, 'm,
// 'll, 'd) that follows an apostrophe at s[i-1], or 0. With fold, letters
// match case-insensitively as (?i:...) does, including 'ſ' for 's'.
func contraction(s string, i int, fold bool) int {
	if i >= len(s) {
		return 0
	}
	lower := func(r rune) rune {
		if !fold {
			return r
		}
		if r == 'ſ' {
			return 's'
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	r, n := runeAt(s, i)
	var second rune
	switch lower(r) {
	case 's', 't', 'm', 'd':
		return n
	case 'r', 'v':
		second = 'e'
	case 'l':
		second = 'l'
	default:
		return 0
	}
	if i+n < len(s) {
		if r2, n2 := runeAt(s, i+n); lower(r2) == second {
			return n + n2
		}
	}
	return 0
}

// spaceRunSplit ends a run of whitespace that starts at s[i] and reaches e
// as \s+(?!\S)|\s+ does: the whole run at the end of the text, otherwise all
// but its last character (which goes with the next word), or the single
// whitespace character itself.
func spaceRunSplit(s string, i, e int) int {
	if e == len(s) {
		return e
	}
	_, n := utf8.DecodeLastRuneInString(s[i:e])
	if e-n > i {
		return e - n
	}
	return e
}

// qwenNext implements qwenPattern.
func qwenNext(s string, i int) int { return qwenLikeNext(s, i, 1) }

// llama3Next implements llama3Pattern.
func llama3Next(s string, i int) int { return qwenLikeNext(s, i, 3) }

// qwenLikeNext implements qwenPattern with \p{N}{1,digits} for \p{N}.
func qwenLikeNext(s string, i, digits int) int {
	r, n := runeAt(s, i)
	// (?i:'s|'t|'re|'ve|'m|'ll|'d)
	if r == '\'' {
		if m := contraction(s, i+n, true); m > 0 {
			return i + n + m
		}
	}
	switch splitClass(r) {
	case clsLetter: // [^\r\n\p{L}\p{N}]?\p{L}+ with the option empty
		return runEnd(s, i+n, clsLetter)
	case clsNumber: // \p{N}{1,digits}
		k := i + n
		for d := 1; d < digits && k < len(s); d++ {
			r2, n2 := runeAt(s, k)
			if splitClass(r2) != clsNumber {
				break
			}
			k += n2
		}
		return k
	}
	// r is whitespace or punctuation. [^\r\n\p{L}\p{N}]?\p{L}+
	if r != '\r' && r != '\n' && i+n < len(s) {
		if r2, _ := runeAt(s, i+n); splitClass(r2) == clsLetter {
			return runEnd(s, i+n, clsLetter)
		}
	}
	//  ?[^\s\p{L}\p{N}]+[\r\n]*
	j := i
	if r == ' ' {
		j = i + 1
	}
	if j < len(s) {
		if r2, _ := runeAt(s, j); splitClass(r2) == clsPunct {
			k := runEnd(s, j, clsPunct)
			for k < len(s) && (s[k] == '\r' || s[k] == '\n') {
				k++
			}
			return k
		}
	}
	// r is whitespace. \s*[\r\n]+ ends after the run's last CR or LF (no
	// byte of a multi-byte space is CR or LF).
	e := runEnd(s, i, clsSpace)
	for k := e - 1; k >= i; k-- {
		if s[k] == '\r' || s[k] == '\n' {
			return k + 1
		}
	}
	return spaceRunSplit(s, i, e)
}

// gpt2Next implements gpt2Pattern.
func gpt2Next(s string, i int) int {
	r, n := runeAt(s, i)
	// 's|'t|'re|'ve|'m|'ll|'d
	if r == '\'' {
		if m := contraction(s, i+n, false); m > 0 {
			return i + n + m
		}
	}
	//  ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+ with the space
	if r == ' ' && i+n < len(s) {
		r2, _ := runeAt(s, i+n)
		if c := splitClass(r2); c != clsSpace {
			return runEnd(s, i+n, c)
		}
	}
	// the same without it
	if c := splitClass(r); c != clsSpace {
		return runEnd(s, i+n, c)
	}
	return spaceRunSplit(s, i, runEnd(s, i, clsSpace))
}

// The GPT-2 byte-to-unicode mapping: printable Latin-1 bytes stand for
// themselves, the 68 others for U+0100 onwards, in byte order.
var (
	byteChar     [256]rune
	byteCharStr  [256]string
	charByte     [0x100 + 68]int16 // -1: not a byte-level character
	byteCharSize [256]uint8
)

func init() {
	for i := range charByte {
		charByte[i] = -1
	}
	n := rune(0)
	for b := 0; b < 256; b++ {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			byteChar[b] = rune(b)
		} else {
			byteChar[b] = 0x100 + n
			n++
		}
		charByte[byteChar[b]] = int16(b)
		byteCharStr[b] = string(byteChar[b])
		byteCharSize[b] = uint8(len(byteCharStr[b]))
	}
}

// byteOfChar returns the byte that the byte-level character r stands for.
func byteOfChar(r rune) (byte, bool) {
	if r < 0 || int(r) >= len(charByte) || charByte[r] < 0 {
		return 0, false
	}
	return byte(charByte[r]), true
}
