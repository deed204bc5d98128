package vec

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// u8Lengths covers every step of the int8 kernels (64-, 32- and 16-wide)
// and a few embedding sizes, rounded up to CodeAlign.
func u8Lengths() []int {
	var ns []int
	for n := CodeAlign; n <= 256; n += CodeAlign {
		ns = append(ns, n)
	}
	return append(ns, 112, 304, 768, 1536, 4096)
}

// refDotU8 is the reference: an int64 sum, so that an overflow of the int32
// kernels would show.
func refDotU8(w []int16, c []uint8) int64 {
	var s int64
	for i := range w {
		s += int64(w[i]) * int64(c[i])
	}
	return s
}

func refHamming(a, b []uint64) int64 {
	var n int64
	for i := range a {
		for bit := range 64 {
			if (a[i]>>bit)&1 != (b[i]>>bit)&1 {
				n++
			}
		}
	}
	return n
}

// u8Kernels lists the int8 kernels this CPU can run, by name.
func u8Kernels() map[string]func([]int16, []uint8) int32 {
	k := map[string]func([]int16, []uint8) int32{"go": dotU8Go}
	if cpuAVX2 {
		k["avx2"] = dotU8AVX2
	}
	if cpuVNNI {
		k["avx512vnni"] = dotU8VNNI
	}
	return k
}

func hammingKernels() map[string]func(a, b []uint64) int32 {
	k := map[string]func(a, b []uint64) int32{"go": hammingGo}
	if cpuPOPCNT {
		k["popcnt"] = hammingPOPCNT
	}
	if cpuPOPCNT512 {
		k["avx512vpopcntdq"] = func(a, b []uint64) int32 {
			if len(a) < 8 { // the kernel needs 8 words; Hamming dispatches so
				return hammingPOPCNT(a, b)
			}
			return hammingVPOPCNT(a, b)
		}
	}
	return k
}

// hammingRowsKernels returns HammingRows and each rows kernel this CPU can
// run, with the fewest words a row each accepts.
func hammingRowsKernels() map[string]struct {
	k        func(q, codes []uint64, out []int32)
	minWords int
} {
	type rowsKernel = struct {
		k        func(q, codes []uint64, out []int32)
		minWords int
	}
	asm := func(f func(q, codes *uint64, words, nrows int, out *int32)) func(q, codes []uint64, out []int32) {
		return func(q, codes []uint64, out []int32) { f(&q[0], &codes[0], len(q), len(out), &out[0]) }
	}
	k := map[string]rowsKernel{"HammingRows": {HammingRows, 1}}
	if cpuPOPCNT {
		k["rows-popcnt"] = rowsKernel{asm(hammingRowsPOPCNT), 4}
	}
	if cpuPOPCNT && cpuAVX2 {
		k["rows-avx2"] = rowsKernel{asm(hammingRowsAVX2), 4}
	}
	if cpuPOPCNT512 {
		k["rows-avx512vpopcntdq"] = rowsKernel{asm(hammingRowsVPOPCNT), 8}
	}
	return k
}

// adversarialU8 returns weight and code rows of length n at the extremes:
// all equal, the largest weights with the largest codes (the overflow
// bound), alternating signs, all zero.
func adversarialU8(n int) map[string]struct {
	w []int16
	c []uint8
} {
	mw := MaxWeight(n)
	mk := func(fw func(i int) int16, fc func(i int) uint8) struct {
		w []int16
		c []uint8
	} {
		w, c := make([]int16, n), make([]uint8, n)
		for i := range w {
			w[i], c[i] = fw(i), fc(i)
		}
		return struct {
			w []int16
			c []uint8
		}{w, c}
	}
	return map[string]struct {
		w []int16
		c []uint8
	}{
		"Zeros":      mk(func(int) int16 { return 0 }, func(int) uint8 { return 0 }),
		"AllEqual":   mk(func(int) int16 { return 7 }, func(int) uint8 { return 7 }),
		"MaxMax":     mk(func(int) int16 { return mw }, func(int) uint8 { return 255 }),
		"MinMax":     mk(func(int) int16 { return -mw }, func(int) uint8 { return 255 }),
		"Alternate":  mk(func(i int) int16 { return mw * int16(1-2*(i&1)) }, func(int) uint8 { return 255 }),
		"CodesZero":  mk(func(int) int16 { return -mw }, func(int) uint8 { return 0 }),
		"LastOnly":   mk(func(i int) int16 { return map[bool]int16{true: mw}[i == n-1] }, func(int) uint8 { return 200 }),
		"FirstOnly":  mk(func(i int) int16 { return map[bool]int16{true: -mw}[i == 0] }, func(int) uint8 { return 255 }),
		"RampCodes":  mk(func(int) int16 { return 1 }, func(i int) uint8 { return uint8(i) }),
		"RampWeight": mk(func(i int) int16 { return int16(i%int(mw+1)) - mw/2 }, func(int) uint8 { return 3 }),
	}
}

