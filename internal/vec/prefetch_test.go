package vec

import "testing"

// TestPrefetchRows checks that prefetching any rows, in range or not, of
// matrices of every element type neither faults nor changes them (a
// prefetch has no visible effect; this guards the bounds logic and the
// assembly's loop over lines).
func TestPrefetchRows(t *testing.T) {
	u8 := make([]uint8, 10*112)
	f := make([]float32, 7*100)
	w := make([]uint64, 5*24)
	l := make([]uint32, 9*33)
	for _, idx := range [][]uint32{nil, {0}, {6, 0, 3}, {6, 7, 1 << 31}, {1<<32 - 1}} {
		PrefetchRows(u8, 112, idx)
		PrefetchRows(f, 100, idx)
		PrefetchRows(w, 24, idx)
		PrefetchRows(l, 33, idx)
		PrefetchRowsStride(u8, 100, 112, idx)
		PrefetchRowsStride(u8, 112, 112, idx)
		PrefetchRowsStride(f, 50, 100, idx)
		for _, r := range idx {
			PrefetchRange(w, int(r%120), int(r%120)+3)
			PrefetchRow(l, 33, r)
			PrefetchRow(f, 100, r)
		}
	}
	PrefetchRows(f, 0, []uint32{0})
	PrefetchRows([]float32(nil), 4, []uint32{0})
	PrefetchRow(f, -1, 0)
	PrefetchRowsStride(u8, 0, 112, []uint32{0})
	PrefetchRowsStride(u8[:100], 100, 112, []uint32{0})
	PrefetchRange(w, 3, 2)
	PrefetchRange(w, -1, 2)
	PrefetchRange(w, 0, len(w)+1)
	for _, m := range [][]float32{f} {
		for i, x := range m {
			if x != 0 {
				t.Fatalf("prefetch changed element %d to %v", i, x)
			}
		}
	}
}
