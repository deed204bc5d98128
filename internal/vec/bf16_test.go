package vec

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAxpyBFloat16_MatchesGo compares the assembly (where there is one)
// with the plain loop, on lengths around the 8-element blocks and an
// unaligned source.
func TestAxpyBFloat16_MatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 100, 1536} {
		buf := make([]byte, 2*n+1)
		x := buf[1:] // unaligned
		for i := 0; i < n; i++ {
			binary.LittleEndian.PutUint16(x[2*i:], Float32ToBFloat16(rng.Float32()*4-2))
		}
		y := make([]float32, n)
		want := make([]float32, n)
		for i := range y {
			y[i] = rng.Float32()
			want[i] = y[i] + 0.75*BFloat16ToFloat32(binary.LittleEndian.Uint16(x[2*i:]))
		}
		AxpyBFloat16(0.75, x, y)
		for i := range y {
			if math.Abs(float64(y[i]-want[i])) > 1e-6 {
				t.Fatalf("n=%d: y[%d] = %v, want %v", n, i, y[i], want[i])
			}
		}
	}
}

func BenchmarkAxpyBFloat16(b *testing.B) {
	x := make([]byte, 2*1536)
	for i := 0; i < 1536; i++ {
		binary.LittleEndian.PutUint16(x[2*i:], Float32ToBFloat16(float32(i%97)/97-0.5))
	}
	y := make([]float32, 1536)
	b.SetBytes(int64(len(x)))
	for b.Loop() {
		AxpyBFloat16(1, x, y)
	}
}
