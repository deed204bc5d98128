package trainer

import (
	"math"
	"testing"
)

func TestGradient(t *testing.T) {
	tests := []struct {
		f, label, alpha float32
		want            float64
	}{
		{0, 1, 1, 0.5},
		{0, 0, 1, -0.5},
		{6, 1, 1, 0},
		{-6, 0, 1, 0},
		{5.99, 1, 1, 1 - 1/(1+math.Exp(-5.99))},
		{-3, 1, 0.1, 0.1 * (1 - 1/(1+math.Exp(3)))},
	}
	for _, tt := range tests {
		got := gradient(tt.f, tt.label, tt.alpha)
		if math.Abs(float64(got)-tt.want) > 0.01 {
			t.Errorf("gradient(%v, %v, %v) = %v, want %v", tt.f, tt.label, tt.alpha, got, tt.want)
		}
	}
}
