package tokenize

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// pattern is the pattern of a Split pre-tokenizer or a Replace normalizer
// or decoder: a literal string or a regular expression.
//
// Hugging Face compiles regexes with Oniguruma; Go's regexp (RE2) chooses
// the same match as a backtracking engine for patterns without
// look-around, so a pattern is translated (Unicode meanings for \s and \d)
// and compiled with regexp. The one look-ahead the real tokenizers use, the
// alternative \s+(?!\S) in front of a final \s+, is dropped and redone by
// hand (see spaceRunSplit): re's last capturing group is then the final
// \s+, and lookTail is true.
type pattern struct {
	lit      string
	re       *regexp.Regexp
	lookTail bool
}

// lookTailSuffix is the ending of the GPT-2-style patterns: whitespace not
// followed by a non-space, else whitespace.
const lookTailSuffix = `|\s+(?!\S)|\s+`

func loadPattern(obj map[string]json.RawMessage, what string) (pattern, error) {
	var pat struct {
		Regex  *string `json:"Regex"`
		String *string `json:"String"`
	}
	if ok, err := field(obj, "pattern", &pat, what); err != nil {
		return pattern{}, err
	} else if !ok || (pat.Regex == nil) == (pat.String == nil) {
		return pattern{}, fmt.Errorf("%w: %s has no pattern (a Regex or a String)", ErrMalformed, what)
	}
	if pat.String != nil {
		return pattern{lit: *pat.String}, nil
	}
	return compilePattern(*pat.Regex, what)
}

// compilePattern translates an Oniguruma pattern for Go's regexp.
func compilePattern(src, what string) (pattern, error) {
	p := pattern{}
	body := src
	if strings.HasSuffix(src, lookTailSuffix) {
		body = strings.TrimSuffix(src, lookTailSuffix)
		p.lookTail = true
	}
	goSrc, err := translateRegex(body)
	if err != nil {
		return pattern{}, fmt.Errorf("%w %s regex %q: %v", ErrUnsupported, what, src, err)
	}
	if p.lookTail {
		goSrc = "(?:" + goSrc + ")|(" + spaceClass + "+)"
	}
	re, err := regexp.Compile(goSrc)
	if err != nil {
		return pattern{}, fmt.Errorf("%w %s regex %q: %v", ErrUnsupported, what, src, err)
	}
	if re.MatchString("") {
		return pattern{}, fmt.Errorf("%w %s regex %q matches the empty string", ErrUnsupported, what, src)
	}
	p.re = re
	return p, nil
}

// spaceRanges is Unicode's White_Space, which Oniguruma's \s matches (Go's
// \s is ASCII only).
const spaceRanges = `\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`

const spaceClass = `[` + spaceRanges + `]`

// translateRegex rewrites the escapes whose meaning differs between
// Oniguruma and RE2 and refuses the constructs RE2 lacks.
func translateRegex(src string) (string, error) {
	var sb strings.Builder
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			e := src[i+1]
			i++
			switch e {
			case 's':
				if inClass {
					sb.WriteString(spaceRanges)
				} else {
					sb.WriteString(spaceClass)
				}
			case 'S':
				if inClass {
					return "", fmt.Errorf(`\S inside a character class`)
				}
				sb.WriteString(`[^` + spaceRanges + `]`)
			case 'd':
				sb.WriteString(`\p{Nd}`)
			case 'D':
				if inClass {
					return "", fmt.Errorf(`\D inside a character class`)
				}
				sb.WriteString(`\P{Nd}`)
			case 'w', 'W', 'b', 'B', 'h', 'H', 'R', 'X', 'K', 'G', 'A', 'Z', 'z':
				return "", fmt.Errorf(`\%c is not supported`, e)
			default:
				sb.WriteByte('\\')
				sb.WriteByte(e)
			}
			continue
		case c == '[' && !inClass:
			inClass = true
			sb.WriteByte(c)
			if i+1 < len(src) && src[i+1] == '^' {
				sb.WriteByte('^')
				i++
			}
			if i+1 < len(src) && src[i+1] == ']' { // a leading ] is literal
				sb.WriteString(`\]`)
				i++
			}
			continue
		case c == '[' && inClass:
			if i+1 < len(src) && src[i+1] == ':' {
				return "", fmt.Errorf("POSIX classes are not supported")
			}
			return "", fmt.Errorf("nested character classes are not supported")
		case c == ']' && inClass:
			inClass = false
		case c == '(' && !inClass && strings.HasPrefix(src[i:], "(?") && i+2 < len(src) &&
			strings.IndexByte("=!<>", src[i+2]) >= 0:
			return "", fmt.Errorf("look-around and atomic groups are not supported")
		}
		sb.WriteByte(c)
	}
	return sb.String(), nil
}

// splitBehavior is what a Split pre-tokenizer does with the delimiters it
// finds, as Hugging Face's SplitDelimiterBehavior.
type splitBehavior uint8

