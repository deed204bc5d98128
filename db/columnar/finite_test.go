package columnar

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/embeddb/embeddb/internal/vec"
)

// TestAllFinite32 puts each kind of non-finite value (and the finite values
// nearest them) at every position of buffers of several lengths, and wants
// AllFinite32 to agree with the loader's own check.
func TestAllFinite32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 0, float32(math.Copysign(0, -1))}
	nan := math.Float32frombits(0xffc00001) // a negative NaN with payload
	special = append(special, nan)
	for _, n := range []int{0, 1, 7, 8, 9, 31, 64, 100} {
		buf := make([]byte, 4*n)
		for pos := range n {
			for _, v := range special {
				for i := range n {
					binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(rng.Float32()*2e38-1e38))
				}
				binary.LittleEndian.PutUint32(buf[4*pos:], math.Float32bits(v))
				want := vec.Float32.FirstNonFinite(buf) < 0
				if got := AllFinite32(buf); got != want {
					t.Fatalf("n=%d, %v at %d: AllFinite32 = %v, want %v", n, v, pos, got, want)
				}
			}
		}
	}
}

// TestCopyFinite32 copies buffers longer than a piece, with a NaN in the
// first piece, the last, or none, and wants the copy whole and the answer
// right.
func TestCopyFinite32(t *testing.T) {
	n := (2*finitePiece + 100) / 4
	for _, nanAt := range []int{-1, 0, 3, finitePiece / 4, n - 1} {
		src := make([]byte, 4*n)
		for i := range n {
			binary.LittleEndian.PutUint32(src[4*i:], math.Float32bits(float32(i)-7.5))
		}
		if nanAt >= 0 {
			binary.LittleEndian.PutUint32(src[4*nanAt:], math.Float32bits(float32(math.NaN())))
		}
		dst := make([]byte, len(src))
		if got := copyFinite32(dst, src); got != (nanAt < 0) {
			t.Errorf("NaN at %d: copyFinite32 = %v", nanAt, got)
		}
		if !bytes.Equal(dst, src) {
			t.Errorf("NaN at %d: the copy differs", nanAt)
		}
	}
}
