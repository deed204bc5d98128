package index

import (
	"context"
	"math"
)

// The layer-0 walk of a search. Two ways to cut its bookkeeping were
// measured and left out (100,000 word vectors, one run each, float32 and
// int8 alike, on a shared machine): expanding the best two or three
// candidates per round, so that their neighbours' rows are fetched in one
// batch, was no faster; keeping candidates and results in one sorted pool
// of ef nodes (NSG, DiskANN), which visits exactly the same nodes, was
// 0.84-1.01x the two heaps. The walk waits for memory, not for its heaps.

// searchBase runs the layer-0 search of a query (algorithm 2 of the paper,
// with hnswlib's handling of rows that may not be returned: they are
// traversed but never enter the result heap). It leaves up to ef accepted
// nodes in s.res. It checks ctx every 4,096 expansions, since a selective
// filter can make it walk the whole graph.
//
// It reports whether the walk ran out of candidates, having visited every
// node reachable from ep.
func (h *HNSW) searchBase(ctx context.Context, s *searcher, q []float32, ep node, ef int, acc *acceptor) (exhausted bool, err error) {
	s.cand = s.cand[:0]
	s.res = s.res[:0]
	s.visited.mark(ep.s)
	lower := float32(math.Inf(1))
	if h.accepts(acc, ep.s) {
		s.res.push(ep)
		lower = ep.d
	}
	s.cand.push(ep)
	all := acc.all
	for steps := 1; len(s.cand) > 0; steps++ {
		// A candidate is worth expanding while it is nearer than the
		// worst result kept, or (under a filter) too few were accepted.
		if c := s.cand[0]; c.d > lower && (len(s.res) >= ef || all) {
			return false, nil
		}
		if steps&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		s.fresh = h.appendUnvisited(s, s.cand.pop().s, s.fresh[:0])
		if len(s.cand) > 0 {
			// The next node to expand is likely the top now: fetch its
			// links while these neighbours are compared.
			h.prefetchLinks0(s.cand[0].s)
		}
		for i, d := range h.distBatch(s, q) {
			x := s.fresh[i]
			if len(s.res) < ef || d < lower {
				s.cand.push(node{d, x})
				if all || h.accepts(acc, x) {
					s.res.pushBounded(node{d, x}, ef)
					lower = s.res[0].d
				}
			}
		}
	}
	return true, nil
}

// appendUnvisited appends to dst the layer-0 neighbours of slot c that the
// search has not visited, marking them visited.
func (h *HNSW) appendUnvisited(s *searcher, c uint32, dst []uint32) []uint32 {
	start := len(dst)
	if h.packed != nil {
		dst = h.packed.appendUnvisited(dst, c, s.visited.bits)
	} else {
		dst = h.appendUnvisited0(s.visited.bits, c, dst)
	}
	if s.visited.list {
		s.visited.noteMarked(dst[start:])
	}
	return dst
}

// appendUnvisited0 is appendUnvisited on the unpacked links, marking in
// vis.
func (h *HNSW) appendUnvisited0(vis []uint64, c uint32, dst []uint32) []uint32 {
	stride := h.m0 + 1
	b := h.links0[int(c)*stride : int(c)*stride+stride]
	for _, x := range b[1 : 1+b[0]] {
		if firstVisit(vis, x) {
			dst = append(dst, x)
		}
	}
	return dst
}
