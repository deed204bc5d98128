package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		f    float64
		bits int
		want string
	}{
		{float64(float32(0.1)), 32, "0.1"},
		{float64(float32(0.1)), 64, "0.10000000149011612"},
		{0.1, 64, "0.1"},
		{float64(float32(-0.061981447)), 32, "-0.061981447"},
		{1e-5, 64, "1e-05"},
		{0.0001, 64, "0.0001"},
		{1234567, 32, "1234567"},
		{123456.5, 64, "123456.5"},
		{1e20, 64, "100000000000000000000"},
		{1e21, 64, "1e+21"},
		{0, 32, "0"},
		{math.Copysign(0, -1), 32, "-0"},
		{math.NaN(), 32, "NaN"},
		{math.Inf(-1), 64, "-Inf"},
	}
	for _, tt := range tests {
		if got := formatFloat(tt.f, tt.bits); got != tt.want {
			t.Errorf("formatFloat(%v, %d) = %q, want %q", tt.f, tt.bits, got, tt.want)
		}
	}
}

// TestFormatFloat_RoundTrip checks the promise of DESIGN.md: printed
// numbers read back to the same float32 (or float64).
func TestFormatFloat_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		f := math.Float32frombits(rng.Uint32())
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			continue
		}
		s := formatFloat(float64(f), 32)
		back, err := strconv.ParseFloat(s, 32)
		if err != nil || float32(back) != f {
			t.Fatalf("formatFloat(%v, 32) = %q, which reads back as %v, %v", f, s, float32(back), err)
		}
		d := math.Float64frombits(rng.Uint64())
		if math.IsNaN(d) || math.IsInf(d, 0) {
			continue
		}
		s = formatFloat(d, 64)
		if back, err := strconv.ParseFloat(s, 64); err != nil || back != d {
			t.Fatalf("formatFloat(%v, 64) = %q, which reads back as %v, %v", d, s, back, err)
		}
	}
}

func TestShortVector(t *testing.T) {
	long := make([]float32, 100)
	for i := range long {
		long[i] = float32(i) / 4
	}
	tests := []struct {
		v    []float32
		want string
	}{
		{nil, "[]"},
		{[]float32{0.5}, "[0.5]"},
		{long[:8], "[0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]"},
		{long[:9], "[0, 0.25, 0.5, ..., 1.75, 2] (9 values)"},
		{long, "[0, 0.25, 0.5, ..., 24.5, 24.75] (100 values)"},
	}
	for _, tt := range tests {
		if got := shortVector(tt.v, shortVectors); got != tt.want {
			t.Errorf("shortVector(%d values, %d) = %q, want %q", len(tt.v), shortVectors, got, tt.want)
		}
	}
	// .vectors N: N values, the first ones and the last ones.
	for n, want := range map[int]string{
		1: "[0, ...] (100 values)",
		2: "[0, ..., 24.75] (100 values)",
		4: "[0, 0.25, ..., 24.5, 24.75] (100 values)",
	} {
		if got := shortVector(long, n); got != want {
			t.Errorf("shortVector(100 values, %d) = %q, want %q", n, got, want)
		}
	}
}

func TestScreenText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"python", "python"},
		{"你好 Ġ", "你好 Ġ"},
		{"two\nlines\tand\rmore", `two\nlines\tand\rmore`},
		{"bell\a", `bell\x07`},
		{"bad \xff byte", `bad \xff byte`},
		{"keep \uFFFD", "keep \uFFFD"},
		{"\u0085next line", `\u0085next line`},
	}
	for _, tt := range tests {
		if got := screenText(tt.in); got != tt.want {
			t.Errorf("screenText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{`say "hi" \ o/`, `"say \"hi\" \\ o/"`},
		{"a\nb\tc\x01", `"a\nb\tc\u0001"`},
		{"<&> é 你好", `"<&> é 你好"`},
		{"bad\xffbyte", `"bad\ufffdbyte"`},
	}
	for _, tt := range tests {
		if got := string(appendJSONString(nil, tt.in)); got != tt.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// sanitized is s with each invalid byte as U+FFFD, as a JSON decoder
// reads an encoded string back.
func sanitized(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\"back\\slash", "\x00\x1f\x7f", "\xff\xfe", "é你好\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("appendJSONString(%q) = %s: not JSON: %v", s, b, err)
		}
		if want := sanitized(s); back != want {
			t.Fatalf("appendJSONString(%q) = %s, reads back as %q, want %q", s, b, back, want)
		}
	})
}

func FuzzScreenText(f *testing.F) {
	for _, s := range []string{"", "plain", "a\nb", "\xff", "\u0085", "\uFFFD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := screenText(s)
		if !utf8.ValidString(got) {
			t.Fatalf("screenText(%q) = %q: not valid UTF-8", s, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) {
				t.Fatalf("screenText(%q) = %q: holds control character %U", s, got, r)
			}
		}
	})
}

// TestJSONPrinter_Values checks that every kind of value gives valid JSON,
// with NaN and infinities as null.
func TestJSONPrinter_Values(t *testing.T) {
	var buf bytes.Buffer
	p := &jsonPrinter{w: &buf}
	cols := []string{"n", "b", "i", "f32", "f64", "nan", "inf", "s", "v", "vnan"}
	p.begin(cols)
	p.row([]any{nil, false, int64(-3), float32(0.1), 0.1, math.NaN(), math.Inf(1), "x\"y",
		[]float32{1, -0.5, 1e-7}, []float32{float32(math.NaN())}})
	got := buf.String()
	want := `{"n":null,"b":false,"i":-3,"f32":0.1,"f64":0.1,"nan":null,"inf":null,"s":"x\"y","v":[1,-0.5,1e-07],"vnan":[null]}` + "\n"
	if got != want {
		t.Errorf("json row = %s, want %s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Errorf("json row %s is not valid JSON", got)
	}
}

// TestTablePrinter_Expanded checks that a table wider than the limit is
// printed record by record, values in full.
func TestTablePrinter_Expanded(t *testing.T) {
	var buf bytes.Buffer
	p := &tablePrinter{w: &buf, opts: printOptions{header: true, width: 30}, style: styles[modeTable]}
	p.begin([]string{"word", "vector"})
	p.row([]any{"cat", []float32{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}})
	p.row([]any{"dog", nil})
	if err := p.end(); err != nil {
		t.Fatal(err)
	}
	want := `-[ RECORD 1 ]-----------------
word   | cat
vector | [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
-[ RECORD 2 ]-----------------
word   | dog
vector | NULL
`
	if got := buf.String(); got != want {
		t.Errorf("expanded table =\n%s\nwant\n%s", got, want)
	}
}

// TestPrintRows_Abbreviate checks that the REPL's table mode shortens
// vectors while csv keeps them whole.
func TestPrintRows_Abbreviate(t *testing.T) {
	d := testDB(t)
	ctx := context.Background()
	q := "SELECT [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5] AS v"
	for _, tt := range []struct {
		opts printOptions
		want string
	}{
		{printOptions{mode: modeTable, header: true, vectors: shortVectors},
			"+----------------------------------------+\n| v                                      |\n+----------------------------------------+\n| [0.5, 1, 1.5, ..., 4.5, 5] (10 values) |\n+----------------------------------------+\n"},
		{printOptions{mode: modeCSV}, "\"[0.5,1,1.5,2,2.5,3,3.5,4,4.5,5]\"\n"},
	} {
		rows, err := d.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := printRows(ctx, &buf, rows, tt.opts); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if got := buf.String(); got != tt.want {
			t.Errorf("printRows(%+v) =\n%s\nwant\n%s", tt.opts, got, tt.want)
		}
	}
}
