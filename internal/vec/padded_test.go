package vec

import (
	"fmt"
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

// closeSlices reports whether a and b agree within tol relative to
// 1+|b[i]|, with infinities and NaN matching exactly.
func closeSlices(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			if !(math.IsNaN(x) && math.IsNaN(y) || x == y) {
				return false
			}
			continue
		}
		if math.Abs(x-y) > tol*(1+math.Abs(y)) {
			return false
		}
	}
	return true
}

// paddedKernels are the padded kernels, each run through either the
// assembly or the portable Go code.
type paddedKernels struct {
	dot     func(x, m []float32, stride int, idx []int32, out []float32)
	update  func(x, m []float32, stride int, idx []int32, g, work []float32)
	sum     func(m []float32, stride int, idx []int32, scale float32, out []float32)
	add     func(m []float32, stride int, idx []int32, v []float32)
	axpy    func(a float32, x, y []float32, n int)
	gemvAdd func(m []float32, stride int, idx []int32, g, out []float32)
}

var goKernels = paddedKernels{paddedDotGo, paddedUpdateGo, paddedSumGo, paddedAddGo, axpyGo, paddedGemvAddGo}

// asmKernels calls the assembly directly, whatever EMBEDDB_NOASM says, with
// the wrappers' handling of empty row lists.
var asmKernels = paddedKernels{
	dot: func(x, m []float32, stride int, idx []int32, out []float32) {
		if len(idx) > 0 {
			paddedDotAVX2(&x[0], &m[0], stride, &idx[0], len(idx), &out[0])
		}
	},
	update: func(x, m []float32, stride int, idx []int32, g, work []float32) {
		if len(idx) > 0 {
			paddedUpdateAVX2(&x[0], &m[0], stride, &idx[0], &g[0], len(idx), &work[0])
		}
	},
	sum: func(m []float32, stride int, idx []int32, scale float32, out []float32) {
		if len(idx) == 0 {
			paddedSumGo(m, stride, idx, scale, out)
			return
		}
		paddedSumAVX2(&m[0], stride, &idx[0], len(idx), scale, &out[0])
	},
	add: func(m []float32, stride int, idx []int32, v []float32) {
		if len(idx) > 0 {
			paddedAddAVX2(&m[0], stride, &idx[0], len(idx), &v[0])
		}
	},
	axpy: func(a float32, x, y []float32, n int) {
		if n > 0 {
			axpyAVX2(a, &x[0], &y[0], n)
		}
	},
	gemvAdd: func(m []float32, stride int, idx []int32, g, out []float32) {
		if len(idx) > 0 {
			paddedGemvAddAVX2(&m[0], stride, &idx[0], &g[0], len(idx), &out[0])
		}
	},
}

// dispatchKernels are the exported wrappers, as the trainer calls them.
var dispatchKernels = paddedKernels{PaddedDot, PaddedUpdate, PaddedSum, PaddedAdd, Axpy, PaddedGemvAdd}

type paddedCase struct {
	name   string
	stride int
	m, x   []float32
	idx    []int32
	g      []float32
}

// run applies every kernel to copies of the case's data and returns the
// results by name.
func (c paddedCase) run(k paddedKernels) map[string][]float32 {
	st, n := c.stride, len(c.idx)
	res := map[string][]float32{}
	dots := make([]float32, n)
	k.dot(c.x, c.m, st, c.idx, dots)
	res["PaddedDot"] = dots
	m2 := append([]float32(nil), c.m...)
	work := make([]float32, st)
	k.update(c.x, m2, st, c.idx, c.g, work)
	res["PaddedUpdate.m"], res["PaddedUpdate.work"] = m2, work
	sum := randSlice(rand.New(rand.NewPCG(0, 0)), st) // garbage to be overwritten
	k.sum(c.m, st, c.idx, 0.5, sum)
	res["PaddedSum"] = sum
	sum1 := make([]float32, st)
	k.sum(c.m, st, c.idx, 1, sum1)
	res["PaddedSum.scale1"] = sum1
	added := append([]float32(nil), c.m...)
	k.add(added, st, c.idx, c.x)
	res["PaddedAdd"] = added
	ax := append([]float32(nil), c.x...)
	k.axpy(0.25, c.m[:st], ax, st)
	res["Axpy"] = ax
	gv := append([]float32(nil), c.x...)
	k.gemvAdd(c.m, st, c.idx, c.g, gv)
	res["PaddedGemvAdd"] = gv
	return res
}

