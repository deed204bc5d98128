package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// halfRows narrows rows of float32 into 16-bit patterns of type e.
func halfRows(e Elem, v []float32) []uint16 {
	out := make([]uint16, len(v))
	for i, x := range v {
		if e == Float16 {
			out[i] = Float32ToFloat16(x)
		} else {
			out[i] = Float32ToBFloat16(x)
		}
	}
	return out
}

// halfRef is the dot product of q with the widened row in float64, and the
// sum of the magnitudes of its terms (the bound on any float32 rounding).
func halfRef(e Elem, q []float32, row []uint16) (sum, mag float64) {
	w := widener(e)
	for i := range q {
		t := float64(q[i]) * float64(w(row[i]))
		sum += t
		mag += math.Abs(t)
	}
	return sum, mag
}

func checkHalf(t *testing.T, name string, got, sum, mag float64, n int) {
	t.Helper()
	if mag > math.MaxFloat32 {
		// Partial sums may overflow float32 in one summation order and
		// not in another: only a total beyond float32 must overflow.
		if math.Abs(sum) > math.MaxFloat32 && !math.IsInf(got, 0) && !math.IsNaN(got) {
			t.Errorf("%s: got %v, want an overflow", name, got)
		}
		return
	}
	tol := float64(n+2)*mag*(1.0/(1<<23)) + 1e-37
	if math.Abs(got-sum) > tol {
		t.Errorf("%s: got %v, want %v (±%g)", name, got, sum, tol)
	}
}

// halfKernels runs f once with each set of 16-bit kernels the CPU has:
// the 8-lane ones (AVX2, F16C) and the 16-lane ones (AVX-512 BW), which
// DotRowsHalf prefers.
func halfKernels(t *testing.T, f func(*testing.T)) {
	defer func(u bool) { useHalf16 = u }(useHalf16)
	for _, wide := range []bool{false, true} {
		if wide && !cpuBW512 {
			t.Log("no AVX-512 BW: the 16-lane kernels are not checked")
			continue
		}
		useHalf16 = wide
		t.Run(map[bool]string{false: "8lanes", true: "16lanes"}[wide], f)
	}
}

// TestDotRowsHalf_MatchesGo compares the kernels (assembly where the CPU
// has it) with the exact float64 answer and the portable code, for every
// length up to 70 and embedding sizes (tails of 0-7 elements), on random
// rows and adversarial ones: all equal, the largest and smallest values of
// each type, subnormal float16, signed zeros, cancelling sums.
func TestDotRowsHalf_MatchesGo(t *testing.T) { halfKernels(t, testDotRowsHalfMatchesGo) }

func testDotRowsHalfMatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Log("no AVX2 (or EMBEDDB_NOASM set): the portable code is checked against float64 only")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, e := range []Elem{Float16, BFloat16} {
		for _, n := range lengths() {
			if n == 0 {
				continue
			}
			cases := map[string][2][]float32{}
			const rows = 5
			cases["Random"] = [2][]float32{randVec(rng, n), randVec(rng, rows*n)}
			big := float32(65504) // the largest float16
			if e == BFloat16 {
				big = math.Float32frombits(0x7f7f0000) // the largest bfloat16
			}
			cases["AllEqual"] = [2][]float32{fill(n, func(int) float32 { return 0.1 }), fill(rows*n, func(int) float32 { return 0.1 })}
			cases["Max"] = [2][]float32{fill(n, func(int) float32 { return 1 }), fill(rows*n, func(int) float32 { return big })}
			cases["MaxNeg"] = [2][]float32{fill(n, func(i int) float32 { return float32(1 - 2*(i&1)) }), fill(rows*n, func(int) float32 { return -big })}
			cases["Subnormal"] = [2][]float32{fill(n, func(int) float32 { return 1e3 }), fill(rows*n, func(i int) float32 { return float32(i%7) * 6e-8 })}
			cases["NegZero"] = [2][]float32{fill(n, func(int) float32 { return 2 }), fill(rows*n, func(int) float32 { return float32(math.Copysign(0, -1)) })}
			cases["Cancelling"] = [2][]float32{fill(n, func(int) float32 { return 1 }), fill(rows*n, func(i int) float32 { return float32(1-2*(i&1)) * 1000 })}
			for name, c := range cases {
				q, m := c[0], halfRows(e, c[1])
				out := make([]float32, rows)
				DotRowsHalf(e, q, m, out)
				// Scaled, each score is the unscaled one times its
				// scale, rounded once: equal bit for bit.
				scale, scaled := randVec(rng, rows), make([]float32, rows)
				DotRowsHalfScaled(e, q, m, scale, scaled)
				for r := range rows {
					row := m[r*n : r*n+n]
					sum, mag := halfRef(e, q, row)
					label := e.String() + "/" + name
					checkHalf(t, label+"/asm", float64(out[r]), sum, mag, n)
					checkHalf(t, label+"/go", float64(DotHalf(e, q, row)), sum, mag, n)
					if want := out[r] * scale[r]; math.Float32bits(scaled[r]) != math.Float32bits(want) && !(isNaN32(want) && isNaN32(scaled[r])) {
						t.Errorf("%s/scaled: row %d = %v, want %v × %v = %v", label, r, scaled[r], out[r], scale[r], want)
					}
				}
			}
		}
	}
}

