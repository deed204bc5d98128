package vec

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func TestElem_String_Size(t *testing.T) {
	tests := []struct {
		e     Elem
		name  string
		size  int
		valid bool
	}{
		{Float32, "float32", 4, true},
		{Float16, "float16", 2, true},
		{BFloat16, "bfloat16", 2, true},
		{3, "Elem(3)", 0, false},
		{255, "Elem(255)", 0, false},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.name {
			t.Errorf("Elem(%d).String() = %q, want %q", uint8(tt.e), got, tt.name)
		}
		if got := tt.e.Size(); got != tt.size {
			t.Errorf("%v.Size() = %d, want %d", tt.e, got, tt.size)
		}
		if got := tt.e.Valid(); got != tt.valid {
			t.Errorf("%v.Valid() = %v, want %v", tt.e, got, tt.valid)
		}
	}
}

func TestParseElem(t *testing.T) {
	tests := []struct {
		in   string
		want Elem
		ok   bool
	}{
		{"float32", Float32, true}, {"F32", Float32, true}, {"fp32", Float32, true}, {"float", Float32, true},
		{"float16", Float16, true}, {"f16", Float16, true}, {"FP16", Float16, true}, {"half", Float16, true},
		{"bfloat16", BFloat16, true}, {" BF16 ", BFloat16, true},
		{"", Float32, false}, {"float64", Float32, false}, {"bf 16", Float32, false}, {"int8", Float32, false},
	}
	for _, tt := range tests {
		if got, ok := ParseElem(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseElem(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for e := Float32; e <= BFloat16; e++ {
		if got, ok := ParseElem(e.String()); got != e || !ok {
			t.Errorf("ParseElem(%q) = %v, %v, want %v, true", e.String(), got, ok, e)
		}
	}
}

// TestElem_JSON pins the encoding that table metadata has always had: the
// number, not the name. Files written before and after must read alike.
func TestElem_JSON(t *testing.T) {
	type meta struct {
		Elem Elem `json:"elem"`
	}
	for e, want := range map[Elem]string{Float32: `{"elem":0}`, Float16: `{"elem":1}`, BFloat16: `{"elem":2}`} {
		got, err := json.Marshal(meta{e})
		if err != nil || string(got) != want {
			t.Errorf("json.Marshal(%v) = %s, %v, want %s", e, got, err, want)
		}
		var back meta
		if err := json.Unmarshal([]byte(want), &back); err != nil || back.Elem != e {
			t.Errorf("json.Unmarshal(%s) = %v, %v, want %v", want, back.Elem, err, e)
		}
	}
}

// TestElem_EncodeDecode round-trips rows of every length through every
// type, on the fast little-endian path and the portable one, and checks the
// bytes against the scalar conversions.
func TestElem_EncodeDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	saved := littleEndian
	defer func() { littleEndian = saved }()
	for _, n := range []int{0, 1, 2, 7, 100} {
		v := randVec(rng, n)
		if n > 2 {
			v[1], v[2] = math.MaxFloat32, float32(math.Inf(-1))
		}
		for e := Float32; e <= BFloat16; e++ {
			want := make([]byte, n*e.Size())
			for i, f := range v {
				switch e {
				case Float32:
					binary.LittleEndian.PutUint32(want[4*i:], math.Float32bits(f))
				case Float16:
					binary.LittleEndian.PutUint16(want[2*i:], Float32ToFloat16(f))
				case BFloat16:
					binary.LittleEndian.PutUint16(want[2*i:], Float32ToBFloat16(f))
				}
			}
			for _, le := range []bool{true, false} {
				littleEndian = le
				raw := make([]byte, n*e.Size())
				e.Encode(raw, v)
				if !bytes.Equal(raw, want) {
					t.Errorf("%v.Encode(len %d, littleEndian %v) = %x, want %x", e, n, le, raw, want)
				}
				// Decode from an odd offset: stored rows need not be aligned.
				buf := append([]byte{0}, raw...)
				got := make([]float32, n)
				e.Decode(got, buf[1:])
				for i := range got {
					var w float32
					switch e {
					case Float32:
						w = v[i]
					case Float16:
						w = Float16ToFloat32(Float32ToFloat16(v[i]))
					case BFloat16:
						w = BFloat16ToFloat32(Float32ToBFloat16(v[i]))
					}
					if math.Float32bits(got[i]) != math.Float32bits(w) {
						t.Errorf("%v.Decode(len %d, littleEndian %v)[%d] = %v, want %v", e, n, le, i, got[i], w)
					}
				}
			}
		}
	}
}

func TestElem_FirstNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	tests := []struct {
		name string
		v    []float32
		want int
	}{
		{"Empty", nil, -1},
		{"Finite", []float32{0, -1, 65504, math.SmallestNonzeroFloat32}, -1},
		{"NaN", []float32{1, 2, nan, inf}, 2},
		{"Inf", []float32{-inf, 1}, 0},
	}
	for _, tt := range tests {
		for e := Float32; e <= BFloat16; e++ {
			raw := make([]byte, len(tt.v)*e.Size())
			e.Encode(raw, tt.v)
			if got := e.FirstNonFinite(raw); got != tt.want {
				t.Errorf("%s: %v.FirstNonFinite = %d, want %d", tt.name, e, got, tt.want)
			}
		}
	}
	// 65520 rounds to +Inf in float16 only.
	raw := make([]byte, 2)
	Float16.Encode(raw, []float32{65520})
	if got := Float16.FirstNonFinite(raw); got != 0 {
		t.Errorf("Float16.FirstNonFinite(65520) = %d, want 0", got)
	}
}
