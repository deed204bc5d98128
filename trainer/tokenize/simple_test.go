package tokenize_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// sharedTestdata returns ../shared/testdata beside the repository (or
// $EMBEDDB_SHARED/testdata), skipping the test when it is absent.
func sharedTestdata(tb testing.TB) string {
	tb.Helper()
	dir, err := sharedDir()
	if err != nil {
		tb.Skipf("shared test data not found at %s (set EMBEDDB_SHARED): %v", dir, err)
	}
	return dir
}

// sharedDir returns the shared test data directory and whether it exists.
func sharedDir() (string, error) {
	dir := os.Getenv("EMBEDDB_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, "testdata")
	_, err := os.Stat(dir)
	return dir, err
}

func TestSimplePreprocess_Walkthrough(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"I love programming in Python.", []string{"love", "programming", "in", "python"}},
		{"Python is a versatile language.", []string{"python", "is", "versatile", "language"}},
		{"Machine learning is fascinating.", []string{"machine", "learning", "is", "fascinating"}},
		{"Deep learning is a subset of machine learning.", []string{"deep", "learning", "is", "subset", "of", "machine", "learning"}},
		{"Natural language processing is a field of AI.", []string{"natural", "language", "processing", "is", "field", "of", "ai"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := tokenize.SimplePreprocess(tt.text, false); !cmp.Equal(got, tt.want) {
				t.Errorf("SimplePreprocess(%q) = %q, want %q", tt.text, got, tt.want)
			}
			var s tokenize.Simple
			if got := asStrings(s.Tokens([]byte(tt.text))); !cmp.Equal(got, tt.want) {
				t.Errorf("Simple.Tokens(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// goldenCase is one line of testdata/simple.golden.jsonl, recorded from gensim.
type goldenCase struct {
	Name   string   `json:"name"`
	Text   *string  `json:"text"`
	Hex    string   `json:"hex"`
	Deacc  bool     `json:"deacc"`
	MinLen int      `json:"min_len"`
	MaxLen int      `json:"max_len"`
	Tokens []string `json:"tokens"`
}

func (c goldenCase) input(t *testing.T) []byte {
	if c.Text != nil {
		return []byte(*c.Text)
	}
	b, err := hex.DecodeString(c.Hex)
	if err != nil {
		t.Fatalf("case %s: bad hex: %v", c.Name, err)
	}
	return b
}

func TestSimplePreprocess_Golden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "simple.golden.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c goldenCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		in := c.input(t)
		want := c.Tokens
		if want == nil {
			want = []string{}
		}
		t.Run(fmt.Sprintf("%s/deacc=%v/len=%d-%d", c.Name, c.Deacc, c.MinLen, c.MaxLen), func(t *testing.T) {
			if c.MinLen == tokenize.DefaultMinLen && c.MaxLen == tokenize.DefaultMaxLen {
				got := tokenize.SimplePreprocess(string(in), c.Deacc)
				if got == nil {
					got = []string{}
				}
				if !cmp.Equal(got, want) {
					t.Errorf("SimplePreprocess(%q, %v) = %q, want %q", in, c.Deacc, got, want)
				}
			}
			s := tokenize.Simple{Deacc: c.Deacc, MinLen: c.MinLen, MaxLen: c.MaxLen}
			if got := asStrings(s.Tokens(in)); !cmp.Equal(got, want) {
				t.Errorf("Simple%+v.Tokens(%q) = %q, want %q", s, in, got, want)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("read %d golden cases, want at least 100", n)
	}
}

// blockText builds the text of one 1024-code-point block exactly as
// block_text in testdata/gen_simple.py does.
func blockText(lo rune) []byte {
	var b []byte
	for cp := lo; cp < lo+1024; cp++ {
		if cp >= 0xD800 && cp <= 0xDFFF {
			continue
		}
		c := string(cp)
		b = fmt.Appendf(b, "x%sy A%sΣ%s %s%sΣ %sAb\n", c, c, c, c, c, c)
	}
	return b
}

func digest(tokens []string) string {
	h := sha256.Sum256([]byte(strings.Join(tokens, "\n")))
	return hex.EncodeToString(h[:8])
}

// TestSimple_AllCodePoints checks every Unicode code point, in and next to
// words and next to a capital sigma, against gensim (testdata/unicode.golden.txt).
func TestSimple_AllCodePoints(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "unicode.golden.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plain, deacc := &tokenize.Simple{}, &tokenize.Simple{Deacc: true}
	// Under -race (or -short) every 16th block: this test has no
	// concurrency for the race detector to check, and all of it takes
	// over a minute there. A plain run checks every block.
	stride := 1
	if raceEnabled || testing.Short() {
		stride = 16
		t.Logf("checking every %dth block only (race detector or -short)", stride)
	}
	sc := bufio.NewScanner(f)
	blocks := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		var lo int64
		var want0, want1 string
		if _, err := fmt.Sscanf(line, "%x %s %s", &lo, &want0, &want1); err != nil {
			t.Fatalf("bad golden line %q: %v", line, err)
		}
		blocks++
		if (blocks-1)%stride != 0 {
			continue
		}
		text := blockText(rune(lo))
		if got := digest(asStrings(plain.Tokens(text))); got != want0 {
			t.Errorf("block U+%04X..U+%04X, deacc=false: tokens digest %s, want %s", lo, lo+1023, got, want0)
		}
		if got := digest(asStrings(deacc.Tokens(text))); got != want1 {
			t.Errorf("block U+%04X..U+%04X, deacc=true: tokens digest %s, want %s", lo, lo+1023, got, want1)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if blocks != 0x110000/1024 {
		t.Fatalf("read %d blocks, want %d", blocks, 0x110000/1024)
	}
}

// TestSimple_Corpus tokenizes real corpus files line by line and compares
// with gensim (testdata/corpus.golden.json).
func TestSimple_Corpus(t *testing.T) {
	dir := sharedTestdata(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]struct {
		Deacc  bool   `json:"deacc"`
		Lines  int    `json:"lines"`
		Tokens int    `json:"tokens"`
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	for rel, want := range golden {
		t.Run(rel, func(t *testing.T) {
			data := readMaybeGzip(t, filepath.Join(dir, rel))
			s := tokenize.Simple{Deacc: want.Deacc}
			h := sha256.New()
			lines, tokens := 0, 0
			for len(data) > 0 {
				line := data
				if i := bytes.IndexByte(data, '\n'); i >= 0 {
					line, data = data[:i+1], data[i+1:]
				} else {
					data = nil
				}
				lines++
				toks := s.Tokens(line)
				tokens += len(toks)
				h.Write(bytes.Join(toks, []byte("\n")))
				h.Write([]byte("\n"))
			}
			got := hex.EncodeToString(h.Sum(nil))
			if lines != want.Lines || tokens != want.Tokens || got != want.SHA256 {
				t.Errorf("%s: %d lines, %d tokens, sha256 %s; want %d, %d, %s",
					rel, lines, tokens, got, want.Lines, want.Tokens, want.SHA256)
			}
		})
	}
}

func readMaybeGzip(tb testing.TB, path string) []byte {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return b
}

func TestSimple_Tokens_Lengths(t *testing.T) {
	tests := []struct {
		minLen, maxLen int
		text           string
		want           []string
	}{
		{0, 0, "a bb ccc", []string{"bb", "ccc"}},
		{1, 0, "a bb é", []string{"a", "bb", "é"}},
		{-1, 0, "a bb", []string{"a", "bb"}},
		{0, 2, "a bb ccc éé ééé", []string{"bb", "éé"}},
		{3, 2, "a bb ccc", []string{}},
		{0, -1, "a bb ccc", []string{}},
		{1, 1, "_ a _a", []string{"a"}},
	}
	for _, tt := range tests {
		s := tokenize.Simple{MinLen: tt.minLen, MaxLen: tt.maxLen}
		if got := asStrings(s.Tokens([]byte(tt.text))); !cmp.Equal(got, tt.want) {
			t.Errorf("Simple{MinLen: %d, MaxLen: %d}.Tokens(%q) = %q, want %q", tt.minLen, tt.maxLen, tt.text, got, tt.want)
		}
	}
}

func TestSimple_Tokens_LeavesLineAlone(t *testing.T) {
	line := []byte("Hello WORLD Straße ΟΔΟΣ İstanbul")
	orig := string(line)
	s := tokenize.Simple{Deacc: true}
	toks := s.Tokens(line)
	if string(line) != orig {
		t.Errorf("Tokens changed its input: %q, want %q", line, orig)
	}
	// Appending to one token must not overwrite the next one.
	first := string(toks[1])
	_ = append(toks[0], "XXXXXXXX"...)
	if string(toks[1]) != first {
		t.Errorf("append to token 0 overwrote token 1: %q, want %q", toks[1], first)
	}
}

func TestSimple_Tokens_NoAllocs(t *testing.T) {
	lines := [][]byte{
		[]byte("The quick brown fox jumps over the lazy dog, again and again."),
		[]byte("Crème brûlée, ΟΔΥΣΣΕΥΣ and 北京是中国的首都 with \xff invalid bytes."),
	}
	for _, deacc := range []bool{false, true} {
		s := tokenize.Simple{Deacc: deacc}
		for _, l := range lines {
			s.Tokens(l) // grow the buffers
		}
		allocs := testing.AllocsPerRun(100, func() {
			for _, l := range lines {
				s.Tokens(l)
			}
		})
		if allocs != 0 {
			t.Errorf("Simple{Deacc: %v}.Tokens: %v allocations per run after warm-up, want 0", deacc, allocs)
		}
	}
}

func asStrings(toks [][]byte) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t)
	}
	return out
}

// FuzzSimple checks that the Simple fast path (ASCII bytes, Unicode chunks)
// agrees with SimplePreprocess, which follows gensim step by step on the
// whole text, and that every token obeys the length and '_' rules.
func FuzzSimple(f *testing.F) {
	seeds := []string{
		"", "I love programming in Python.", "ΟΔΥΣΣΕΥΣ ΑΣ'Β ΑΣ.Β", "İstanbul", "naïve café",
		"ab\xffcd", "\xe4\xbd hello", "abc123def _foo foo_bar", "x² ½ ①", "Straße ẞ",
		"ﬁnance ǅ", "e\u0301", "<\u0338=\u0338", "\u1112\u1161\u11ab", "a.Σ.b", "Σ'''Σ", "A\u0345Σ",
		strings.Repeat("é", 16), strings.Repeat("a", 15) + "é",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, deacc := range []bool{false, true} {
			want := tokenize.SimplePreprocess(string(line), deacc)
			s := tokenize.Simple{Deacc: deacc}
			got := asStrings(s.Tokens(line))
			if len(want) == 0 {
				want = []string{}
			}
			if !cmp.Equal(got, want) {
				t.Fatalf("deacc=%v: Simple.Tokens(%q) = %q, SimplePreprocess = %q", deacc, line, got, want)
			}
			for _, tok := range got {
				n := utf8.RuneCountInString(tok)
				if n < 2 || n > 15 || tok[0] == '_' || !utf8.ValidString(tok) {
					t.Fatalf("deacc=%v: bad token %q from %q", deacc, tok, line)
				}
			}
			// The length filter, on both paths: all tokens of any length,
			// filtered here, must give the same list.
			all := tokenize.Simple{Deacc: deacc, MinLen: 1, MaxLen: 1 << 30}
			var filtered []string
			for _, tok := range all.Tokens(line) {
				if n := utf8.RuneCount(tok); n >= 2 && n <= 15 {
					filtered = append(filtered, string(tok))
				}
			}
			if len(filtered) == 0 {
				filtered = []string{}
			}
			if !cmp.Equal(filtered, want) {
				t.Fatalf("deacc=%v: MinLen 1 tokens of %q filtered to 2..15 = %q, want %q", deacc, line, filtered, want)
			}
		}
	})
}

// benchLines returns the lines of the first n Wikipedia shards.
func benchLines(b *testing.B, n int) (lines [][]byte, size int64) {
	dir := sharedTestdata(b)
	for i := 0; i < n; i++ {
		data := readMaybeGzip(b, filepath.Join(dir, "corpus", "wikipedia", "wiki_AA_"+fmt.Sprintf("%02d", i)+".txt.gz"))
		size += int64(len(data))
		lines = append(lines, bytes.SplitAfter(data, []byte("\n"))...)
	}
	return lines, size
}

// BenchmarkSimple_Tokens measures the trainer's hot path on English
// Wikipedia text: MB/s of raw text and tokens/s, on one core.
func BenchmarkSimple_Tokens(b *testing.B) {
	lines, size := benchLines(b, 2)
	for _, deacc := range []bool{false, true} {
		b.Run("deacc="+strconv.FormatBool(deacc), func(b *testing.B) {
			s := tokenize.Simple{Deacc: deacc}
			b.SetBytes(size)
			b.ReportAllocs()
			tokens := 0
			for b.Loop() {
				for _, l := range lines {
					tokens += len(s.Tokens(l))
				}
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkSimplePreprocess measures the plain, allocating function on the
// same text, for comparison with gensim (testdata/bench_gensim.py).
func BenchmarkSimplePreprocess(b *testing.B) {
	lines, size := benchLines(b, 2)
	strs := make([]string, len(lines))
	for i, l := range lines {
		strs[i] = string(l)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	tokens := 0
	for b.Loop() {
		for _, l := range strs {
			tokens += len(tokenize.SimplePreprocess(l, false))
		}
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}
