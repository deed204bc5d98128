package index

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"

	"github.com/embeddb/embeddb/internal/vec"
)

// ReorderBFS relabels h's slots in breadth-first order over layer 0 (for
// tests and benchmarks).
func ReorderBFS(h *HNSW) {
	relabel(h, func(order []uint32) { copy(order, h.bfsOrder()) })
}

// relabel relabels h's slots, under its locks, in the order arrange makes
// of them, given in build order.
func relabel(h *HNSW, arrange func(order []uint32)) {
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	order := make([]uint32, len(h.ids))
	for i := range order {
		order[i] = uint32(i)
	}
	arrange(order)
	h.permute(order)
}

// VisitedLocality runs a float32 search of q at ef and reports what its
// walk touched: the slots it computed a distance for, the distinct 64-byte
// lines and 4 KiB pages of the vectors array they span.
func VisitedLocality(h *HNSW, q []float32, ef int) (slots, lines, pages int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	q, _ = prepareQuery(h.dim, h.opts.Metric, q, 10)
	s := h.getSearcher(len(h.ids))
	defer h.putSearcher(s)
	cur := node{h.dist(q, h.vec(h.entry)), h.entry}
	for l := h.top; l > 0; l-- {
		cur = h.greedy(nil, s, q, cur, l)
	}
	acc := acceptor{all: true}
	if _, err := h.searchBase(context.Background(), s, q, cur, ef, &acc); err != nil {
		panic(err)
	}
	ls, ps := map[int]bool{}, map[int]bool{}
	row := 4 * h.dim
	for x := range h.ids {
		if !s.visited.has(uint32(x)) {
			continue
		}
		slots++
		for b := x * row / 64; b <= (x*row+row-1)/64; b++ {
			ls[b] = true
		}
		for b := x * row / 4096; b <= (x*row+row-1)/4096; b++ {
			ps[b] = true
		}
	}
	return slots, len(ls), len(ps)
}

// ReorderTree relabels h's slots in the leaf order of a random-projection
// tree (split at the median projection on a random direction until 32
// rows remain): rows near each other in space get near slots.
func ReorderTree(h *HNSW) {
	relabel(h, func(order []uint32) { treeOrder(h, order) })
}

// treeOrder sorts order, slots of h, into ReorderTree's leaf order.
func treeOrder(h *HNSW, order []uint32) {
	rng := rand.New(rand.NewPCG(1, 2))
	proj := make([]float32, len(order))
	dir := make([]float32, h.dim)
	var split func(a []uint32)
	split = func(a []uint32) {
		if len(a) <= 32 {
			return
		}
		for i := range dir {
			dir[i] = float32(rng.NormFloat64())
		}
		p := proj[:len(a)]
		for i, s := range a {
			p[i] = vec.Dot(dir, h.vec(s))
		}
		idx := make([]int, len(a))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(p[x], p[y]) })
		tmp := make([]uint32, len(a))
		for i, j := range idx {
			tmp[i] = a[j]
		}
		copy(a, tmp)
		split(a[:len(a)/2])
		split(a[len(a)/2:])
	}
	split(order)
}

// Graph reordering (Coleman et al., NeurIPS 2022, "Graph Reordering for
// Cache-Efficient Near Neighbor Search"): relabel the slots so that a
// node's neighbours lie near it in the vectors and links arrays. Row ids
// do not change; ids[slot] still names each slot's row. This is the
// experiment only, kept in a test file: it was measured with
// BenchmarkHNSW_Reorder and left out of the index (doc.go, "Graph
// reordering", says why). The index keeps no id -> slot array, so the
// relabelled graph finds its rows through moved, a map holding every row.

// bfsOrder returns the slots in breadth-first order over layer 0 from the
// entry point, each list in its stored order (nearest first), then the
// slots the walk did not reach in their old order: order[new] = old.
func (h *HNSW) bfsOrder() []uint32 {
	n := len(h.ids)
	order := make([]uint32, 0, n)
	seen := make([]bool, n)
	if n == 0 {
		return order
	}
	seen[h.entry] = true
	order = append(order, h.entry)
	var buf []uint32
	for i := 0; i < len(order); i++ {
		b := h.block(order[i], 0)
		buf = append(buf[:0], b[1:1+b[0]]...)
		for _, x := range buf {
			if !seen[x] {
				seen[x] = true
				order = append(order, x)
			}
		}
	}
	for s := range uint32(n) {
		if !seen[s] {
			order = append(order, s)
		}
	}
	return order
}