// TestDotRowsHalf_TailIsolated puts NaN at the start of every other row:
// the kernel reads a row's tail 8 elements at a time, past its end (into
// the slice's capacity after its last row), and must clear the lanes it
// reads from the next row before any arithmetic.
func TestDotRowsHalf_TailIsolated(t *testing.T) { halfKernels(t, testDotRowsHalfTailIsolated) }

func testDotRowsHalfTailIsolated(t *testing.T) {
	for _, e := range []Elem{Float16, BFloat16} {
		nan := uint16(0x7e00)
		if e == BFloat16 {
			nan = 0x7fc0
		}
		for _, dim := range []int{9, 12, 15, 100, 103} {
			const rows = 6
			q := fill(dim, func(int) float32 { return 1 })
			m := halfRows(e, fill(rows*dim, func(int) float32 { return 0.5 }))
			for r := 1; r < rows; r += 2 {
				m[r*dim] = nan
			}
			out, scaled := make([]float32, rows), make([]float32, rows)
			DotRowsHalf(e, q, m, out)
			DotRowsHalfScaled(e, q, m, fill(rows, func(int) float32 { return 2 }), scaled)
			for r := 0; r < rows; r += 2 {
				if want := float32(dim) / 2; out[r] != want || scaled[r] != 2*want {
					t.Errorf("%v dim %d row %d = %v, scaled by 2 %v, want %v", e, dim, r, out[r], scaled[r], want)
				}
			}
			// A slice that stops before a NaN row: the kernel does its
			// last row too, reading on into the capacity beyond it.
			part := make([]float32, rows-1)
			DotRowsHalf(e, q, m[:(rows-1)*dim], part)
			if want := float32(dim) / 2; part[rows-2] != want {
				t.Errorf("%v dim %d, rows cut before a NaN row: last row = %v, want %v", e, dim, part[rows-2], want)
			}
		}
	}
}

// TestSquaredL2Half checks the Euclidean kernel against float64.
func TestSquaredL2Half(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, e := range []Elem{Float16, BFloat16} {
		for _, n := range []int{1, 3, 8, 100, 1536} {
			q, row := randVec(rng, n), halfRows(e, randVec(rng, n))
			w := widener(e)
			var want, mag float64
			for i := range q {
				d := float64(q[i]) - float64(w(row[i]))
				want += d * d
				mag += d * d
			}
			checkHalf(t, e.String(), float64(SquaredL2Half(e, q, row)), want, mag, n)
		}
	}
}

// TestDotRowsHalf_Panics checks the bounds checks that keep the assembly
// inside rows, and the refusal of 32-bit rows.
func TestDotRowsHalf_Panics(t *testing.T) {
	for name, f := range map[string]func(){
		"Short":   func() { DotRowsHalf(BFloat16, make([]float32, 8), make([]uint16, 15), make([]float32, 2)) },
		"Float32": func() { DotRowsHalf(Float32, make([]float32, 3), make([]uint16, 3), make([]float32, 1)) },
		// Wide enough for the 16-lane kernels, which must refuse it too.
		"Float32Wide": func() { DotRowsHalf(Float32, make([]float32, 32), make([]uint16, 32), make([]float32, 1)) },
		"Scale": func() {
			DotRowsHalfScaled(BFloat16, make([]float32, 8), make([]uint16, 16), make([]float32, 1), make([]float32, 2))
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func BenchmarkDotRowsHalf(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, dim = 4096, 1536
	q := randVec(rng, dim)
	f := randVec(rng, n*dim)
	b.Run("float32", func(b *testing.B) {
		out := make([]float32, n)
		b.SetBytes(int64(len(f)) * 4)
		for b.Loop() {
			DotRows(q, f, out)
		}
	})
	for _, e := range []Elem{Float16, BFloat16} {
		m := halfRows(e, randVec(rng, n*dim))
		out := make([]float32, n)
		b.Run(e.String(), func(b *testing.B) {
			b.SetBytes(int64(len(m)) * 2)
			for b.Loop() {
				DotRowsHalf(e, q, m, out)
			}
		})
	}
}

func isNaN32(x float32) bool { return x != x }
