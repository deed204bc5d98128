package exec

import (
	"context"
	"math/bits"
)

// passSet is the rows a condition holds for, as a bitset by row id: what
// a filtered search asks about each row it visits, answered by one load
// and a mask.
type passSet struct {
	words []uint64
	n     int // rows evaluated (live rows)
	count int // rows that passed
}

// newPassSet evaluates pass on every row id of live (by id, whether the
// row is live). It stops with ctx's error, or when *errp is set (pass
// failed).
func newPassSet(ctx context.Context, pass func(uint32) bool, live []bool, errp *error) (*passSet, error) {
	ps := &passSet{words: make([]uint64, (len(live)+63)/64)}
	for id, ok := range live {
		if ok {
			ps.n++
		}
		if id&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if pass(uint32(id)) {
			ps.words[id>>6] |= 1 << (id & 63)
		}
		if *errp != nil {
			return nil, *errp
		}
	}
	for _, w := range ps.words {
		ps.count += bits.OnesCount64(w)
	}
	return ps, nil
}

// has reports whether row id passes.
func (ps *passSet) has(id uint32) bool {
	w := int(id >> 6)
	return w < len(ps.words) && ps.words[w]&(1<<(id&63)) != 0
}

// ids returns the rows that pass, in order.
func (ps *passSet) ids() []uint32 {
	out := make([]uint32, 0, ps.count)
	for i, w := range ps.words {
		for w != 0 {
			out = append(out, uint32(i<<6+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return out
}

// passSet returns the bitset kept for key, or nil.
func (c *filterCache) passSet(key string) *passSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sets[key]
}

// repeated counts a search filtered by key and reports whether one was
// before: only a condition used twice is worth evaluating on every row.
func (c *filterCache) repeated(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil || len(c.seen) >= maxEstimates {
		c.seen = make(map[string]int)
	}
	c.seen[key]++
	return c.seen[key] > 1
}

// keepPassSet keeps ps for key.
func (c *filterCache) keepPassSet(key string, ps *passSet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sets == nil || len(c.sets) >= maxPassSets {
		c.sets = make(map[string]*passSet)
	}
	c.sets[key] = ps
}
