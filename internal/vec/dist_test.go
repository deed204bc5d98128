package vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// lengths covers every tail of the assembly (32-, 8-, 4- and 1-wide steps)
// up to 70, then a few embedding sizes and an odd large one.
func lengths() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 100, 300, 768, 1536, 4097)
}

func randVec(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

func fill(n int, f func(i int) float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = f(i)
	}
	return v
}

// adversarial returns pairs of vectors of length n that stress rounding and
// the special values: all equal, the largest and smallest floats, signed
// zeros, and sums that cancel.
func adversarial(n int) map[string][2][]float32 {
	const maxF, tiny = math.MaxFloat32, math.SmallestNonzeroFloat32
	return map[string][2][]float32{
		"Zeros":      {fill(n, func(int) float32 { return 0 }), fill(n, func(int) float32 { return 0 })},
		"NegZeros":   {fill(n, func(int) float32 { return float32(math.Copysign(0, -1)) }), fill(n, func(int) float32 { return 1 })},
		"AllEqual":   {fill(n, func(int) float32 { return 0.1 }), fill(n, func(int) float32 { return 0.1 })},
		"Ones":       {fill(n, func(int) float32 { return 1 }), fill(n, func(int) float32 { return -1 })},
		"Max":        {fill(n, func(int) float32 { return maxF }), fill(n, func(int) float32 { return maxF })},
		"MaxNeg":     {fill(n, func(int) float32 { return maxF }), fill(n, func(int) float32 { return -maxF })},
		"Tiny":       {fill(n, func(int) float32 { return tiny }), fill(n, func(int) float32 { return tiny })},
		"TinyVsMax":  {fill(n, func(int) float32 { return tiny }), fill(n, func(int) float32 { return maxF })},
		"Alternate":  {fill(n, func(i int) float32 { return float32(1 - 2*(i&1)) }), fill(n, func(int) float32 { return 3 })},
		"Cancelling": {fill(n, func(i int) float32 { return float32(1-2*(i&1)) * 1e20 }), fill(n, func(int) float32 { return 1e10 })},
	}
}

// naive returns the float64 sum of terms and the sum of their magnitudes,
// which bounds the rounding error of any float32 summation order.
func naive(a, b []float32, term func(x, y float64) float64) (sum, mag float64) {
	for i := range a {
		t := term(float64(a[i]), float64(b[i]))
		sum += t
		mag += math.Abs(t)
	}
	return sum, mag
}

func dotTerm(x, y float64) float64 { return x * y }
func l2Term(x, y float64) float64  { return (x - y) * (x - y) }

// within reports whether got and want agree within the rounding error of
// float32 sums of n terms of total magnitude mag. Infinities and NaN must
// match exactly: every input here that overflows overflows in any order.
func within(got, want float32, n int, mag float64) bool {
	g, w := float64(got), float64(want)
	if math.IsNaN(g) || math.IsNaN(w) || math.IsInf(g, 0) || math.IsInf(w, 0) {
		return math.IsNaN(g) && math.IsNaN(w) || g == w
	}
	return math.Abs(g-w) <= 4*float64(n+2)*0x1p-24*mag
}

// kernelPair is one kernel in assembly and in Go.
type kernelPair struct {
	name     string
	asm, gen func(a, b []float32) float32
	term     func(x, y float64) float64
	dispatch func(a, b []float32) float32
}

var distKernels = []kernelPair{
	{"Dot", dotAVX2, dotGo, dotTerm, Dot},
	{"SquaredL2", l2AVX2, l2Go, l2Term, SquaredL2},
}

func TestDist_GoMatchesFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range distKernels {
		for _, n := range lengths() {
			a, b := randVec(rng, n), randVec(rng, n)
			want, mag := naive(a, b, k.term)
			for name, f := range map[string]func(a, b []float32) float32{"Go": k.gen, "dispatch": k.dispatch} {
				if got := f(a, b); math.Abs(float64(got)-want) > 4*float64(n+2)*0x1p-24*mag {
					t.Errorf("%s %s(len %d) = %v, want %v", name, k.name, n, got, want)
				}
			}
		}
	}
}

