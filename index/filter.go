package index

import (
	"context"
	"fmt"
)

// Filtered search.
//
// A filter (SearchOptions.Filter) is applied as the graph is walked, the way
// hnswlib's filter functor and pgvector 0.8's iterative scans do it: a node
// the filter rejects is still expanded, so that it keeps guiding the walk
// towards the query, but it never enters the answer; and the walk does not
// stop at ef nodes visited but at ef nodes accepted, widening the search as
// far as it must (searchBase). When the walk runs out of reachable nodes
// first, every node it did not reach is compared exactly (scanRest). So a
// filtered search returns k rows whenever k rows pass the filter, at any
// selectivity.
//
// What that costs grows as the filter narrows: to accept ef rows under a
// filter that admits a fraction s of them, the walk visits about ef/s
// nodes. Below some selectivity it is cheaper to compare the query with
// just the rows that pass, when something (a scalar index) can list them:
// SearchAmong does that, from the vectors the index already holds, the way
// Qdrant switches to a full scan of the payload index's points when its
// cardinality estimate falls under full_scan_threshold. Which of the two
// runs is the query planner's decision (EstimateWalk helps it).

// SearchAmong returns the k rows among ids nearest to q, best first, ties
// broken by the smaller id, compared exactly. It reads the vectors the index
// holds (for a quantized index without its float32 vectors, those
// opts.Vectors reads), so it costs one distance per id and no walk. Ids the
// index does not hold (deleted, or added since it was built) and ids that
// opts.Exclude lists or opts.Filter rejects are skipped; an id given twice
// counts once. It returns ErrEmpty when the index has no rows and an error
// if q has the wrong length, holds NaN or Inf, or (under Cosine) is all
// zeros.
func (h *HNSW) SearchAmong(ctx context.Context, q []float32, k int, ids []uint32, opts SearchOptions) ([]Result, error) {
	q, err := prepareQuery(h.dim, h.opts.Metric, q, k)
	if err != nil {
		return nil, fmt.Errorf("hnsw search among rows: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hnsw search among rows: %w", err)
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.live == 0 {
		return nil, fmt.Errorf("hnsw search among rows: %w", ErrEmpty)
	}
	if h.noVecs && opts.Vectors == nil {
		return nil, fmt.Errorf("hnsw search among rows: the index holds codes only: SearchOptions.Vectors must read the rows: %w", ErrInvalidOption)
	}
	sr := h.getSearcher(len(h.ids))
	defer h.putSearcher(sr)
	acc := acceptor{ex: newExcluder(opts.Exclude), filter: opts.Filter}
	top := topK{k: k}
	vis, epoch := sr.visited, sr.epoch
	for i, id := range ids {
		if i&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("hnsw search among rows: %w", err)
			}
		}
		s, ok := h.liveSlot(id)
		if !ok || vis[s] == epoch {
			continue
		}
		vis[s] = epoch
		if !h.accepts(&acc, s) {
			continue
		}
		sc, err := h.amongScore(sr, q, s, opts.Vectors)
		if err != nil {
			return nil, fmt.Errorf("hnsw search among rows: row %d: %w", id, err)
		}
		if r := (Result{ID: id, Score: sc}); top.wouldTake(r) {
			top.push(r)
		}
	}
	out := top.h
	sortResults(out)
	return out, nil
}

// amongScore is the exact score of slot s against the prepared query q:
// from the index's own vector when it holds one, else from the row's
// vector read through source (as rescoring reads it).
func (h *HNSW) amongScore(sr *searcher, q []float32, s uint32, source func(uint32, []float32) error) (float32, error) {
	if !h.noVecs {
		return h.exactScore(sr, q, node{h.dist(q, h.vec(s)), s}, false, nil)
	}
	return h.exactScore(sr, q, node{s: s}, true, source)
}

// EstimateWalk estimates how many nodes a filtered walk visits to accept ef
// rows when the filter admits a fraction sel of the n rows (about ef/sel,
// never more than n): what a planner weighs against the cost of comparing
// the query with the admitted rows themselves.
func EstimateWalk(n int64, ef int, sel float64) int64 {
	if n <= 0 {
		return 0
	}
	if sel <= 0 {
		return n
	}
	v := float64(ef) / sel
	if v >= float64(n) {
		return n
	}
	return max(int64(v), int64(ef))
}
