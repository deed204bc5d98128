package vec

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestTouch compares Touch and TouchAhead with a plain XOR of
// little-endian words, for lengths around the 128-byte step.
func TestTouch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 8, 127, 128, 129, 255, 256, 1000, 4099} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		var want uint64
		i := 0
		for ; i+8 <= n; i += 8 {
			want ^= binary.LittleEndian.Uint64(b[i:])
		}
		var tail [8]byte
		copy(tail[:], b[i:])
		want ^= binary.LittleEndian.Uint64(tail[:])
		if got := Touch(b); got != want {
			t.Errorf("Touch(%d bytes) = %#x, want %#x", n, got, want)
		}
		for _, ahead := range []int{0, 512, -1} {
			if got := TouchAhead(b, ahead); got != want {
				t.Errorf("TouchAhead(%d bytes, %d) = %#x, want %#x", n, ahead, got, want)
			}
		}
	}
	if got := len(AsBytes([]uint16{1, 2, 3})); got != 6 {
		t.Errorf("AsBytes of 3 uint16 = %d bytes, want 6", got)
	}
}
