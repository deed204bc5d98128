package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/embeddb/embeddb/internal/vec"
)

// Quantized search. The graph is built from the float32 vectors, exactly as
// without quantization; each slot also gets a code when it is added. A
// search compares the query with codes (as a codeQuery, through the
// searcher's cq, which distBatch follows), keeps the nearest
// Rescore × k candidates, and scores them again with full vectors: the
// index's own while it has them, else those SearchOptions.Vectors reads
// (the table's, in embeddb), so that a quantized index need not hold the
// float32 vectors at all.

// trainQuant learns the quantizer from the first batch added to a
// quantized index; later rows are encoded with the same ranges (values
// outside them are clamped). The caller holds the write lock.
func (h *HNSW) trainQuant(vecs []float32) {
	if h.opts.Quantization == QuantNone || h.q8 != nil || h.qb != nil {
		return
	}
	n := len(vecs) / h.dim
	row := func(i int, dst []float32) {
		copy(dst, vecs[i*h.dim:(i+1)*h.dim])
		if h.opts.Metric == Cosine {
			normalizeInPlace(dst)
		}
	}
	switch h.opts.Quantization {
	case QuantInt8:
		h.q8 = trainInt8(h.dim, n, row)
		h.cstride = h.q8.stride
	case QuantBinary:
		h.qb = trainBinary(h.dim, n, row)
	}
}

// reserveCodes makes room for the codes of n more slots.
func (h *HNSW) reserveCodes(n int) {
	if h.q8 != nil {
		h.codes8 = grow(h.codes8, n*h.q8.stride)
		h.sq8 = grow(h.sq8, n)
	}
	if h.qb != nil {
		h.codes1 = grow(h.codes1, n*h.qb.words)
	}
}

// encodeSlot appends the code of slot s, whose vector is stored (and
// normalised, under Cosine).
func (h *HNSW) encodeSlot(s int) {
	v := h.vec(uint32(s))
	if q := h.q8; q != nil {
		off := len(h.codes8)
		h.codes8 = append(h.codes8, make([]uint8, q.stride)...)
		h.sq8 = append(h.sq8, q.encode(h.codes8[off:off+q.stride], v))
	}
	if q := h.qb; q != nil {
		off := len(h.codes1)
		h.codes1 = append(h.codes1, make([]uint64, q.words)...)
		q.encode(h.codes1[off:off+q.words], v)
	}
}

// codeBytes is the memory of the codes and the quantizer.
func (h *HNSW) codeBytes() int64 {
	n := int64(cap(h.codes8)) + int64(cap(h.sq8))*4 + int64(cap(h.codes1))*8
	if h.q8 != nil {
		n += int64(len(h.q8.lo)+len(h.q8.step)) * 4
	}
	if h.qb != nil {
		n += int64(len(h.qb.thresh)) * 4
	}
	return n
}

// CodeBytes returns the bytes a search compares per row: the code's length
// for a quantized index (the int8 code padded to 16 bytes, or the binary
// code in 64-bit words), else 4 × Dim.
func (h *HNSW) CodeBytes() int {
	switch {
	case h.q8 != nil:
		return h.cstride
	case h.qb != nil:
		return h.qb.words * 8
	case h.opts.Quantization == QuantInt8:
		return (h.dim + vec.CodeAlign - 1) / vec.CodeAlign * vec.CodeAlign
	case h.opts.Quantization == QuantBinary:
		return (h.dim + 63) / 64 * 8
	}
	return 4 * h.dim
}

// HasVectors reports whether the index holds the float32 vectors. Only a
// quantized index can be without them (after DropVectors, or read back
// from its serialized form); its searches then need
// SearchOptions.Vectors.
func (h *HNSW) HasVectors() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return !h.noVecs
}

// DropVectors frees the float32 vectors of a quantized index, keeping the
// graph and the codes: searches then rescore with SearchOptions.Vectors,
// and Add returns an error (rebuild instead). It returns an error wrapping
// ErrInvalidOption if the index is not quantized.
func (h *HNSW) DropVectors() error {
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.opts.Quantization == QuantNone {
		return fmt.Errorf("hnsw: drop vectors: the index is not quantized: %w", ErrInvalidOption)
	}
	h.vecs, h.noVecs = nil, true
	h.freeze()
	return nil
}

