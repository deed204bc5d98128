package vecfile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// numpyFloat32 is the reference: numpy.float32(s) parses a Python float
// (float64, correctly rounded) and rounds it to float32.
func numpyFloat32(s string) float32 {
	f, _ := strconv.ParseFloat(s, 64)
	return float32(f)
}

func TestParseFloat32_Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	formats := []string{"%g", "%.9g", "%.17g", "%f", "%.3f", "%e", "%.12e", "%.20f", "%.1e"}
	for i := range 200000 {
		var v float64
		switch i % 4 {
		case 0:
			v = rng.NormFloat64()
		case 1:
			v = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(80)-40))
		case 2:
			v = float64(math.Float32frombits(rng.Uint32())) // any float32, NaN and Inf included
		case 3:
			v = float64(rng.Int64N(1<<54)) / math.Pow(10, float64(rng.IntN(30)))
		}
		s := fmt.Sprintf(formats[i%len(formats)], v)
		if i%5 == 0 {
			s = strconv.FormatFloat(float64(float32(v)), 'g', -1, 32) // what our writer prints
		}
		got, ok := parseFloat32([]byte(s))
		want := numpyFloat32(s)
		if !ok || math.Float32bits(got) != math.Float32bits(want) && !(want != want && got != got) {
			t.Fatalf("parseFloat32(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

// TestParseFloat32_ShortestRoundTrip checks that what the writer prints
// reads back to the same float32 through numpy's double rounding, over a
// sweep of bit patterns (every 997th float32).
func TestParseFloat32_ShortestRoundTrip(t *testing.T) {
	step := uint32(997)
	if testing.Short() {
		step = 99991
	}
	for b := uint64(0); b < 1<<32; b += uint64(step) {
		f := math.Float32frombits(uint32(b))
		if f != f {
			continue
		}
		s := strconv.AppendFloat(nil, float64(f), 'g', -1, 32)
		got, ok := parseFloat32(s)
		if !ok || math.Float32bits(got) != uint32(b) {
			t.Fatalf("%#08x printed as %q reads back as %#08x", b, s, math.Float32bits(got))
		}
	}
}

func TestParseFloat32_Syntax(t *testing.T) {
	// What Python's float() accepts and refuses.
	tests := []struct {
		in string
		ok bool
	}{
		{"1", true}, {"-1.5", true}, {"+.5", true}, {"5.", true}, {"1e5", true}, {"1E-5", true},
		{"1_000", true}, {"1_000.000_1", true}, {"1e1_0", true}, {"inf", true}, {"-Infinity", true},
		{"nan", true}, {"+NaN", true}, {"-nan", true}, {"1e400", true}, {"1e-400", true},
		{"", false}, {"-", false}, {".", false}, {"e5", false}, {"1e", false}, {"1e+", false},
		{"0x10", false}, {"1__0", false}, {"_1", false}, {"1_", false}, {"1_.5", false}, {"1._5", false},
		{"infinit", false}, {"nan(1)", false}, {"1.5.5", false}, {"1e5.5", false}, {"--1", false}, {"1 ", false},
		{"١٢", false}, // Python accepts Arabic-Indic digits; we do not
	}
	for _, tt := range tests {
		if _, ok := parseFloat32([]byte(tt.in)); ok != tt.ok {
			t.Errorf("parseFloat32(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestDecodeUTF8(t *testing.T) {
	// Expected values from CPython 3.11's bytes.decode("utf-8", errors).
	tests := []struct {
		in, replace, ignore string
		bad                 int
	}{
		{"abc", "abc", "abc", -1},
		{"caf\xc3", "caf\ufffd", "caf", 3},
		{"\xe4\xbd", "\ufffd", "", 0},
		{"a\xffb", "a\ufffdb", "ab", 1},
		{"\xed\xa0\x80x", "\ufffd\ufffd\ufffdx", "x", 0},
		{"\xf0\x9f\x98", "\ufffd", "", 0},
		{"\xc0\xaf", "\ufffd\ufffd", "", 0},
		{"\xf4\x90\x80\x80z", "\ufffd\ufffd\ufffd\ufffdz", "z", 0},
		{"\xe2\x82\xac\xe2\x82", "€\ufffd", "€", 3},
		{"\xe0\x80\xaf", "\ufffd\ufffd\ufffd", "", 0},
		{"\xf0\x9f\x98\x80\x80", "😀\ufffd", "😀", 4},
	}
	for _, tt := range tests {
		if got, _ := decodeUTF8(nil, []byte(tt.in), unicodeReplace); string(got) != tt.replace {
			t.Errorf("decode(%q, replace) = %q, want %q", tt.in, got, tt.replace)
		}
		if got, _ := decodeUTF8(nil, []byte(tt.in), unicodeIgnore); string(got) != tt.ignore {
			t.Errorf("decode(%q, ignore) = %q, want %q", tt.in, got, tt.ignore)
		}
		if _, bad := decodeUTF8(nil, []byte(tt.in), unicodeStrict); bad != tt.bad {
			t.Errorf("decode(%q, strict) bad = %d, want %d", tt.in, bad, tt.bad)
		}
	}
}

func BenchmarkParseFloat32(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var toks [][]byte
	var n int64
	for range 4096 {
		s := strconv.FormatFloat(float64(float32(rng.NormFloat64())), 'g', -1, 32)
		toks = append(toks, []byte(s))
		n += int64(len(s) + 1)
	}
	b.SetBytes(n / int64(len(toks)))
	b.ResetTimer()
	var sink float32
	for i := range b.N {
		f, _ := parseFloat32(toks[i%len(toks)])
		sink += f
	}
	_ = sink
}

func TestEightDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 100000 {
		n := rng.Uint64N(100000000)
		s := fmt.Sprintf("%08d", n)
		v := uint64(0)
		for i := 7; i >= 0; i-- {
			v = v<<8 | uint64(s[i])
		}
		if got := eightDigits(v); got != n {
			t.Fatalf("eightDigits(%q) = %d", s, got)
		}
		if n > 0 {
			if got, want := decimalDigits(n), len(strconv.FormatUint(n, 10)); got != want {
				t.Fatalf("decimalDigits(%d) = %d, want %d", n, got, want)
			}
		}
	}
}
