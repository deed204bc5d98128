package vecfile_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
)

func readBytes(data []byte, name string, opts vecfile.ReadOptions) (*table, error) {
	r, err := vecfile.NewReader(bytes.NewReader(data), int64(len(data)), name, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readAll(r)
}

// bin builds a word2vec binary row; nl adds the C tool's newline.
func bin(word string, nl bool, v ...float32) string {
	b := []byte(word + " ")
	for _, f := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	if nl {
		b = append(b, '\n')
	}
	return string(b)
}

// TestRead_Text covers word2vec text corner cases; where gensim 4.2 behaves
// differently the case says so (probed with load_word2vec_format).
func TestRead_Text(t *testing.T) {
	inf := float32(math.Inf(1))
	tests := []struct {
		name  string
		in    string
		opts  vecfile.ReadOptions
		words []string
		vecs  []float32
		err   error // sentinel, or nil
		line  int   // line of the error
	}{
		{"OK", "2 2\na 1 2\nb 3 4\n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"NoFinalNewline", "2 2\na 1 2\nb 3 4", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"CRLF", "2 2\r\na 1 2\r\nb 3 4\r\n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"FastTextTrailingSpace", "2 2\na 1 2 \nb 3 4 \n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		// gensim: extra rows are ignored.
		{"MoreRowsThanHeader", "2 2\na 1 2\nb 3 4\nc 5 6\n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"MoreRowsBadOnes", "1 2\na 1 2\nthis line is not read\n", vecfile.ReadOptions{}, []string{"a"}, []float32{1, 2}, nil, 0},
		// gensim: EOFError.
		{"FewerRowsThanHeader", "3 2\na 1 2\nb 3 4\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrTruncated, 4},
		{"Limit", "3 2\na 1 2\nb 3 4\nc 5 6\n", vecfile.ReadOptions{Limit: 2}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"LimitAboveHeader", "2 2\na 1 2\nb 3 4\n", vecfile.ReadOptions{Limit: 9}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"ZeroRows", "0 5\n", vecfile.ReadOptions{}, nil, nil, nil, 0},
		// gensim broadcasts a single value over the row; we refuse.
		{"ShortRowOneValue", "2 2\na 1\nb 3 4\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrDimension, 2},
		{"ShortRow", "2 3\na 1 2 3\nb 3 4\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrDimension, 3},
		{"LongRow", "2 2\na 1 2 3\nb 3 4\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrDimension, 2},
		{"WordOnly", "1 2\nalone\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrDimension, 2},
		{"NotANumber", "2 2\na 1 x\nb 3 4\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrNumber, 2},
		{"HexIsNotANumber", "1 1\na 0x10\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrNumber, 2},
		// gensim fails on the empty string between two spaces; we accept runs of spaces and tabs.
		{"DoubleSpace", "2 2\na  1 2\nb 3\t4\n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		// The word ends at the first space, as in gensim, so it may hold a tab.
		{"TabInWord", "1 2\na\tb 1 2\n", vecfile.ReadOptions{}, []string{"a\tb"}, []float32{1, 2}, nil, 0},
		{"LeadingSpace", "1 2\n a 1\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrNumber, 2},
		{"EmptyWord", "1 2\n 1 2\n", vecfile.ReadOptions{}, []string{""}, []float32{1, 2}, nil, 0},
		// gensim fails on an empty line inside the rows; we skip it.
		{"BlankLines", "2 2\n\na 1 2\n  \nb 3 4\n\n\n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"NaNInf", "2 2\na nan inf\nb -Infinity 1e400\n", vecfile.ReadOptions{}, []string{"a", "b"}, []float32{float32(math.NaN()), inf, -inf, inf}, nil, 0},
		{"PythonSyntax", "1 4\na 1_000 .5 5. -0\n", vecfile.ReadOptions{}, []string{"a"}, []float32{1000, .5, 5, float32(math.Copysign(0, -1))}, nil, 0},
		// gensim fails on a byte order mark; we skip it.
		{"BOM", "\ufeff1 2\na 1 2\n", vecfile.ReadOptions{}, []string{"a"}, []float32{1, 2}, nil, 0},
		{"Duplicate", "3 1\na 1\nb 2\na 3\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrDuplicate, 4},
		// gensim 4.2 keeps the first a (and appends a None key with a zero row: a bug).
		{"DuplicateSkip", "3 1\na 1\nb 2\na 3\n", vecfile.ReadOptions{Duplicates: vecfile.DuplicatesSkip}, []string{"a", "b"}, []float32{1, 2}, nil, 0},
		// The caller looks for repeats itself.
		{"DuplicateUnchecked", "3 1\na 1\nb 2\na 3\n", vecfile.ReadOptions{Duplicates: vecfile.DuplicatesUnchecked}, []string{"a", "b", "a"}, []float32{1, 2, 3}, nil, 0},
		{"BadUTF8", "1 1\nca\xc3 1\n", vecfile.ReadOptions{}, nil, nil, vecfile.ErrUnicode, 2},
		{"BadUTF8Replace", "1 1\nca\xc3 1\n", vecfile.ReadOptions{UnicodeErrors: "replace"}, []string{"ca\ufffd"}, []float32{1}, nil, 0},
		{"BadUTF8Ignore", "1 1\nca\xc3 1\n", vecfile.ReadOptions{UnicodeErrors: "ignore"}, []string{"ca"}, []float32{1}, nil, 0},
		// As in gensim, the whole line is decoded: 'ignore' even mends a number.
		{"BadUTF8InNumberIgnore", "1 1\na 1\xff5\n", vecfile.ReadOptions{UnicodeErrors: "ignore"}, []string{"a"}, []float32{15}, nil, 0},
		{"BadUTF8InNumberReplace", "1 1\na 1\xff5\n", vecfile.ReadOptions{UnicodeErrors: "replace"}, nil, nil, vecfile.ErrNumber, 2},
		{"HeaderThreeFields", "2 2 7\na 1 2\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, nil, nil, vecfile.ErrHeader, 1},
		{"HeaderNegative", "-1 2\na 1 2\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, nil, nil, vecfile.ErrHeader, 1},
		{"HeaderZeroDim", "1 0\na\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, nil, nil, vecfile.ErrHeader, 1},
		{"HeaderHugeDim", "1 999999999\na 1\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, nil, nil, vecfile.ErrTooLarge, 1},
		{"HeaderWords", "hello world\n", vecfile.ReadOptions{Format: vecfile.Word2VecText}, nil, nil, vecfile.ErrHeader, 1},
		{"Empty", "", vecfile.ReadOptions{Format: vecfile.Word2VecText}, nil, nil, vecfile.ErrHeader, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readBytes([]byte(tt.in), "v.txt", tt.opts)
			checkRead(t, tt.in, tab, err, tt.words, tt.vecs, tt.err, tt.line, 0)
		})
	}
}

// checkRead compares a read with what is wanted: rows, or an error with its
// line (text) or byte offset (binary; off < 0 skips the check).
func checkRead(t *testing.T, in string, tab *table, err error, words []string, vecs []float32, wantErr error, line int, off int64) {
	t.Helper()
	if wantErr != nil {
		var fe *vecfile.FormatError
		if !errors.Is(err, wantErr) || !errors.As(err, &fe) {
			t.Fatalf("read %q: err = %v, want %v", in, err, wantErr)
		}
		if fe.Line != line || line == 0 && off >= 0 && fe.Offset != off {
			t.Errorf("read %q: error at line %d byte %d (%v), want line %d byte %d", in, fe.Line, fe.Offset, err, line, off)
		}
		if !strings.HasPrefix(err.Error(), fe.Path) || fe.Path == "" {
			t.Errorf("error %q does not start with the file name", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("read %q: %v", in, err)
	}
	if !slices.Equal(tab.words, words) {
		t.Errorf("read %q: words = %q, want %q", in, tab.words, words)
	}
	if got, want := bitsOf(tab.vecs), bitsOf(vecs); !slices.Equal(got, want) {
		t.Errorf("read %q: vectors = %v, want %v", in, tab.vecs, vecs)
	}
}

func TestRead_Text_Stats(t *testing.T) {
	tests := []struct {
		in   string
		opts vecfile.ReadOptions
		want vecfile.Stats
	}{
		{"2 2\na 1 2\nb 3 4\n", vecfile.ReadOptions{}, vecfile.Stats{Rows: 2, FirstNonFinite: -1}},
		{"2 2\na 1 2\nb nan -inf\n", vecfile.ReadOptions{}, vecfile.Stats{Rows: 2, NonFinite: 2, FirstNonFinite: 1}},
		{"2 2\na 1 2\nb 3 4\nc 5 6\n", vecfile.ReadOptions{}, vecfile.Stats{Rows: 2, FirstNonFinite: -1, Unread: 6}},
		{"3 1\na 1\nb inf\na 3\n", vecfile.ReadOptions{Duplicates: vecfile.DuplicatesSkip}, vecfile.Stats{Rows: 2, Duplicates: 1, NonFinite: 1, FirstNonFinite: 1}},
		{"3 1\na 1\nb inf\na 3\n", vecfile.ReadOptions{Duplicates: vecfile.DuplicatesUnchecked}, vecfile.Stats{Rows: 3, NonFinite: 1, FirstNonFinite: 1}},
		{"3 1\na nan\nb 1\nc inf\n", vecfile.ReadOptions{Limit: 2}, vecfile.Stats{Rows: 2, NonFinite: 1, FirstNonFinite: 0, Unread: 6}},
	}
	for _, tt := range tests {
		tab, err := readBytes([]byte(tt.in), "v.txt", tt.opts)
		if err != nil {
			t.Fatalf("read %q: %v", tt.in, err)
		}
		if tab.stats != tt.want {
			t.Errorf("read %q: stats = %+v, want %+v", tt.in, tab.stats, tt.want)
		}
	}
}

func TestRead_GloVe(t *testing.T) {
	g := vecfile.ReadOptions{Format: vecfile.GloVe}
	tests := []struct {
		name  string
		in    string
		opts  vecfile.ReadOptions
		words []string
		vecs  []float32
		err   error
		line  int
	}{
		{"OK", "the 1 2\nof 3 4\n", g, []string{"the", "of"}, []float32{1, 2, 3, 4}, nil, 0},
		{"Detected", "the 1 2\nof 3 4\n", vecfile.ReadOptions{}, []string{"the", "of"}, []float32{1, 2, 3, 4}, nil, 0},
		{"Limit", "the 1 2\nof 3 4\nand 5 6\n", vecfile.ReadOptions{Limit: 2}, []string{"the", "of"}, []float32{1, 2, 3, 4}, nil, 0},
		// glove.840B.300d has words with spaces: the last dim fields are the values.
		{"SpacedWord", "the 1 2\n. . . 3 4\nat name@domain.com 5 6\n", g, []string{"the", ". . .", "at name@domain.com"}, []float32{1, 2, 3, 4, 5, 6}, nil, 0},
		{"SpacedWordNumeric", "the 1 2\n1 2 3 4\n", g, []string{"the", "1 2"}, []float32{1, 2, 3, 4}, nil, 0},
		{"ShortRow", "the 1 2\nof 3\n", g, nil, nil, vecfile.ErrDimension, 2},
		{"NotANumber", "the 1 2\nof 3 x\n", g, nil, nil, vecfile.ErrNumber, 2},
		{"FirstLineNoValues", "the\nof 3 4\n", g, nil, nil, vecfile.ErrDimension, 1},
		{"Duplicate", "a 1\nb 2\na 3\n", g, nil, nil, vecfile.ErrDuplicate, 3},
		{"Empty", "", g, nil, nil, vecfile.ErrHeader, 1},
		{"BlankLines", "a 1\n\nb 2\n\n", g, []string{"a", "b"}, []float32{1, 2}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readBytes([]byte(tt.in), "glove.txt", tt.opts)
			checkRead(t, tt.in, tab, err, tt.words, tt.vecs, tt.err, tt.line, 0)
			if err == nil && tab.hdr.Rows != -1 {
				t.Errorf("GloVe header rows = %d, want -1 (unknown)", tab.hdr.Rows)
			}
		})
	}
}

func TestRead_Binary(t *testing.T) {
	b := vecfile.ReadOptions{Format: vecfile.Word2VecBinary}
	gensim2 := "2 2\n" + bin("a", false, 1, 2) + bin("b", false, 3, 4)
	tests := []struct {
		name  string
		in    string
		opts  vecfile.ReadOptions
		words []string
		vecs  []float32
		err   error
		off   int64
	}{
		{"Gensim", gensim2, b, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"CTool", "2 2\n" + bin("a", true, 1, 2) + bin("b", true, 3, 4), b, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"Detected", "2 2\n" + bin("a", true, 1, 2) + bin("b", true, 3, 4), vecfile.ReadOptions{}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"BinaryOption", gensim2, vecfile.ReadOptions{Format: vecfile.Word2VecText, Binary: true}, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		{"CRLFHeader", "2 2\r\n" + bin("a", true, 1, 2) + bin("b", true, 3, 4), b, []string{"a", "b"}, []float32{1, 2, 3, 4}, nil, 0},
		// As gensim: newlines before a word are dropped, tabs are kept.
		{"NewlinesTabs", "2 1\n" + bin("a\tb", false, 1) + bin("\n\nc", false, 2), b, []string{"a\tb", "c"}, []float32{1, 2}, nil, 0},
		{"MoreRowsThanHeader", "1 2\n" + bin("a", false, 1, 2) + bin("b", false, 3, 4), b, []string{"a"}, []float32{1, 2}, nil, 0},
		{"Limit", gensim2, vecfile.ReadOptions{Format: vecfile.Word2VecBinary, Limit: 1}, []string{"a"}, []float32{1, 2}, nil, 0},
		{"FewerRowsThanHeader", "3 2\n" + bin("a", false, 1, 2) + bin("b", false, 3, 4), b, nil, nil, vecfile.ErrTruncated, 4 + 2*10},
		{"FewerRowsCTool", "3 2\n" + bin("a", true, 1, 2) + bin("b", true, 3, 4), b, nil, nil, vecfile.ErrTruncated, 4 + 2*11},
		{"CutInVector", gensim2[:len(gensim2)-1], b, nil, nil, vecfile.ErrTruncated, 4 + 10 + 2},
		{"CutInWord", "2 2\n" + bin("a", false, 1, 2) + "bbb", b, nil, nil, vecfile.ErrTruncated, 4 + 10},
		{"Duplicate", "2 1\n" + bin("a", false, 1) + bin("a", false, 2), b, nil, nil, vecfile.ErrDuplicate, 4 + 6},
		{"DuplicateSkip", "2 1\n" + bin("a", false, 1) + bin("a", false, 2), vecfile.ReadOptions{Format: vecfile.Word2VecBinary, Duplicates: vecfile.DuplicatesSkip}, []string{"a"}, []float32{1}, nil, 0},
		{"BadUTF8", "1 1\n" + bin("ca\xc3", false, 1), b, nil, nil, vecfile.ErrUnicode, 4 + 2},
		{"BadUTF8Replace", "1 1\n" + bin("ca\xc3", false, 1), vecfile.ReadOptions{Format: vecfile.Word2VecBinary, UnicodeErrors: "replace"}, []string{"ca\ufffd"}, []float32{1}, nil, 0},
		{"NoSpace", "1 1\n" + strings.Repeat("x", 100), b, nil, nil, vecfile.ErrTruncated, 4},
		{"HugeDim", "1 16777216\n" + bin("a", false, 1), b, nil, nil, vecfile.ErrTruncated, 13},
		{"BadHeader", "x y\n" + bin("a", false, 1), b, nil, nil, vecfile.ErrHeader, 0},
		{"NoHeader", "12", b, nil, nil, vecfile.ErrHeader, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readBytes([]byte(tt.in), "v.bin", tt.opts)
			checkRead(t, tt.in, tab, err, tt.words, tt.vecs, tt.err, 0, tt.off)
		})
	}
}

func TestRead_Binary_LongWord(t *testing.T) {
	in := "1 1\n" + strings.Repeat("x", 2<<20) + " abcd"
	_, err := readBytes([]byte(in), "v.bin", vecfile.ReadOptions{Format: vecfile.Word2VecBinary})
	if !errors.Is(err, vecfile.ErrTooLarge) {
		t.Errorf("read a 2 MiB word: %v, want ErrTooLarge", err)
	}
}

// npyFile builds an NPY file with the given header dictionary and data.
func npyFile(dict string, data []byte) []byte {
	b := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	dict += "\n"
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)))
	return append(append(b, dict...), data...)
}

func f32bytes(v ...float32) []byte {
	var b []byte
	for _, f := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

func TestRead_NPY(t *testing.T) {
	d := func(descr, fortran, shape string) string {
		return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }"
	}
	six := f32bytes(1, 2, 3, 4, 5, 6)
	tests := []struct {
		name string
		in   []byte
		opts vecfile.ReadOptions
		vecs []float32
		err  error
	}{
		{"OK", npyFile(d("<f4", "False", "(3, 2)"), six), vecfile.ReadOptions{}, []float32{1, 2, 3, 4, 5, 6}, nil},
		{"DoubleQuotes", npyFile(`{"descr": "<f4", "fortran_order": False, "shape": (3, 2)}`, six), vecfile.ReadOptions{}, []float32{1, 2, 3, 4, 5, 6}, nil},
		{"Python2Long", npyFile(d("<f4", "False", "(3L, 2L)"), six), vecfile.ReadOptions{}, []float32{1, 2, 3, 4, 5, 6}, nil},
		{"Limit", npyFile(d("<f4", "False", "(3, 2)"), six), vecfile.ReadOptions{Limit: 1}, []float32{1, 2}, nil},
		{"TrailingBytes", npyFile(d("<f4", "False", "(1, 2)"), six), vecfile.ReadOptions{}, []float32{1, 2}, nil},
		{"FortranOneColumn", npyFile(d("<f4", "True", "(6, 1)"), six), vecfile.ReadOptions{}, []float32{1, 2, 3, 4, 5, 6}, nil},
		{"Fortran", npyFile(d("<f4", "True", "(3, 2)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrLayout},
		{"OneD", npyFile(d("<f4", "False", "(6,)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrShape},
		{"ThreeD", npyFile(d("<f4", "False", "(1, 3, 2)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrShape},
		{"Scalar", npyFile(d("<f4", "False", "()"), six), vecfile.ReadOptions{}, nil, vecfile.ErrShape},
		{"ZeroDim", npyFile(d("<f4", "False", "(3, 0)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrShape},
		{"Int", npyFile(d("<i4", "False", "(3, 2)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrDType},
		{"Structured", npyFile("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", six), vecfile.ReadOptions{}, nil, vecfile.ErrHeader},
		{"Truncated", npyFile(d("<f4", "False", "(4, 2)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrTruncated},
		{"Huge", npyFile(d("<f4", "False", "(1000000000000, 100)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrTruncated},
		{"Overflow", npyFile(d("<f4", "False", "(999999999999999999, 999999)"), six), vecfile.ReadOptions{}, nil, vecfile.ErrTruncated},
		{"MissingKey", npyFile("{'descr': '<f4', 'shape': (3, 2), }", six), vecfile.ReadOptions{}, nil, vecfile.ErrHeader},
		{"ExtraKey", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), 'x': 1}", six), vecfile.ReadOptions{}, nil, vecfile.ErrHeader},
		{"Garbage", npyFile("hello", six), vecfile.ReadOptions{}, nil, vecfile.ErrHeader},
		{"Version9", append([]byte("\x93NUMPY\x09\x00\x00\x00"), six...), vecfile.ReadOptions{}, nil, vecfile.ErrHeader},
		{"HeaderPastEnd", []byte("\x93NUMPY\x01\x00\xff\x00{}"), vecfile.ReadOptions{}, nil, vecfile.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := readBytes(tt.in, "m.npy", tt.opts)
			if tt.err != nil {
				var fe *vecfile.FormatError
				if !errors.Is(err, tt.err) || !errors.As(err, &fe) || fe.Path != "m.npy" {
					t.Fatalf("read = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(bitsOf(tab.vecs), bitsOf(tt.vecs)) || tab.words != nil {
				t.Errorf("read = %v %q, want %v", tab.vecs, tab.words, tt.vecs)
			}
		})
	}
}

func TestRead_NPY_Words(t *testing.T) {
	dir := t.TempDir()
	m := npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }", f32bytes(1, 2, 3))
	p := filepath.Join(dir, "v.npy")
	if err := os.WriteFile(p, m, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		words string // content of v.words.txt, or "" for none
		opts  vecfile.ReadOptions
		want  []string
		err   error
		line  int
	}{
		{"Default", "a\nb\nc\n", vecfile.ReadOptions{}, []string{"a", "b", "c"}, nil, 0},
		{"NoFinalNewline", "a\nb\nc", vecfile.ReadOptions{}, []string{"a", "b", "c"}, nil, 0},
		{"CRLF", "a\r\nb\r\nc\r\n", vecfile.ReadOptions{}, []string{"a", "b", "c"}, nil, 0},
		{"Spaces", "a b\n c\n\t\n", vecfile.ReadOptions{}, []string{"a b", " c", "\t"}, nil, 0},
		{"NoWordsFile", "-", vecfile.ReadOptions{WordsPath: "-"}, nil, nil, 0},
		{"Missing", "", vecfile.ReadOptions{}, nil, os.ErrNotExist, 0},
		{"TooFew", "a\nb\n", vecfile.ReadOptions{}, nil, vecfile.ErrWords, 3},
		{"TooMany", "a\nb\nc\nd\n", vecfile.ReadOptions{}, nil, vecfile.ErrWords, 4},
		{"TooManyLimit", "a\nb\nc\nd\n", vecfile.ReadOptions{Limit: 2}, []string{"a", "b"}, nil, 0},
		{"Duplicate", "a\nb\na\n", vecfile.ReadOptions{}, nil, vecfile.ErrDuplicate, 3},
		{"BadUTF8", "a\nb\xff\nc\n", vecfile.ReadOptions{}, nil, vecfile.ErrUnicode, 2},
		{"BadUTF8Ignore", "a\nb\xff\nc\n", vecfile.ReadOptions{UnicodeErrors: "ignore"}, []string{"a", "b", "c"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wp := filepath.Join(dir, "v.words.txt")
			os.Remove(wp)
			if tt.words != "" && tt.words != "-" {
				if err := os.WriteFile(wp, []byte(tt.words), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tab, err := readTable(t, p, tt.opts)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("read = %v, want %v", err, tt.err)
				}
				var fe *vecfile.FormatError
				if tt.line > 0 && (!errors.As(err, &fe) || fe.Line != tt.line || fe.Path != wp) {
					t.Errorf("read = %v, want an error at %s:%d", err, wp, tt.line)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tab.words, tt.want) {
				t.Errorf("words = %q, want %q", tab.words, tt.want)
			}
		})
	}
}

// stFile builds a safetensors file from a JSON header and data.
func stFile(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestRead_Safetensors(t *testing.T) {
	six := f32bytes(1, 2, 3, 4, 5, 6)
	tests := []struct {
		name   string
		in     []byte
		tensor string
		vecs   []float32
		err    error
	}{
		{"HeaderLength123", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]}}`+strings.Repeat(" ", 123-57), six), "", []float32{1, 2, 3, 4, 5, 6}, nil},
		{"OnlyOne2D", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]}}`, six), "", []float32{1, 2, 3, 4, 5, 6}, nil},
		{"Named", stFile(`{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}`, six), "w", []float32{3, 4, 5, 6}, nil},
		{"OnlyOne2DAmong1D", stFile(`{"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}`, six), "", []float32{3, 4, 5, 6}, nil},
		{"F64", stFile(`{"w":{"dtype":"F64","shape":[1,3],"data_offsets":[0,24]}}`, f64bytes(1.5, -2, 1e300)), "", []float32{1.5, -2, float32(math.Inf(1))}, nil},
		{"Limit", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]}}`, six), "", []float32{1, 2}, nil},
		{"TwoCandidates", stFile(`{"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}`, six), "", nil, vecfile.ErrTensorNotFound},
		{"NoSuchTensor", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]}}`, six), "x", nil, vecfile.ErrTensorNotFound},
		{"None2D", stFile(`{"w":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}`, six), "", nil, vecfile.ErrTensorNotFound},
		{"OneD", stFile(`{"w":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}`, six), "w", nil, vecfile.ErrShape},
		{"ThreeD", stFile(`{"w":{"dtype":"F32","shape":[1,3,2],"data_offsets":[0,24]}}`, six), "w", nil, vecfile.ErrShape},
		{"DType", stFile(`{"w":{"dtype":"I32","shape":[3,2],"data_offsets":[0,24]}}`, six), "w", nil, vecfile.ErrDType},
		{"DTypeFP8", stFile(`{"w":{"dtype":"F8_E4M3","shape":[4,6],"data_offsets":[0,24]}}`, six), "w", nil, vecfile.ErrDType},
		{"OffsetsPastEnd", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,28]}}`, six), "", nil, vecfile.ErrLayout},
		{"OffsetsShort", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,20]}}`, six), "", nil, vecfile.ErrLayout},
		{"OffsetsBackwards", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[24,0]}}`, six), "", nil, vecfile.ErrHeader},
		{"OffsetsNegative", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[-8,16]}}`, six), "", nil, vecfile.ErrHeader},
		{"ShapeLies", stFile(`{"w":{"dtype":"F32","shape":[1000000000000,2],"data_offsets":[0,24]}}`, six), "", nil, vecfile.ErrLayout},
		{"ShapeOverflow", stFile(`{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,24]}}`, six), "", nil, vecfile.ErrLayout},
		{"ShapeNegative", stFile(`{"w":{"dtype":"F32","shape":[-3,-2],"data_offsets":[0,24]}}`, six), "", nil, vecfile.ErrHeader},
		{"UnknownField", stFile(`{"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24],"x":1}}`, six), "", nil, vecfile.ErrHeader},
		{"NotJSON", stFile(`{"w":`, six), "", nil, vecfile.ErrHeader},
		{"HeaderLengthLies", append(binary.LittleEndian.AppendUint64(nil, 1<<40), '{'), "", nil, vecfile.ErrTooLarge},
		{"HeaderPastEnd", append(binary.LittleEndian.AppendUint64(nil, 99), '{', '}'), "", nil, vecfile.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := vecfile.ReadOptions{Format: vecfile.Safetensors, Tensor: tt.tensor}
			if tt.name == "Limit" {
				opts.Limit = 1
			}
			tab, err := readBytes(tt.in, "m.safetensors", opts)
			if tt.err != nil {
				var fe *vecfile.FormatError
				if !errors.Is(err, tt.err) || !errors.As(err, &fe) || fe.Path != "m.safetensors" {
					t.Fatalf("read = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(bitsOf(tab.vecs), bitsOf(tt.vecs)) || tab.words != nil {
				t.Errorf("read = %v %q, want %v", tab.vecs, tab.words, tt.vecs)
			}
		})
	}
}

func f64bytes(v ...float64) []byte {
	var b []byte
	for _, f := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return b
}

// TestRead_Safetensors_Sharded follows a model.safetensors.index.json, and
// a directory holding one.
func TestRead_Safetensors_Sharded(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("model-00001-of-00002.safetensors", stFile(`{"model.embed_tokens.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}`, f32bytes(1, 2, 3, 4)))
	write("model-00002-of-00002.safetensors", stFile(`{"lm_head.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"norm":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}`, f32bytes(5, 6, 7, 8, 9, 10)))
	write("model.safetensors.index.json", []byte(`{"metadata":{"total_size":40},"weight_map":{
		"model.embed_tokens.weight":"model-00001-of-00002.safetensors",
		"lm_head.weight":"model-00002-of-00002.safetensors",
		"norm":"model-00002-of-00002.safetensors"}}`))
	index := filepath.Join(dir, "model.safetensors.index.json")
	for _, tt := range []struct {
		path, tensor string
		want         []float32
	}{
		{index, "model.embed_tokens.weight", []float32{1, 2, 3, 4}},
		{index, "lm_head.weight", []float32{5, 6, 7, 8}},
		{dir, "model.embed_tokens.weight", []float32{1, 2, 3, 4}},
	} {
		tab, err := readTable(t, tt.path, vecfile.ReadOptions{Tensor: tt.tensor})
		if err != nil {
			t.Fatalf("read %s %s: %v", tt.path, tt.tensor, err)
		}
		if !slices.Equal(tab.vecs, tt.want) {
			t.Errorf("read %s %s = %v, want %v", tt.path, tt.tensor, tab.vecs, tt.want)
		}
	}
	_, err := readTable(t, index, vecfile.ReadOptions{})
	if !errors.Is(err, vecfile.ErrTensorNotFound) || !strings.Contains(err.Error(), `"lm_head.weight" F32 (2, 2)`) {
		t.Errorf("read without a tensor name: %v, want ErrTensorNotFound listing the 2-D tensors", err)
	}
	_, err = readTable(t, index, vecfile.ReadOptions{Tensor: "nope"})
	if !errors.Is(err, vecfile.ErrTensorNotFound) {
		t.Errorf("read tensor nope: %v, want ErrTensorNotFound", err)
	}
	if f, err := vecfile.Detect(dir); f != vecfile.Safetensors || err != nil {
		t.Errorf("Detect(dir) = %v, %v, want safetensors", f, err)
	}
	write("model.safetensors.index.json", []byte(`{"weight_map":{"w":"../../etc/passwd"}}`))
	if _, err := readTable(t, index, vecfile.ReadOptions{Tensor: "w"}); !errors.Is(err, vecfile.ErrHeader) {
		t.Errorf("read a weight_map that leaves the directory: %v, want ErrHeader", err)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want vecfile.Format
	}{
		{"v.txt", []byte("2 2\na 1 2\nb 3 4\n"), vecfile.Word2VecText},
		{"v.vec", []byte("2 2\na 1 2 \nb 3 4 \n"), vecfile.Word2VecText},
		{"v.bin", []byte("2 2\n" + bin("a", true, 1, 2) + bin("b", true, 3, 4)), vecfile.Word2VecBinary},
		{"v.data", []byte("2 2\n" + bin("a", false, 1, 2) + bin("b", false, 3, 4)), vecfile.Word2VecBinary},
		{"v.bin", []byte("0 100\n"), vecfile.Word2VecBinary},
		{"v.txt", []byte("0 100\n"), vecfile.Word2VecText},
		{"glove.6B.50d.txt", []byte("the 0.418 0.24968 -0.41242\n, 0.013441 0.23682 -0.16899\n"), vecfile.GloVe},
		{"m.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", f32bytes(1)), vecfile.NPY},
		{"x", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", f32bytes(1)), vecfile.NPY},
		{"x", stFile(`{"w":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}}`, f32bytes(1)), vecfile.Safetensors},
		{"model.safetensors.index.json", []byte(`{"weight_map":{}}`), vecfile.Safetensors},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), tt.name)
		if err := os.WriteFile(path, tt.in, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := vecfile.Detect(path); got != tt.want || err != nil {
			t.Errorf("Detect(%s %q) = %v, %v, want %v", tt.name, clipped(tt.in), got, err, tt.want)
		}
	}
	fastText := binary.LittleEndian.AppendUint32(nil, 793712314)
	fastText = binary.LittleEndian.AppendUint32(fastText, 12)
	for _, in := range []string{"", "hello\nworld\n", "{}", "\x00\x01\x02", string(fastText)} {
		path := filepath.Join(t.TempDir(), "x")
		os.WriteFile(path, []byte(in), 0o644)
		if got, err := vecfile.Detect(path); !errors.Is(err, vecfile.ErrUnknownFormat) {
			t.Errorf("Detect(%q) = %v, %v, want ErrUnknownFormat", in, got, err)
		}
	}
}

func clipped(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want vecfile.Format
	}{
		{"word2vec", vecfile.Word2VecText}, {"fastText", vecfile.Word2VecText}, {"VEC", vecfile.Word2VecText},
		{"word2vec-binary", vecfile.Word2VecBinary}, {"glove", vecfile.GloVe}, {"npy", vecfile.NPY},
		{"safetensors", vecfile.Safetensors}, {"", vecfile.FormatAuto}, {"auto", vecfile.FormatAuto},
	}
	for _, tt := range tests {
		if got, err := vecfile.ParseFormat(tt.in); got != tt.want || err != nil {
			t.Errorf("ParseFormat(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
	for f := vecfile.FormatAuto; f <= vecfile.Safetensors; f++ {
		if got, err := vecfile.ParseFormat(f.String()); got != f || err != nil {
			t.Errorf("ParseFormat(%q) = %v, %v, want %v", f.String(), got, err, f)
		}
	}
	if _, err := vecfile.ParseFormat("csv"); !errors.Is(err, vecfile.ErrInvalidOption) {
		t.Errorf("ParseFormat(csv) = %v, want ErrInvalidOption", err)
	}
	for d := vecfile.Float32; d <= vecfile.BFloat16; d++ {
		if got, err := vecfile.ParseDType(d.String()); got != d || err != nil {
			t.Errorf("ParseDType(%q) = %v, %v, want %v", d.String(), got, err, d)
		}
	}
	if got := []int{vecfile.Float32.Size(), vecfile.Float16.Size(), vecfile.BFloat16.Size()}; !slices.Equal(got, []int{4, 2, 2}) {
		t.Errorf("sizes = %v, want [4 2 2]", got)
	}
}

func TestReadOptions_Validate(t *testing.T) {
	bad := []vecfile.ReadOptions{
		{Limit: -1}, {Workers: -2}, {UnicodeErrors: "surrogateescape"}, {Format: 99},
		{Format: vecfile.NPY, Binary: true}, {Duplicates: 7},
	}
	for _, o := range bad {
		if err := o.Validate(); !errors.Is(err, vecfile.ErrInvalidOption) {
			t.Errorf("%+v.Validate() = %v, want ErrInvalidOption", o, err)
		}
		if _, err := vecfile.NewReader(bytes.NewReader(nil), 0, "x", o); !errors.Is(err, vecfile.ErrInvalidOption) {
			t.Errorf("NewReader(%+v) = %v, want ErrInvalidOption", o, err)
		}
	}
	if err := (vecfile.ReadOptions{}).Validate(); err != nil {
		t.Errorf("zero ReadOptions: %v", err)
	}
	if err := vecfile.DefaultReadOptions().Validate(); err != nil {
		t.Errorf("DefaultReadOptions: %v", err)
	}
	if err := vecfile.DefaultWriteOptions().Validate(); err != nil {
		t.Errorf("DefaultWriteOptions: %v", err)
	}
	a, b := vecfile.DefaultReadOptions(), vecfile.DefaultReadOptions()
	a.Limit = 5
	if b.Limit != 0 {
		t.Error("DefaultReadOptions returns a shared value")
	}
}

func TestRead_Progress(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("3000 8\n")
	for i := range 3000 {
		buf.WriteString("w" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + itoa3(i))
		buf.WriteString(" 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8\n")
	}
	var calls [][2]int64
	opts := vecfile.ReadOptions{Progress: func(done, total int64) { calls = append(calls, [2]int64{done, total}) }}
	tab, err := readBytes(buf.Bytes(), "p.txt", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.words) != 3000 || len(calls) == 0 {
		t.Fatalf("read %d rows with %d progress calls", len(tab.words), len(calls))
	}
	size := int64(buf.Len())
	for i, c := range calls {
		if c[1] != size || c[0] < 0 || c[0] > size || i > 0 && c[0] < calls[i-1][0] {
			t.Fatalf("progress call %d = %v (size %d): not monotone within [0, size]", i, c, size)
		}
	}
	if last := calls[len(calls)-1]; last[0] != size {
		t.Errorf("last progress = %v, want done == total", last)
	}
}

func itoa3(i int) string {
	return string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

func TestRead_CallbackErrorAndCancel(t *testing.T) {
	in := []byte("3 1\na 1\nb 2\nc 3\n")
	r, err := vecfile.NewReader(bytes.NewReader(in), int64(len(in)), "x.txt", vecfile.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	if err := r.Read(context.Background(), func(*vecfile.Batch) error { return stop }); err != stop {
		t.Errorf("Read with a failing callback = %v, want its error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Read(ctx, func(*vecfile.Batch) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context = %v, want context.Canceled", err)
	}
	// The reader can read again from the start.
	tab, err := readAll(r)
	if err != nil || !slices.Equal(tab.words, []string{"a", "b", "c"}) {
		t.Errorf("Read again = %q, %v", tab.words, err)
	}
}

// TestRead_HugeHeader checks that a header claiming far more rows than the
// file holds does not make the reader allocate them.
func TestRead_HugeHeader(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		opts vecfile.ReadOptions
	}{
		{"text", []byte("1000000000000 100\na 1\n"), vecfile.ReadOptions{}},
		{"textOneGoodRow", []byte("1000000000000 2\na 1 2\n"), vecfile.ReadOptions{}},
		{"binaryOneGoodRow", []byte("1000000000000 1\n" + bin("a", false, 1)), vecfile.ReadOptions{Format: vecfile.Word2VecBinary}},
		{"textDim", []byte("1 16000000\na 1 2\n"), vecfile.ReadOptions{}},
		{"binary", []byte("1000000000000 16000000\na \x00\x00"), vecfile.ReadOptions{Format: vecfile.Word2VecBinary}},
		{"npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 16000000), }", nil), vecfile.ReadOptions{}},
		{"safetensors", stFile(`{"w":{"dtype":"F32","shape":[1000000000000,1000000],"data_offsets":[0,4000000000000000000]}}`, nil), vecfile.ReadOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := readBytes(tt.in, "huge", tt.opts)
			runtime.ReadMemStats(&after)
			var fe *vecfile.FormatError
			if !errors.As(err, &fe) {
				t.Errorf("read = %v, want a FormatError", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("read allocated %d MiB for a %d-byte file", alloc>>20, len(tt.in))
			}
		})
	}
}