func TestDotU8_Kernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, k := range u8Kernels() {
		for _, n := range u8Lengths() {
			mw := int(MaxWeight(n))
			for trial := range 20 {
				w, c := make([]int16, n), make([]uint8, n+trial) // longer c: only len(w) is read
				for i := range w {
					w[i] = int16(rng.IntN(2*mw+1) - mw)
				}
				for i := range c {
					c[i] = uint8(rng.IntN(256))
				}
				if got, want := k(w, c), refDotU8(w, c[:n]); int64(got) != want {
					t.Fatalf("%s n=%d trial %d: got %d, want %d", name, n, trial, got, want)
				}
			}
			for aname, a := range adversarialU8(n) {
				if got, want := k(a.w, a.c), refDotU8(a.w, a.c); int64(got) != want {
					t.Errorf("%s n=%d %s: got %d, want %d", name, n, aname, got, want)
				}
			}
		}
	}
}

func TestDotU8_BatchRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, rows = 112, 37
	w := make([]int16, n)
	for i := range w {
		w[i] = int16(rng.IntN(2001) - 1000)
	}
	codes := make([]uint8, n*rows)
	for i := range codes {
		codes[i] = uint8(rng.IntN(256))
	}
	out := make([]int32, rows)
	DotU8Rows(w, codes, out)
	idx := []uint32{36, 0, 5, 5, 17}
	bo := make([]int32, len(idx))
	DotU8Batch(w, codes, idx, bo)
	for r := range rows {
		if want := refDotU8(w, codes[r*n:(r+1)*n]); int64(out[r]) != want {
			t.Fatalf("DotU8Rows row %d = %d, want %d", r, out[r], want)
		}
	}
	for i, x := range idx {
		if bo[i] != out[x] {
			t.Fatalf("DotU8Batch[%d] = %d, want %d", i, bo[i], out[x])
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("DotU8Batch with a row out of range did not panic")
		}
	}()
	DotU8Batch(w, codes, []uint32{rows}, bo)
}

// TestDotU8Batch_Kernels compares every batch kernel this CPU can run with
// the Go one, on random rows (repeated, first and last among them) of every
// code length.
func TestDotU8Batch_Kernels(t *testing.T) {
	kernels := map[string]func(w []int16, codes []uint8, stride int, idx []uint32, out []int32){"go": dotU8BatchGo}
	if cpuAVX2 {
		kernels["avx2"] = dotU8BatchAVX2
	}
	if cpuVNNI {
		kernels["avx512vnni"] = dotU8BatchVNNI
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range u8Lengths() {
		const rows = 50
		mw := int(MaxWeight(n))
		w := make([]int16, n)
		for i := range w {
			w[i] = int16(rng.IntN(2*mw+1) - mw)
		}
		codes := make([]uint8, n*rows)
		for i := range codes {
			codes[i] = uint8(rng.IntN(256))
		}
		idx := []uint32{0, rows - 1, 3, 3, uint32(rng.IntN(rows)), 17}
		for name, k := range kernels {
			out := make([]int32, len(idx)+1)
			out[len(idx)] = 12345 // past the answer: must stay
			k(w, codes, n, idx, out)
			for i, x := range idx {
				if want := refDotU8(w, codes[int(x)*n:int(x+1)*n]); int64(out[i]) != want {
					t.Fatalf("%s n=%d: out[%d] = %d, want %d", name, n, i, out[i], want)
				}
			}
			// Compact rows (stride < len(w)): the weights past the row
			// are zero, so the bytes read from the next row add nothing.
			if stride := n - 5; stride > 0 {
				wz := append([]int16(nil), w...)
				clear(wz[stride:])
				k(wz, codes, stride, idx, out)
				for i, x := range idx {
					if want := refDotU8(wz, codes[int(x)*stride:int(x)*stride+n]); int64(out[i]) != want {
						t.Fatalf("%s n=%d stride %d: out[%d] = %d, want %d", name, n, stride, i, out[i], want)
					}
				}
			}
			if out[len(idx)] != 12345 {
				t.Fatalf("%s n=%d wrote past len(idx)", name, n)
			}
		}
		// Adversarial rows: the extremes of adversarialU8, one row each.
		for aname, a := range adversarialU8(n) {
			for name, k := range kernels {
				out := make([]int32, 2)
				k(a.w, append(append([]uint8(nil), a.c...), a.c...), len(a.w), []uint32{1, 0}, out)
				want := refDotU8(a.w, a.c)
				if int64(out[0]) != want || int64(out[1]) != want {
					t.Errorf("%s n=%d %s: %v, want %d", name, n, aname, out, want)
				}
			}
		}
	}
}

func TestDotU8_BadLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("DotU8 of 15 values did not panic")
		}
	}()
	DotU8(make([]int16, 15), make([]uint8, 15))
}

func TestMaxWeight(t *testing.T) {
	for _, n := range []int{1, 16, 100, 1536, 65536} {
		mw := int64(MaxWeight(n))
		if mw < 1 || mw*255*int64(n) > 1<<31-1 {
			t.Errorf("MaxWeight(%d) = %d overflows or is zero", n, mw)
		}
	}
}

