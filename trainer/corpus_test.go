package trainer

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/trainer/tokenize"
)

// sentencesOf returns the sentences the trainer sees in c (tokens joined by spaces).
func sentencesOf(t *testing.T, c Corpus, maxLen int) []string {
	t.Helper()
	var out []string
	var tk tokenize.Simple
	err := c.Each(context.Background(), func(r io.Reader) error {
		return readChunks(context.Background(), r, func() []byte { return make([]byte, 0, chunkSize) }, func(b []byte) error {
			forEachLine(b, func(line []byte) {
				toks := tk.Tokens(line)
				for len(toks) > 0 {
					piece := toks[:min(len(toks), maxLen)]
					toks = toks[len(piece):]
					var s []string
					for _, x := range piece {
						s = append(s, string(x))
					}
					out = append(out, strings.Join(s, " "))
				}
			})
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t *testing.T, name string, data []byte, gz bool) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		data = buf.Bytes()
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCorpus_Lines(t *testing.T) {
	long := strings.Repeat("word ", 25)
	huge := strings.Repeat("abc ", chunkSize/2) // one line longer than a block
	tests := []struct {
		name   string
		files  []string // contents
		gz     bool
		maxLen int
		want   []string
	}{
		{"BOMAndCRLF", []string{"\xEF\xBB\xBFHello World\r\nsecond\rline here\r\n"}, false, 10000,
			[]string{"hello world", "second line here"}},
		{"GzipAndNoTrailingNewline", []string{"one two\nthree four"}, true, 10000,
			[]string{"one two", "three four"}},
		{"FilesDoNotJoin", []string{"alpha be", "ta gamma\n"}, false, 10000,
			[]string{"alpha be", "ta gamma"}},
		{"EmptyAndPunctuationLines", []string{"\n\n!!! 123\nok go\n"}, false, 10000,
			[]string{"ok go"}},
		{"LongLineSplit", []string{long + "\nend of it\n"}, false, 10,
			[]string{strings.TrimSpace(strings.Repeat("word ", 10)), strings.TrimSpace(strings.Repeat("word ", 10)),
				strings.TrimSpace(strings.Repeat("word ", 5)), "end of it"}},
		{"LineLongerThanBlock", []string{"first\n" + huge + "\nlast\n"}, false, 1 << 20,
			[]string{"first", strings.TrimSpace(huge), "last"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for i, content := range tt.files {
				paths = append(paths, writeFile(t, "f"+string(rune('a'+i)), []byte(content), tt.gz))
			}
			got := sentencesOf(t, Files(paths...), tt.maxLen)
			if !slices.Equal(got, tt.want) {
				t.Errorf("sentences = %.200q, want %.200q", got, tt.want)
			}
		})
	}
}

func TestScanVocab_MaxSentenceLength(t *testing.T) {
	o := DefaultOptions()
	o.MaxSentenceLength = 3
	var n atomic.Int64
	_, st, err := scanVocab(context.Background(), Text("a1 bb cc dd ee ff gg\nhh ii\n"), &o, &n)
	if err != nil {
		t.Fatal(err)
	}
	if st.sentences != 3 || st.rawWords != 8 || n.Load() != 8 {
		t.Errorf("scan = %+v (%d counted), want 3 sentences, 8 words", st, n.Load())
	}
}

func TestTokenizer(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Hello, World! It's 2024.", []string{"hello", "world", "it"}},
		{"a ab abc _under x_y", []string{"ab", "abc", "x_y"}},
		{"abcdefghijklmnop abcdefghijklmno", []string{"abcdefghijklmno"}},
		{"Grüße aus Köln", []string{"grüße", "aus", "köln"}},
		{"x1y2z3 foo9bar", []string{"foo", "bar"}},
		{"bad\xffbyte", []string{"badbyte"}},
	}
	var tk tokenize.Simple
	for _, tt := range tests {
		var got []string
		for _, b := range tk.Tokens([]byte(tt.in)) {
			got = append(got, string(b))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFiles_NotRegular checks that a directory in a corpus is refused as
// such, rather than failing on its first read with EISDIR.
func TestFiles_NotRegular(t *testing.T) {
	dir := t.TempDir()
	err := Files(dir).Each(context.Background(), func(io.Reader) error { return nil })
	if !errors.Is(err, osfile.ErrNotRegular) || !strings.HasPrefix(err.Error(), dir+" is a directory, not a regular file; ") {
		t.Errorf("Files(dir).Each = %v, want it refused as a directory", err)
	}
	missing := filepath.Join(dir, "missing.txt")
	err = Files(missing).Each(context.Background(), func(io.Reader) error { return nil })
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Files(missing).Each = %v, want os.ErrNotExist", err)
	}
}