// CheckCodes reports whether the stored code of row id is the code of v,
// the row's full vector as added (not normalised): CHECK DATABASE runs it
// over every row. It returns an error wrapping ErrNotFound if the index
// does not hold the row and ErrCorrupt if the codes differ; an index
// without quantization always matches.
func (h *HNSW) CheckCodes(id uint32, v []float32) error {
	if len(v) != h.dim {
		return &DimensionError{Want: h.dim, Got: len(v)}
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	s, ok := h.liveSlot(id)
	if !ok {
		return fmt.Errorf("hnsw check codes: row %d: %w", id, ErrNotFound)
	}
	u := append([]float32(nil), v...)
	if h.opts.Metric == Cosine {
		normalizeInPlace(u)
	}
	if q := h.q8; q != nil {
		c := make([]uint8, q.stride)
		sq := q.encode(c, u)
		cs := h.cstride
		if !slices.Equal(c[:h.dim], h.codes8[int(s)*cs:int(s)*cs+h.dim]) || h.sq8 != nil && sq != h.sq8[s] {
			return fmt.Errorf("hnsw check codes: row %d: int8 code does not match its vector: %w", id, ErrCorrupt)
		}
	}
	if q := h.qb; q != nil {
		c := make([]uint64, q.words)
		q.encode(c, u)
		if !slices.Equal(c, h.codes1[int(s)*q.words:int(s+1)*q.words]) {
			return fmt.Errorf("hnsw check codes: row %d: binary code does not match its vector: %w", id, ErrCorrupt)
		}
	}
	return nil
}

// codeDistBatch fills sr.dists with the code distances from the query to
// the slots in sr.fresh.
func (h *HNSW) codeDistBatch(sr *searcher) []float32 {
	n := len(sr.fresh)
	if cap(sr.dists) < n {
		sr.dists = make([]float32, n, max(n, 2*h.m0+1))
	}
	if cap(sr.idists) < n {
		sr.idists = make([]int32, n, max(n, 2*h.m0+1))
	}
	d, x := sr.dists[:n], sr.idists[:n]
	if h.qb != nil {
		vec.PrefetchRows(h.codes1, h.qb.words, sr.fresh)
		vec.HammingBatch(sr.cq.bits, h.codes1, sr.fresh, x)
		for i, v := range x {
			d[i] = float32(v)
		}
		return d
	}
	// The kernel reads stride bytes a row, on into the next row of a
	// frozen index (cstride = dim): ask for all of them, or about one row
	// in five waits for a line it did not ask for.
	vec.PrefetchRowsStride(h.codes8, h.cstride, h.q8.stride, sr.fresh)
	vec.DotU8BatchStride(sr.cq.w, h.codes8, h.cstride, sr.fresh, x)
	for i, v := range x {
		d[i] = h.int8Dist(sr.cq, v, sr.fresh[i])
	}
	return d
}

// int8Dist turns the integer score x of slot s into a graph distance.
func (h *HNSW) int8Dist(cq *codeQuery, x int32, s uint32) float32 {
	if h.l2 {
		return cq.bias - 2*cq.inv*float32(x) + h.sq8[s]
	}
	return -(cq.bias + cq.inv*float32(x))
}

// slotDist is the distance from the query to slot s: by its code in a
// quantized search, else by its vector.
func (h *HNSW) slotDist(sr *searcher, q []float32, s uint32) float32 {
	cq := sr.cq
	switch {
	case cq == nil:
		return h.dist(q, h.vec(s))
	case h.qb != nil:
		w := h.qb.words
		return float32(vec.Hamming(cq.bits, h.codes1[int(s)*w:int(s)*w+w]))
	}
	st, cs := h.q8.stride, h.cstride
	return h.int8Dist(cq, vec.DotU8(cq.w, h.codes8[int(s)*cs:int(s)*cs+st]), s)
}

// blockDists fills sr.dists with the distances from q to slots lo..hi-1,
// by code or by vector: the exact scan.
func (h *HNSW) blockDists(sr *searcher, q []float32, lo, hi int) []float32 {
	n := hi - lo
	if cap(sr.dists) < n {
		sr.dists = make([]float32, n)
	}
	if cap(sr.idists) < n {
		sr.idists = make([]int32, n)
	}
	d, x := sr.dists[:n], sr.idists[:n]
	switch {
	case sr.cq != nil && h.qb != nil:
		w := h.qb.words
		vec.HammingRows(sr.cq.bits, h.codes1[lo*w:hi*w], x)
		for i, v := range x {
			d[i] = float32(v)
		}
	case sr.cq != nil:
		st, cs := h.q8.stride, h.cstride
		vec.DotU8RowsStride(sr.cq.w, h.codes8[lo*cs:(hi-1)*cs+st], cs, x)
		for i, v := range x {
			d[i] = h.int8Dist(sr.cq, v, uint32(lo+i))
		}
	default:
		h.rowDists(q, h.vecs[lo*h.dim:hi*h.dim], d)
	}
	return d
}

// scanAll compares q with every slot, keeping the nearest keep accepted
// ones in sr.res.
func (h *HNSW) scanAll(ctx context.Context, sr *searcher, q []float32, keep int, acc *acceptor) error {
	sr.res = sr.res[:0]
	const block = 1024
	// full and worst are len(sr.res) >= keep and sr.res[0].d, kept in
	// registers: most rows fail the test, and reloading the heap for each
	// cost more than a binary code's Hamming distance.
	full, worst := false, float32(0)
	for lo := 0; lo < len(h.ids); lo += block {
		if lo&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		hi := min(lo+block, len(h.ids))
		for i, d := range h.blockDists(sr, q, lo, hi) {
			if full && d >= worst {
				continue
			}
			if x := uint32(lo + i); acc.all || h.accepts(acc, x) {
				sr.res.pushBounded(node{d, x}, keep)
				if full = len(sr.res) >= keep; full {
					worst = sr.res[0].d
				}
			}
		}
	}
	return nil
}

// prepareCodes sets up sr for a quantized search of q, or clears it.
func (h *HNSW) prepareCodes(sr *searcher, q []float32) {
	sr.cq = nil
	switch {
	case h.q8 != nil:
		sr.cq = &sr.cqBuf
		h.q8.prepare(sr.cq, q, h.l2)
	case h.qb != nil:
		sr.cq = &sr.cqBuf
		if cap(sr.cq.bits) < h.qb.words {
			sr.cq.bits = make([]uint64, h.qb.words)
		}
		sr.cq.bits = sr.cq.bits[:h.qb.words]
		h.qb.encode(sr.cq.bits, q)
	}
}

// searchCodes answers a search of a quantized index, or an exact scan
// (opts.Exact) of any HNSW index. q is prepared (normalised for Cosine).
func (h *HNSW) searchCodes(ctx context.Context, q []float32, k int, opts SearchOptions) ([]Result, error) {
	if opts.EfSearch < 0 || opts.Rescore < 0 {
		return nil, fmt.Errorf("hnsw search: ef_search = %d, rescore = %d: %w", opts.EfSearch, opts.Rescore, ErrInvalidOption)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hnsw search: %w", err)
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	live := h.live
	if live == 0 {
		return nil, fmt.Errorf("hnsw search: %w", ErrEmpty)
	}
	quant := h.q8 != nil || h.qb != nil
	if h.noVecs && opts.Vectors == nil {
		return nil, fmt.Errorf("hnsw search: the index holds codes only: rescoring needs SearchOptions.Vectors: %w", ErrInvalidOption)
	}
	k = min(k, live)
	acc := acceptor{ex: newExcluder(opts.Exclude), filter: opts.Filter}
	kk := k
	post := len(opts.Exclude) <= 16 && h.nDeleted == 0 && opts.Filter == nil
	if post {
		kk = k + len(opts.Exclude)
		acc.all = true
	}
	keep := kk
	if quant {
		rescore := opts.Rescore
		if rescore == 0 {
			rescore = h.opts.Rescore
		}
		keep = int(min(int64(live), int64(kk)*int64(rescore)))
	}
	sr := h.getSearcher(len(h.ids))
	defer h.putSearcher(sr)
	sr.holdOut(opts.hold)
	h.prepareCodes(sr, q)
	defer func() { sr.cq = nil }() // the pool serves insertions too
	var err error
	if opts.Exact {
		err = h.scanAll(ctx, sr, q, keep, &acc)
	} else {
		err = h.walk(ctx, sr, q, max(keep, cmp.Or(opts.EfSearch, h.opts.EfSearch)), &acc)
	}
	if err != nil {
		return nil, fmt.Errorf("hnsw search: %w", err)
	}
	cands := sr.drainSorted()
	cands = cands[:min(len(cands), keep)]
	out, err := h.rescore(sr, q, cands, kk, quant, opts.Vectors)
	if err != nil {
		return nil, err
	}
	if post && !acc.ex.empty() {
		out = slices.DeleteFunc(out, func(r Result) bool { return acc.ex.has(r.ID) })
	}
	sortResults(out)
	return out[:min(k, len(out))], nil
}

// walk runs the graph search with ef candidates, as Search does, leaving
// them in sr.res.
func (h *HNSW) walk(ctx context.Context, sr *searcher, q []float32, ef int, acc *acceptor) error {
	cur := node{h.slotDist(sr, q, h.entry), h.entry}
	for l := h.top; l > 0; l-- {
		cur = h.greedy(nil, sr, q, cur, l)
	}
	exhausted, err := h.searchBase(ctx, sr, q, cur, ef, acc)
	if err == nil && exhausted {
		err = h.scanRest(ctx, sr, q, ef, acc)
	}
	return err
}

// exactScore is the score of candidate c: from its distance when that was
// computed on the float32 vectors, else from its full vector, computed as
// Flat computes it so that both give the same score.
func (h *HNSW) exactScore(sr *searcher, q []float32, c node, quant bool, source func(uint32, []float32) error) (float32, error) {
	if !quant {
		if h.l2 {
			return -float32(math.Sqrt(float64(c.d))), nil
		}
		return -c.d, nil
	}
	var v []float32
	if !h.noVecs {
		v = h.vec(c.s)
	} else {
		if cap(sr.row) < h.dim {
			sr.row = make([]float32, h.dim)
		}
		v = sr.row[:h.dim]
		if err := source(h.ids[c.s], v); err != nil {
			return 0, err
		}
		// One pass checks the row and measures it, for the scaling below.
		ss, err := checkedSumSquares(v)
		if err != nil {
			return 0, err
		}
		if h.opts.Metric == Cosine && ss > 0 {
			scaleInto(v, v, math.Sqrt(ss))
		}
	}
	if h.l2 {
		return -float32(math.Sqrt(float64(vec.SquaredL2(q, v)))), nil
	}
	return vec.Dot(q, v), nil
}

// rescore scores the candidates (nearest by code first) with their full
// vectors. A candidate is skipped when its code proves it cannot enter
// the best kk: its score by code plus the most a code can be off
// (rescoreSlack) is below the kk-th best full score so far, and none of
// its values sits on the quantizer's range ends (where it may have been
// clamped, with no bound on the error). The answer is the same as
// rescoring every candidate; only reads of rows that cannot win are saved.
func (h *HNSW) rescore(sr *searcher, q []float32, cands []node, kk int, quant bool, source func(uint32, []float32) error) ([]Result, error) {
	out := make([]Result, 0, len(cands))
	slack := h.rescoreSlack(sr, q)
	best := sr.keep[:0] // a min-heap of the best kk full scores
	for _, c := range cands {
		if quant && len(best) == kk && -c.d+slack < best[0].d && !rescoreCutOff && !h.mayBeClamped(c.s) {
			continue
		}
		sc, err := h.exactScore(sr, q, c, quant, source)
		if err != nil {
			return nil, fmt.Errorf("hnsw search: rescore row %d: %w", h.ids[c.s], err)
		}
		out = append(out, Result{ID: h.ids[c.s], Score: sc})
		bh := minHeap(best)
		bh.push(node{sc, c.s})
		if len(bh) > kk {
			bh.pop()
		}
		best = bh
	}
	sr.keep = best[:0]
	return out, nil
}

// rescoreCutOff disables rescore's cut (for tests comparing with it).
var rescoreCutOff = false

// rescoreSlack bounds how far an int8 code's score q·x̂ can be from the
// full vector's q·x when no value was clamped: Σ |q_i|·step_i/2 for the
// rounding of each value to its code, plus the rounding of the query's
// int16 weights (at most inv/2 per unit of code), with a margin for
// float32 arithmetic. It is +Inf (no cut) for binary codes and under
// Euclidean, whose error depends on the row as well.
func (h *HNSW) rescoreSlack(sr *searcher, q []float32) float32 {
	if h.q8 == nil || h.l2 || sr.cq == nil {
		return float32(math.Inf(1))
	}
	var e float64
	for i, x := range q {
		e += math.Abs(float64(x)) * float64(h.q8.step[i]) / 2
	}
	e += float64(sr.cq.inv) / 2 * 255 * float64(h.dim)
	return float32(e*1.01 + 1e-5)
}

// mayBeClamped reports whether slot s's code has a value on the range's
// ends (0 or 255), where encoding may have clamped it.
func (h *HNSW) mayBeClamped(s uint32) bool {
	for _, b := range h.codes8[int(s)*h.cstride : int(s)*h.cstride+h.dim] {
		if b == 0 || b == 255 {
			return true
		}
	}
	return false
}