const (
	splitIsolated splitBehavior = iota
	splitRemoved
	splitMergedWithPrevious
	splitMergedWithNext
	splitContiguous
)

var splitBehaviors = map[string]splitBehavior{
	"Isolated": splitIsolated, "Removed": splitRemoved, "MergedWithPrevious": splitMergedWithPrevious,
	"MergedWithNext": splitMergedWithNext, "Contiguous": splitContiguous,
}

// splitter is a Split pre-tokenizer with any pattern and behavior.
type splitter struct {
	pat      pattern
	behavior splitBehavior
	invert   bool
}

// segment is a part of a piece: a match of the pattern or the text between.
type segment struct {
	start, end int
	match      bool
}

// segments returns s cut into matches and the gaps between them, as
// Hugging Face's Pattern::find_matches does, with invert applied.
func (sp *splitter) segments(s string, out []segment) []segment {
	prev := 0
	add := func(a, b int) {
		if prev != a {
			out = append(out, segment{prev, a, sp.invert})
		}
		out = append(out, segment{a, b, !sp.invert})
		prev = b
	}
	if sp.pat.re == nil {
		for i := 0; sp.pat.lit != "" && i < len(s); {
			k := strings.Index(s[i:], sp.pat.lit)
			if k < 0 {
				break
			}
			add(i+k, i+k+len(sp.pat.lit))
			i += k + len(sp.pat.lit)
		}
	} else {
		for pos := 0; pos < len(s); {
			loc := sp.pat.re.FindStringSubmatchIndex(s[pos:])
			if loc == nil {
				break
			}
			a, b := pos+loc[0], pos+loc[1]
			// The tail's group is the last: the pattern may have its own.
			if k := 2 * sp.pat.re.NumSubexp(); sp.pat.lookTail && loc[k] >= 0 {
				b = spaceRunSplit(s, a, b)
			}
			if b <= a { // cannot happen: empty matches are refused at load
				break
			}
			add(a, b)
			pos = b
		}
	}
	if prev != len(s) {
		out = append(out, segment{prev, len(s), sp.invert})
	}
	return out
}

// pieces applies the behavior to the segments of a piece and returns the
// new pieces' bounds; it may reuse segs.
func (sp *splitter) pieces(segs []segment) []segment {
	out := segs[:0]
	prevMatch := false
	switch sp.behavior {
	case splitIsolated:
		return segs
	case splitRemoved:
		for _, g := range segs {
			if !g.match {
				out = append(out, g)
			}
		}
	case splitMergedWithPrevious:
		for _, g := range segs {
			if g.match && !prevMatch && len(out) > 0 {
				out[len(out)-1].end = g.end
			} else {
				out = append(out, g)
			}
			prevMatch = g.match
		}
	case splitMergedWithNext:
		// Walk backwards, as Hugging Face does, then restore the order.
		out = make([]segment, 0, len(segs))
		for i := len(segs) - 1; i >= 0; i-- {
			g := segs[i]
			if g.match && !prevMatch && len(out) > 0 {
				out[len(out)-1].start = g.start
			} else {
				out = append(out, g)
			}
			prevMatch = g.match
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	case splitContiguous:
		for i, g := range segs {
			if i > 0 && g.match == prevMatch {
				out[len(out)-1].end = g.end
			} else {
				out = append(out, g)
			}
			prevMatch = g.match
		}
	}
	return out
}

// loadSplit reads a Split pre-tokenizer. The Qwen, Llama 3 and GPT-2
// patterns, isolated and not inverted, get their hand-written splitters;
// every other pattern and behavior goes through regexp.
func loadSplit(obj map[string]json.RawMessage, what string) (preStep, error) {
	var behavior string
	var invert bool
	if _, err := field(obj, "behavior", &behavior, what); err != nil {
		return preStep{}, err
	}
	if _, err := field(obj, "invert", &invert, what); err != nil {
		return preStep{}, err
	}
	bh, ok := splitBehaviors[behavior]
	if !ok {
		return preStep{}, fmt.Errorf("%w %s Split behavior %q", ErrUnsupported, what, behavior)
	}
	var re struct {
		Regex *string `json:"Regex"`
	}
	if _, err := field(obj, "pattern", &re, what); err != nil {
		return preStep{}, err
	}
	if re.Regex != nil && bh == splitIsolated && !invert {
		switch *re.Regex {
		case qwenPattern:
			return preStep{split: qwenNext}, nil
		case llama3Pattern:
			return preStep{split: llama3Next}, nil
		case gpt2Pattern:
			return preStep{split: gpt2Next}, nil
		}
	}
	pat, err := loadPattern(obj, what)
	if err != nil {
		return preStep{}, err
	}
	return preStep{splitter: &splitter{pat: pat, behavior: bh, invert: invert}}, nil
}
