package vec

import (
	"math"
	"testing"
)

func TestBFloat16_RoundTrip(t *testing.T) {
	// Every bfloat16 pattern widens and narrows back to itself (NaNs stay NaN).
	for h := 0; h < 1<<16; h++ {
		f := BFloat16ToFloat32(uint16(h))
		got := Float32ToBFloat16(f)
		if math.IsNaN(float64(f)) {
			if !math.IsNaN(float64(BFloat16ToFloat32(got))) {
				t.Fatalf("bf16 %#04x: NaN became %#04x", h, got)
			}
			continue
		}
		if got != uint16(h) {
			t.Fatalf("Float32ToBFloat16(BFloat16ToFloat32(%#04x)) = %#04x", h, got)
		}
	}
}

func TestFloat16_RoundTrip(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := Float16ToFloat32(uint16(h))
		got := Float32ToFloat16(f)
		if math.IsNaN(float64(f)) {
			if !math.IsNaN(float64(Float16ToFloat32(got))) {
				t.Fatalf("f16 %#04x: NaN became %#04x", h, got)
			}
			continue
		}
		if got != uint16(h) {
			t.Fatalf("Float32ToFloat16(Float16ToFloat32(%#04x)) = %#04x", h, got)
		}
	}
}

func TestFloat16_Values(t *testing.T) {
	tests := []struct {
		f    float32
		want uint16
	}{
		{0, 0x0000},
		{1, 0x3c00},
		{-2, 0xc000},
		{65504, 0x7bff},
		{65520, 0x7c00},                       // rounds up to +Inf
		{float32(math.Inf(-1)), 0xfc00},       //
		{5.960464477539063e-08, 0x0001},       // smallest subnormal
		{1.0009765625, 0x3c01},                // 1 + 2^-10
		{1.00048828125, 0x3c00},               // tie, rounds to even
		{1.00146484375, 0x3c02},               // tie, rounds to even (up)
		{float32(math.Float32frombits(1)), 0}, // underflows to zero
	}
	for _, tt := range tests {
		if got := Float32ToFloat16(tt.f); got != tt.want {
			t.Errorf("Float32ToFloat16(%v) = %#04x, want %#04x", tt.f, got, tt.want)
		}
	}
}

func TestBFloat16_Values(t *testing.T) {
	tests := []struct {
		f    float32
		want uint16
	}{
		{1, 0x3f80},
		{-1, 0xbf80},
		{math.Float32frombits(0x3f808000), 0x3f80}, // tie, to even (down)
		{math.Float32frombits(0x3f818000), 0x3f82}, // tie, to even (up)
		{math.Float32frombits(0x3f808001), 0x3f81}, // above the tie
	}
	for _, tt := range tests {
		if got := Float32ToBFloat16(tt.f); got != tt.want {
			t.Errorf("Float32ToBFloat16(%v) = %#04x, want %#04x", tt.f, got, tt.want)
		}
	}
}
