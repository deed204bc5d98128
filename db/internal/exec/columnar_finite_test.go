package exec

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
)

// TestAllFinite32 puts each kind of non-finite value (and the finite values
// nearest them) at every position of buffers of several lengths, and wants
// allFinite32 to agree with the loader's own check.
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
				want := store.Float32.FirstNonFinite(buf) < 0
				if got := allFinite32(buf); got != want {
					t.Fatalf("n=%d, %v at %d: allFinite32 = %v, want %v", n, v, pos, got, want)
				}
			}
		}
	}
}