// paddedCases returns random matrices for several strides and row counts,
// including repeated rows (which must see each other's updates, in order),
// and adversarial ones: all rows equal, the largest and smallest floats.
func paddedCases() []paddedCase {
	r := rand.New(rand.NewPCG(1, 2))
	var cases []paddedCase
	const rows = 20
	for _, stride := range []int{8, 16, 104, 304} {
		for _, k := range []int{0, 1, 2, 3, 4, 5, 6, 7, 9, 16} {
			idx := make([]int32, k)
			for i := range idx {
				idx[i] = int32(r.IntN(rows))
			}
			if k > 1 {
				idx[k-1] = idx[0] // a repeated row
			}
			cases = append(cases, paddedCase{fmt.Sprintf("Random/stride=%d/k=%d", stride, k), stride,
				randSlice(r, rows*stride), randSlice(r, stride), idx, randSlice(r, k)})
			for _, v := range []struct {
				name string
				val  float32
			}{{"AllEqual", 0.1}, {"Max", math.MaxFloat32}, {"Tiny", math.SmallestNonzeroFloat32}} {
				cases = append(cases, paddedCase{fmt.Sprintf("%s/stride=%d/k=%d", v.name, stride, k), stride,
					fill(rows*stride, func(int) float32 { return v.val }), fill(stride, func(int) float32 { return v.val }),
					idx, fill(k, func(int) float32 { return v.val })})
			}
		}
	}
	return cases
}

// TestPadded_AsmMatchesGo checks every assembly kernel against the portable
// one.
func TestPadded_AsmMatchesGo(t *testing.T) {
	if !cpuAVX2 {
		t.Skip("the CPU has no AVX2+FMA (or this is not amd64): only the Go kernels exist")
	}
	for _, c := range paddedCases() {
		got, want := c.run(asmKernels), c.run(goKernels)
		for name, w := range want {
			if !closeSlices(got[name], w, 1e-4) {
				t.Errorf("%s: %s asm = %v, Go = %v", c.name, name, got[name][:min(4, len(w))], w[:min(4, len(w))])
			}
		}
	}
}

// TestPadded_Dispatch checks that the exported kernels run the assembly
// when it is selected and the Go code otherwise, bit for bit: the trainer's
// reproducibility with one worker rests on it.
func TestPadded_Dispatch(t *testing.T) {
	impl := goKernels
	if useAVX2 {
		impl = asmKernels
	}
	for _, c := range paddedCases() {
		got, want := c.run(dispatchKernels), c.run(impl)
		for name, w := range want {
			for i := range w {
				if math.Float32bits(got[name][i]) != math.Float32bits(w[i]) {
					t.Errorf("%s: %s[%d] = %v, want %v", c.name, name, i, got[name][i], w[i])
					break
				}
			}
		}
	}
}

// TestPadded_GoMatchesFloat64 checks the portable kernels (and so, through
// TestPadded_AsmMatchesGo, the assembly) against float64 arithmetic.
func TestPadded_GoMatchesFloat64(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const stride, rows = 24, 10
	m, x := randSlice(r, rows*stride), randSlice(r, stride)
	idx := []int32{3, 7, 3, 0}
	g := []float32{0.5, -1, 2, 0.25}
	dots := make([]float32, len(idx))
	paddedDotGo(x, m, stride, idx, dots)
	sum := make([]float32, stride)
	paddedSumGo(m, stride, idx, 0.5, sum)
	gv := make([]float32, stride)
	paddedGemvAddGo(m, stride, idx, g, gv)
	for t2, row := range idx {
		var want float64
		for i := 0; i < stride; i++ {
			want += float64(x[i]) * float64(m[int(row)*stride+i])
		}
		if math.Abs(float64(dots[t2])-want) > 1e-5 {
			t.Errorf("paddedDotGo[%d] = %v, want %v", t2, dots[t2], want)
		}
	}
	for i := 0; i < stride; i++ {
		var s, gs float64
		for t2, row := range idx {
			s += float64(m[int(row)*stride+i])
			gs += float64(g[t2]) * float64(m[int(row)*stride+i])
		}
		if math.Abs(float64(sum[i])-0.5*s) > 1e-5 || math.Abs(float64(gv[i])-gs) > 1e-5 {
			t.Errorf("element %d: paddedSumGo = %v, want %v; paddedGemvAddGo = %v, want %v", i, sum[i], 0.5*s, gv[i], gs)
		}
	}
	// PaddedUpdate: each row's contribution to work is its value before its
	// own update, and the repeated row 3 is updated twice.
	m2 := append([]float32(nil), m...)
	work := make([]float32, stride)
	paddedUpdateGo(x, m2, stride, idx, g, work)
	for i := 0; i < stride; i++ {
		row3 := float64(m[3*stride+i])
		w := 0.5*row3 + (-1)*float64(m[7*stride+i]) + 2*(row3+0.5*float64(x[i])) + 0.25*float64(m[i])
		if math.Abs(float64(work[i])-w) > 1e-5 {
			t.Errorf("paddedUpdateGo work[%d] = %v, want %v", i, work[i], w)
		}
		if want := row3 + 2.5*float64(x[i]); math.Abs(float64(m2[3*stride+i])-want) > 1e-5 {
			t.Errorf("paddedUpdateGo row 3[%d] = %v, want %v", i, m2[3*stride+i], want)
		}
	}
}

func BenchmarkPadded(b *testing.B) {
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
	b.Run("PaddedDot6", func(b *testing.B) {
		for range b.N {
			PaddedDot(x, m, stride, idx, out)
		}
	})
	b.Run("PaddedUpdate6", func(b *testing.B) {
		for i := range g {
			g[i] = 1e-9
		}
		for range b.N {
			PaddedUpdate(x, m, stride, idx, g, work)
		}
	})
}
