package index

import (
	"context"
	"math"
)

// The layer-0 walk of a search. Each neighbour a walk compares is a read of
// a row scattered over memory; what a query costs is mostly how long the
// core waits for those reads. A walk that expands one node at a time waits
// once per node: for its links, then for its neighbours' rows (prefetched
// together, so that they arrive at once). Expanding the best expandWidth
// candidates of the queue together gathers all their unvisited neighbours
// into one batch: one wait for twice the rows, so the waits overlap. The
// second candidate is one the one-at-a-time walk would expand next anyway
// unless the first one's neighbours replace it; so the walk visits about
// the same nodes (a few more), in fewer, fuller rounds. Measured
// (BenchmarkWalk_ExpandWidth, 100,000 word vectors, a shared machine),
// widths 2 and 3 were no faster than 1, for float32 and int8 alike: the
// default stays 1, the paper's order.

// expandWidth is the number of candidates a walk expands per round.
var expandWidth = 1

// searchBase runs the layer-0 search of a query (algorithm 2 of the paper,
// with hnswlib's handling of rows that may not be returned: they are
// traversed but never enter the result heap). It leaves up to ef accepted
// nodes in s.res. It checks ctx every 4,096 rounds, since a selective
// filter can make it walk the whole graph.
//
// It reports whether the walk ran out of candidates, having visited every
// node reachable from ep.
func (h *HNSW) searchBase(ctx context.Context, s *searcher, q []float32, ep node, ef int, acc *acceptor) (exhausted bool, err error) {
	s.cand = s.cand[:0]
	s.res = s.res[:0]
	s.visited[ep.s] = s.epoch
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
		for w := 1; w < expandWidth && len(s.cand) > 0; w++ {
			if c := s.cand[0]; c.d > lower && (len(s.res) >= ef || all) {
				break
			}
			s.fresh = h.appendUnvisited(s, s.cand.pop().s, s.fresh)
		}
		if len(s.cand) > 0 {
			// The next nodes to expand are likely the top and the better
			// of its children now: fetch their links while these
			// neighbours are compared.
			h.prefetchLinks0(s.cand[0].s)
			if expandWidth > 1 && len(s.cand) > 1 {
				c := s.cand[1]
				if len(s.cand) > 2 && s.cand[2].d < c.d {
					c = s.cand[2]
				}
				h.prefetchLinks0(c.s)
			}
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
	vis, epoch := s.visited, s.epoch
	if h.packed != nil {
		return h.packed.appendUnvisited(dst, c, vis, epoch)
	}
	stride := h.m0 + 1
	b := h.links0[int(c)*stride : int(c)*stride+stride]
	for _, x := range b[1 : 1+b[0]] {
		if vis[x] != epoch {
			vis[x] = epoch
			dst = append(dst, x)
		}
	}
	return dst
}
