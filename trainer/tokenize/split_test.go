package tokenize

import (
	"slices"
	"strings"
	"testing"
)

// TestSplitter_Behaviors checks each Split behavior on the example of
// Hugging Face's own tests ("the-final--countdown" split on "-").
func TestSplitter_Behaviors(t *testing.T) {
	tests := []struct {
		behavior splitBehavior
		invert   bool
		want     []string
	}{
		{splitRemoved, false, []string{"the", "final", "countdown"}},
		{splitIsolated, false, []string{"the", "-", "final", "-", "-", "countdown"}},
		{splitMergedWithPrevious, false, []string{"the-", "final-", "-", "countdown"}},
		{splitMergedWithNext, false, []string{"the", "-final", "-", "-countdown"}},
		{splitContiguous, false, []string{"the", "-", "final", "--", "countdown"}},
		{splitRemoved, true, []string{"-", "-", "-"}},
	}
	const text = "the-final--countdown"
	for _, tt := range tests {
		sp := &splitter{pat: pattern{lit: "-"}, behavior: tt.behavior, invert: tt.invert}
		var got []string
		for _, g := range sp.pieces(sp.segments(text, nil)) {
			got = append(got, text[g.start:g.end])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("behavior %d invert %v: pieces %q, want %q", tt.behavior, tt.invert, got, tt.want)
		}
	}
}

// TestCompilePattern_LookTail checks the hand-made \s+(?!\S) against the
// hand-written Qwen splitter, which implements the same pattern.
func TestCompilePattern_LookTail(t *testing.T) {
	p, err := compilePattern(qwenPattern, "test")
	if err != nil || !p.lookTail {
		t.Fatalf("compilePattern(qwen) = %+v, %v", p, err)
	}
	sp := &splitter{pat: p}
	// A capturing group of the pattern's own does not hide the tail's.
	pg, err := compilePattern(`(x)|`+qwenPattern, "test")
	if err != nil {
		t.Fatal(err)
	}
	spg := &splitter{pat: pg}
	for _, s := range []string{"a  b", "  x", "x  ", "a \u00a0\u3000b\n\n c", "Hello   world\t\t!", "'S  'll 12345 你好  ", " \r\n  end"} {
		var got, want []string
		for _, g := range sp.segments(s, nil) {
			got = append(got, s[g.start:g.end])
		}
		for i := 0; i < len(s); {
			j := qwenNext(s, i)
			want = append(want, s[i:j])
			i = j
		}
		if !slices.Equal(got, want) {
			t.Errorf("split %q = %q, want %q", s, got, want)
		}
		got = got[:0]
		for _, g := range spg.segments(s, nil) {
			got = append(got, s[g.start:g.end])
		}
		if !slices.Equal(got, want) {
			t.Errorf("split with a group %q = %q, want %q", s, got, want)
		}
	}
}

// FuzzSplitter feeds any pattern and text to the general splitter: no
// panic, and the pieces of an Isolated split, in order, make the text.
func FuzzSplitter(f *testing.F) {
	f.Add(`\p{N}{1,3}`, "abc 12345 x")
	f.Add(`[一-龥぀-ゟ]+`, "我们 go カレー")
	f.Add(`(?i:'s|'t)| ?\p{L}+|\s+(?!\S)|\s+`, "It's  a TEST  ")
	f.Add(`[^\s\p{L}]`, "a-b c")
	f.Add(`(?=x)`, "x")
	f.Add(`(a)|\s+(?!\S)|\s+`, "a  b  ")
	f.Fuzz(func(t *testing.T, pat, text string) {
		p, err := compilePattern(pat, "fuzz")
		if err != nil {
			return
		}
		text = strings.ToValidUTF8(text, "\uFFFD")
		for _, bh := range []splitBehavior{splitIsolated, splitRemoved, splitMergedWithPrevious, splitMergedWithNext, splitContiguous} {
			for _, inv := range []bool{false, true} {
				sp := &splitter{pat: p, behavior: bh, invert: inv}
				segs := sp.pieces(sp.segments(text, nil))
				prev := 0
				var sb strings.Builder
				for _, g := range segs {
					if g.start < prev || g.end < g.start || g.end > len(text) {
						t.Fatalf("pattern %q behavior %d: piece [%d,%d) out of order in %q", pat, bh, g.start, g.end, text)
					}
					sb.WriteString(text[g.start:g.end])
					prev = g.end
				}
				if bh == splitIsolated && sb.String() != text {
					t.Fatalf("pattern %q: isolated pieces make %q, want %q", pat, sb.String(), text)
				}
			}
		}
	})
}