func TestHamming_Kernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var lens []int
	for n := 1; n <= 40; n++ {
		lens = append(lens, n)
	}
	lens = append(lens, 64, 96, 97, 256)
	for name, k := range hammingKernels() {
		for _, n := range lens {
			for trial := range 10 {
				a, b := make([]uint64, n), make([]uint64, n+trial)
				for i := range a {
					a[i] = rng.Uint64()
				}
				for i := range b {
					b[i] = rng.Uint64()
				}
				if got, want := k(a, b), refHamming(a, b[:n]); int64(got) != want {
					t.Fatalf("%s n=%d: got %d, want %d", name, n, got, want)
				}
			}
			all := make([]uint64, n)
			for i := range all {
				all[i] = ^uint64(0)
			}
			none := make([]uint64, n)
			alt := make([]uint64, n)
			for i := range alt {
				alt[i] = 0x5555555555555555
			}
			for cname, c := range map[string][2][]uint64{"Equal": {all, all}, "Opposite": {all, none}, "Zeros": {none, none}, "Alternate": {alt, all}} {
				if got, want := k(c[0], c[1]), refHamming(c[0], c[1]); int64(got) != want {
					t.Errorf("%s n=%d %s: got %d, want %d", name, n, cname, got, want)
				}
			}
		}
	}
	// Each rows kernel the CPU has, and HammingRows's choice, over many rows
	// of every length (random, then rows of all ones, zeros and alternating
	// bits against a random query), against the Go code.
	for name, rowsK := range hammingRowsKernels() {
		for _, n := range lens {
			if n < rowsK.minWords {
				continue
			}
			const rows = 7
			q, codes := make([]uint64, n), make([]uint64, rows*n)
			for i := range q {
				q[i] = rng.Uint64()
			}
			for i := range codes {
				switch i / n {
				case 0:
					codes[i] = ^uint64(0)
				case 1:
					codes[i] = 0
				case 2:
					codes[i] = 0x5555555555555555
				default:
					codes[i] = rng.Uint64()
				}
			}
			out := make([]int32, rows+1)
			out[rows] = -7 // past the answer: must stay
			rowsK.k(q, codes, out[:rows])
			for r := range rows {
				if want := refHamming(q, codes[r*n:(r+1)*n]); int64(out[r]) != want {
					t.Fatalf("%s n=%d row %d: got %d, want %d", name, n, r, out[r], want)
				}
			}
			if out[rows] != -7 {
				t.Fatalf("%s n=%d wrote past its rows", name, n)
			}
		}
	}
	// The dispatching wrappers.
	a, b := []uint64{1, 2, 3}, []uint64{0, 0, 0, 9}
	if got := Hamming(a, b); got != int32(bits.OnesCount64(1)+bits.OnesCount64(2)+bits.OnesCount64(3)) {
		t.Errorf("Hamming = %d", got)
	}
	out := make([]int32, 1)
	HammingRows(a, b[:3], out)
	if out[0] != 4 {
		t.Errorf("HammingRows = %v, want [4]", out)
	}
	HammingBatch(a, append(b[:3:3], a...), []uint32{1}, out)
	if out[0] != 0 {
		t.Errorf("HammingBatch = %v, want [0]", out)
	}
}

func BenchmarkDotU8(b *testing.B) {
	for _, n := range []int{112, 1536} {
		for name, k := range u8Kernels() {
			b.Run(fmt.Sprintf("n=%d/%s", n, name), func(b *testing.B) {
				w, c := make([]int16, n), make([]uint8, n)
				for i := range w {
					w[i], c[i] = int16(i), uint8(i)
				}
				b.SetBytes(int64(n))
				var s int32
				for b.Loop() {
					s += k(w, c)
				}
				sinkI32 = s
			})
		}
	}
}

func BenchmarkHamming(b *testing.B) {
	for _, n := range []int{2, 24} {
		for name, k := range hammingKernels() {
			b.Run(fmt.Sprintf("words=%d/%s", n, name), func(b *testing.B) {
				a, c := make([]uint64, n), make([]uint64, n)
				for i := range a {
					a[i], c[i] = uint64(i)*0x9e3779b97f4a7c15, uint64(i)
				}
				b.SetBytes(int64(8 * n))
				var s int32
				for b.Loop() {
					s += k(a, c)
				}
				sinkI32 = s
			})
		}
	}
}

var sinkI32 int32

// BenchmarkHammingRows scans rows of 24 words (1,536-bit codes) with each
// rows kernel: 1,000 rows (in the fastest caches) and 20,000 (3.8 MB, as
// BenchmarkExactScan_Codes in package index).
func BenchmarkHammingRows(b *testing.B) {
	const n = 24
	for _, rows := range []int{1000, 20000} {
		for name, rk := range hammingRowsKernels() {
			b.Run(fmt.Sprintf("rows=%d/%s", rows, name), func(b *testing.B) {
				q, codes := make([]uint64, n), make([]uint64, rows*n)
				for i := range q {
					q[i] = uint64(i) * 0x9e3779b97f4a7c15
				}
				for i := range codes {
					codes[i] = uint64(i) * 0xbf58476d1ce4e5b9
				}
				out := make([]int32, rows)
				b.SetBytes(int64(8 * n * rows))
				for b.Loop() {
					rk.k(q, codes, out)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
			})
		}
	}
}