// permute relabels the slots: new slot i is old slot order[i]. Every
// array indexed by slot, every link and the entry point follow; the
// caller holds the write lock (or the only reference).
func (h *HNSW) permute(order []uint32) {
	n := len(h.ids)
	inv := make([]uint32, n)
	for ns, os := range order {
		inv[os] = uint32(ns)
	}
	h.vecs = permuteRows(h.vecs, order, h.dim)
	h.ids = permuteRows(h.ids, order, 1)
	h.levels = permuteRows(h.levels, order, 1)
	h.upperOff = permuteRows(h.upperOff, order, 1)
	deleted := make([]uint64, len(h.deleted))
	for ns, os := range order {
		if h.isDeleted(os) {
			deleted[ns>>6] |= 1 << (ns & 63)
		}
	}
	h.deleted = deleted
	packed := h.packed != nil
	links0 := h.links0Words()
	stride := h.m0 + 1
	l0 := make([]uint32, n*stride)
	for ns, os := range order {
		b, nb := links0[int(os)*stride:(int(os)+1)*stride], l0[ns*stride:(ns+1)*stride]
		nb[0] = b[0]
		for i, x := range b[1 : 1+b[0]] {
			nb[1+i] = inv[x]
		}
	}
	h.links0, h.packed = l0, nil
	if packed {
		h.packed, h.links0 = packLinks(l0, n, h.m0), nil
	}
	for s := range uint32(n) { // upper blocks stay where they are; their links change
		for l := 1; l <= int(h.levels[s]); l++ {
			b := h.block(s, l)
			for i, x := range b[1 : 1+b[0]] {
				b[1+i] = inv[x]
			}
		}
	}
	h.entry = inv[h.entry]
	h.permuteCodes(order)
	h.moved = make(map[uint32]uint32)
	for s, id := range h.ids {
		if id != uint32(s) && !h.isDeleted(uint32(s)) {
			h.moved[id] = uint32(s)
		}
	}
	h.advised = [5]uintptr{}
	h.adviseHugePages()
}

// permuteCodes reorders the quantized codes as permute does the vectors.
func (h *HNSW) permuteCodes(order []uint32) {
	n := len(order)
	if h.q8 != nil && len(h.codes8) > 0 {
		cs := h.cstride
		c := make([]uint8, len(h.codes8))
		for ns, os := range order {
			copy(c[ns*cs:(ns+1)*cs], h.codes8[int(os)*cs:])
		}
		copy(c[n*cs:], h.codes8[n*cs:]) // the frozen codes' tail padding
		h.codes8 = c
		if h.sq8 != nil {
			h.sq8 = permuteRows(h.sq8, order, 1)
		}
	}
	if h.qb != nil && len(h.codes1) > 0 {
		h.codes1 = permuteRows(h.codes1, order, h.qb.words)
	}
}

// permuteRows returns s reordered in rows of w elements: row i of the
// result is row order[i] of s.
func permuteRows[E any](s []E, order []uint32, w int) []E {
	if len(s) == 0 {
		return s
	}
	out := make([]E, len(order)*w)
	for ns, os := range order {
		copy(out[ns*w:(ns+1)*w], s[int(os)*w:(int(os)+1)*w])
	}
	return out
}

// ReorderRandom relabels h's slots in a random order (seeded): the
// baseline of no locality at all.
func ReorderRandom(h *HNSW) {
	relabel(h, func(order []uint32) {
		rng := rand.New(rand.NewPCG(3, 4))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	})
}

// ReorderInDegree relabels h's slots by their layer-0 in-degree, highest
// first (ties in build order): the hubs a walk passes through most
// together.
func ReorderInDegree(h *HNSW) {
	relabel(h, func(order []uint32) {
		indeg := make([]int, len(h.ids))
		for s := range uint32(len(h.ids)) {
			b := h.block(s, 0)
			for _, x := range b[1 : 1+b[0]] {
				indeg[x]++
			}
		}
		slices.SortStableFunc(order, func(a, b uint32) int { return cmp.Compare(indeg[b], indeg[a]) })
	})
}
