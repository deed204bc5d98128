package vec

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// normInputs returns vectors of every length up to 70 and a few long ones,
// random, then at the extremes: the largest float32s (whose squares need
// float64's range), subnormals, all zeros, alternating signs.
func normInputs() map[string][]float32 {
	rng := rand.New(rand.NewPCG(11, 12))
	in := map[string][]float32{}
	for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 31, 33, 64, 70, 100, 1536, 1543} {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		in["random/"+strconv.Itoa(n)] = v
		big, tiny, zero, alt := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range big {
			big[i] = math.MaxFloat32
			tiny[i] = math.SmallestNonzeroFloat32 * float32(i+1)
			alt[i] = float32(1 - 2*(i%2))
		}
		in["max/"+strconv.Itoa(n)], in["subnormal/"+strconv.Itoa(n)], in["zero/"+strconv.Itoa(n)], in["alternating/"+strconv.Itoa(n)] = big, tiny, zero, alt
	}
	return in
}

func TestSumSquares(t *testing.T) {
	for name, v := range normInputs() {
		want := sumSquaresGo(v)
		if got := SumSquares(v); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%s: SumSquares %v, Go %v", name, got, want)
		}
		if cpuAVX2 && len(v) >= 16 {
			if got := sumSquaresAVX2(v); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("%s: AVX2 %v, Go %v", name, got, want)
			}
		}
		var ref float64 // in order: differs from the lanes' sum by rounding only
		for _, x := range v {
			ref += float64(x) * float64(x)
		}
		if d := math.Abs(want - ref); d > 1e-13*ref {
			t.Errorf("%s: %v, in order %v", name, want, ref)
		}
	}
	// A NaN or an infinity anywhere makes the sum non-finite; finite values never do.
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		for _, n := range []int{1, 16, 17, 40, 1536} {
			for _, at := range []int{0, n / 2, n - 1} {
				v := make([]float32, n)
				v[at] = bad
				if s := SumSquares(v); !math.IsNaN(s) && !math.IsInf(s, 0) {
					t.Errorf("n=%d %v at %d: sum %v", n, bad, at, s)
				}
			}
		}
	}
}

func TestScale(t *testing.T) {
	for name, v := range normInputs() {
		for _, s := range []float32{0.37, 1 / float32(math.Sqrt(3)), -2, 0} {
			want := make([]float32, len(v))
			for i, x := range v {
				want[i] = x * s
			}
			dst := make([]float32, len(v)+1)
			dst[len(v)] = 42 // past the answer: must stay
			Scale(dst, v, s)
			for i := range want {
				if math.Float32bits(dst[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s s=%v: element %d is %v, want %v", name, s, i, dst[i], want[i])
				}
			}
			if dst[len(v)] != 42 {
				t.Fatalf("%s: Scale wrote past len(v)", name)
			}
			in := append([]float32(nil), v...)
			Scale(in, in, s)
			for i := range want {
				if math.Float32bits(in[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s s=%v in place: element %d is %v, want %v", name, s, i, in[i], want[i])
				}
			}
		}
	}
}