// TestDist_AsmMatchesGo checks the assembly against the portable code on
// random and adversarial vectors of every length, and that the dispatching
// kernel picks the assembly exactly when it should.
func TestDist_AsmMatchesGo(t *testing.T) {
	if !cpuAVX2 {
		t.Skip("the CPU has no AVX2+FMA (or this is not amd64): only the Go kernels exist")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range distKernels {
		for _, n := range lengths() {
			cases := adversarial(n)
			cases["Random"] = [2][]float32{randVec(rng, n), randVec(rng, n)}
			// b longer than a: the kernels read only len(a) elements.
			cases["LongerB"] = [2][]float32{randVec(rng, n), randVec(rng, n+9)}
			for name, c := range cases {
				a, b := c[0], c[1]
				_, mag := naive(a, b[:n], k.term)
				got, want := k.asm(a, b[:n]), k.gen(a, b)
				if !within(got, want, n, mag) {
					t.Errorf("%s/%s: asm %s(len %d) = %v, Go = %v", name, k.name, k.name, n, got, want)
				}
				wantD := want
				if useAVX2 && n >= 8 {
					wantD = got
				}
				if d := k.dispatch(a, b); math.Float32bits(d) != math.Float32bits(wantD) && !(d != d && wantD != wantD) {
					t.Errorf("%s/%s: %s(len %d) = %v, want %v", name, k.name, k.name, n, d, wantD)
				}
			}
		}
	}
}

// TestDist_BatchMatchesSingle checks that the batch and scan kernels give,
// bit for bit, what the single-vector kernel gives for each row: they share
// its order of summation, which the index's results depend on.
func TestDist_BatchMatchesSingle(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, dim := range []int{1, 3, 4, 7, 8, 9, 31, 32, 33, 100, 129} {
		const rows = 17
		base := randVec(rng, rows*dim)
		base[3*dim] = math.MaxFloat32 // one overflowing row
		q := randVec(rng, dim)
		for _, k := range []int{0, 1, 2, 5, 40} {
			idx := make([]uint32, k)
			for i := range idx {
				idx[i] = uint32(rng.IntN(rows))
			}
			if k > 1 {
				idx[k-1], idx[0] = 3, 3 // repeated, and the overflowing row last
			}
			for _, bk := range []struct {
				name   string
				batch  func(q, base []float32, idx []uint32, out []float32)
				single func(a, b []float32) float32
			}{{"DotBatch", DotBatch, Dot}, {"SquaredL2Batch", SquaredL2Batch, SquaredL2}} {
				out := make([]float32, k+1)
				out[k] = 42 // past the batch: untouched
				bk.batch(q, base, idx, out[:k])
				for i, r := range idx {
					if want := bk.single(q, base[int(r)*dim:int(r)*dim+dim]); math.Float32bits(out[i]) != math.Float32bits(want) {
						t.Errorf("dim %d: %s row %d = %v, want %v", dim, bk.name, r, out[i], want)
					}
				}
				if out[k] != 42 {
					t.Errorf("dim %d: %s wrote past len(idx)", dim, bk.name)
				}
			}
		}
		for _, nr := range []int{0, 1, 2, rows} {
			out := make([]float32, nr)
			DotRows(q, base, out)
			for r := range out {
				if want := Dot(q, base[r*dim:r*dim+dim]); math.Float32bits(out[r]) != math.Float32bits(want) {
					t.Errorf("dim %d: DotRows row %d = %v, want %v", dim, r, out[r], want)
				}
			}
		}
	}
}

func TestDist_Panics(t *testing.T) {
	q := make([]float32, 16)
	base := make([]float32, 3*16)
	tests := []struct {
		name string
		f    func()
	}{
		{"DotBatchRowOutOfRange", func() { DotBatch(q, base, []uint32{0, 3}, make([]float32, 2)) }},
		{"SquaredL2BatchRowOutOfRange", func() { SquaredL2Batch(q, base, []uint32{5}, make([]float32, 1)) }},
		{"DotBatchShortOut", func() { DotBatch(q, base, []uint32{0, 1}, make([]float32, 1)) }},
		{"DotRowsShort", func() { DotRows(q, base, make([]float32, 4)) }},
		{"DotShortB", func() { Dot(q, base[:15:15]) }},
		{"SquaredL2ShortB", func() { SquaredL2(q, base[:15:15]) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", tt.name)
				}
			}()
			tt.f()
		})
	}
}

func BenchmarkDot(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{100, 768} {
		x, y := randVec(rng, n), randVec(rng, n)
		var sink float32
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink += Dot(x, y)
			}
		})
		_ = sink
	}
}
