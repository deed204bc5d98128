package trainer

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

func closeSlices(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > tol {
			return false
		}
	}
	return true
}

// TestKernels_AsmMatchesGo checks every assembly kernel against the pure-Go one, including
// repeated row indexes (which must see each other's updates, in order).
func TestKernels_AsmMatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2+FMA on this CPU (or EMBEDDB_NOASM set): only the Go kernels run")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, stride := range []int{8, 16, 104, 304} {
		for _, k := range []int{1, 2, 3, 4, 5, 6, 7, 9, 16} {
			rows := 20
			m := randSlice(r, rows*stride)
			x := randSlice(r, stride)
			idx := make([]int32, k)
			for i := range idx {
				idx[i] = int32(r.IntN(rows))
			}
			idx[k-1] = idx[0] // a repeated row
			g := randSlice(r, k)
			run := func(asm bool) (dots, m2, work, sum, added, ax, gv []float32) {
				saved := useAVX2
				useAVX2 = asm
				defer func() { useAVX2 = saved }()
				dots = make([]float32, k)
				dotRows(x, m, stride, idx, dots)
				m2 = append([]float32(nil), m...)
				work = make([]float32, stride)
				updateRows(x, m2, stride, idx, g, work)
				sum = make([]float32, stride)
				sumRows(m, stride, idx, 0.5, sum)
				added = append([]float32(nil), m...)
				addRows(added, stride, idx, x)
				ax = append([]float32(nil), x...)
				axpy(0.25, m[:stride], ax, stride)
				gv = append([]float32(nil), x...)
				gemvAdd(m, stride, idx, g, gv)
				return
			}
			d1, m1, w1, s1, a1, x1, g1 := run(true)
			d2, m2, w2, s2, a2, x2, g2 := run(false)
			for name, pair := range map[string][2][]float32{
				"dotRows": {d1, d2}, "updateRows.m": {m1, m2}, "updateRows.work": {w1, w2},
				"sumRows": {s1, s2}, "addRows": {a1, a2}, "axpy": {x1, x2}, "gemvAdd": {g1, g2},
			} {
				if !closeSlices(pair[0], pair[1], 1e-4) {
					t.Errorf("stride %d k %d: %s asm = %v, want %v", stride, k, name, pair[0][:min(4, len(pair[0]))], pair[1][:min(4, len(pair[1]))])
				}
			}
		}
	}
}

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

func BenchmarkKernels(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const stride, rows = 104, 50000
	m := randSlice(r, rows*stride)
	x := randSlice(r, stride)
	idx := make([]int32, 6)
	for i := range idx {
		idx[i] = int32(r.IntN(rows))
	}
	g := randSlice(r, 6)
	out := make([]float32, 6)
	work := make([]float32, stride)
	b.Run("dotRows6", func(b *testing.B) {
		for range b.N {
			dotRows(x, m, stride, idx, out)
		}
	})
	b.Run("updateRows6", func(b *testing.B) {
		for i := range g {
			g[i] = 1e-9
		}
		for range b.N {
			updateRows(x, m, stride, idx, g, work)
		}
	})
}
