package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPackedLinks_AppendUnvisited checks the walk's decoder (one unaligned
// load a link) against appendTo at widths from 1 to 18 bits, lists of
// every length, links of all ones, and the last slot (whose last load
// reads the spare word).
func TestPackedLinks_AppendUnvisited(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 5, 17, 100, 1000, 1 << 17, 1<<17 + 1} {
		const m0 = 32
		links := make([]uint32, n*(m0+1))
		for s := range n {
			c := rng.IntN(m0 + 1)
			if s == n-1 {
				c = m0
			}
			links[s*(m0+1)] = uint32(c)
			for i := range c {
				x := uint32(rng.IntN(n))
				if i%3 == 0 {
					x = uint32(n - 1) // all ones in the top bits
				}
				links[s*(m0+1)+1+i] = x
			}
		}
		p := packLinks(links, n, m0)
		vis := make([]uint64, (n+63)/64)
		for s := range n {
			if n > 5000 && s%97 != 0 && s != n-1 {
				continue
			}
			want := p.appendTo(nil, uint32(s))
			clear(vis)
			got := p.appendUnvisited(nil, uint32(s), vis)
			var dedup []uint32
			seen := map[uint32]bool{}
			for _, x := range want {
				if !seen[x] {
					seen[x] = true
					dedup = append(dedup, x)
				}
			}
			if !slices.Equal(got, dedup) {
				t.Fatalf("n %d slot %d: got %v, want %v", n, s, got, dedup)
			}
		}
	}
}
