package index

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/embeddb/embeddb/internal/vec"
)

// Flat is an exact index: Search compares the query with every row. It is
// the oracle that HNSW recall is measured against and the right choice for
// small tables (up to some tens of thousands of rows) and for selective
// filters. It keeps its own copy of the vectors, normalised for Cosine.
//
// Flat is safe for concurrent use: searches run in parallel with each other,
// and Add and Delete wait for running searches.
type Flat struct {
	mu     sync.RWMutex
	dim    int
	metric Metric
	vecs   []float32 // row s is vecs[s*dim:(s+1)*dim]
	ids    []uint32  // ids[s] is the id of row s
	slotOf map[uint32]uint32

	// With 16-bit storage (NewFlatElem, flat_half.go) the rows are in half
	// instead of vecs, as added, and inv holds 1/‖row‖ under Cosine.
	elem Elem
	half []uint16
	inv  []float32
}

// NewFlat returns an empty exact index for vectors of length dim compared by
// metric. It returns an error if dim is not in 1..MaxDim or the metric is
// unknown.
func NewFlat(dim int, metric Metric) (*Flat, error) {
	if err := checkDim(dim); err != nil {
		return nil, fmt.Errorf("new flat index: %w", err)
	}
	if !metric.valid() {
		return nil, fmt.Errorf("new flat index: metric %v: %w", metric, ErrUnknownMetric)
	}
	return &Flat{dim: dim, metric: metric, slotOf: make(map[uint32]uint32)}, nil
}

// Dim returns the length of the vectors.
func (f *Flat) Dim() int { return f.dim }

// Metric returns how vectors are compared.
func (f *Flat) Metric() Metric { return f.metric }

// Len returns the number of rows.
func (f *Flat) Len() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.ids)
}

// Contains reports whether the index holds row id.
func (f *Flat) Contains(id uint32) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	_, ok := f.slotOf[id]
	return ok
}

// Add adds rows: ids[i] has the vector vecs[i*Dim():(i+1)*Dim()]. It adds
// nothing and returns an error if the lengths do not match, a vector holds
// NaN or Inf, or an id is already present. Zero vectors are kept; under
// Cosine they score 0 against every query.
func (f *Flat) Add(ctx context.Context, ids []uint32, vecs []float32) error {
	if err := checkVectors(f.dim, ids, vecs); err != nil {
		return fmt.Errorf("flat add: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("flat add: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := make(map[uint32]struct{}, len(ids))
	for _, id := range ids {
		if _, ok := f.slotOf[id]; ok {
			return fmt.Errorf("flat add: row %d: %w", id, ErrDuplicateID)
		}
		if _, ok := seen[id]; ok {
			return fmt.Errorf("flat add: row %d given twice: %w", id, ErrDuplicateID)
		}
		seen[id] = struct{}{}
	}
	base := len(f.ids)
	f.ids = append(f.ids, ids...)
	if f.halfStore() {
		f.appendHalf(vecs)
	} else {
		f.vecs = append(f.vecs, vecs...)
	}
	for i, id := range ids {
		s := base + i
		f.slotOf[id] = uint32(s)
		if f.metric == Cosine && !f.halfStore() {
			normalizeInPlace(f.vecs[s*f.dim : (s+1)*f.dim])
		}
	}
	return nil
}

// Delete removes row id. The last row moves into its place, so Delete takes
// constant time.
func (f *Flat) Delete(id uint32) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.slotOf[id]
	if !ok {
		return fmt.Errorf("flat delete row %d: %w", id, ErrNotFound)
	}
	last := uint32(len(f.ids) - 1)
	if f.halfStore() {
		f.moveHalf(s, last)
	} else if s != last {
		copy(f.vecs[int(s)*f.dim:int(s+1)*f.dim], f.vecs[int(last)*f.dim:int(last+1)*f.dim])
	}
	if s != last {
		f.ids[s] = f.ids[last]
		f.slotOf[f.ids[s]] = s
	}
	f.ids = f.ids[:last]
	if !f.halfStore() {
		f.vecs = f.vecs[:int(last)*f.dim]
	}
	delete(f.slotOf, id)
	return nil
}

// Vector returns a copy of the stored vector of row id (unit length under
// Cosine) and whether the row exists.
func (f *Flat) Vector(id uint32) ([]float32, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	s, ok := f.slotOf[id]
	if !ok {
		return nil, false
	}
	if f.halfStore() {
		return f.halfVector(s), true
	}
	return append([]float32(nil), f.vecs[int(s)*f.dim:int(s+1)*f.dim]...), true
}

// Search returns the k rows most similar to q, best first, ties broken by
// the smaller id. Under Cosine the answer is the same as gensim's
// most_similar with the query rows listed in opts.Exclude. It returns fewer
// than k results when fewer rows qualify, ErrEmpty when the index has no
// rows, and an error if q has the wrong length, holds NaN or Inf, or (under
// Cosine) is all zeros. It checks ctx every 65,536 rows.
func (f *Flat) Search(ctx context.Context, q []float32, k int, opts SearchOptions) ([]Result, error) {
	q, err := prepareQuery(f.dim, f.metric, q, k)
	if err != nil {
		return nil, fmt.Errorf("flat search: %w", err)
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	n := len(f.ids)
	if n == 0 {
		return nil, fmt.Errorf("flat search: %w", ErrEmpty)
	}
	top := topK{k: min(k, n), h: make([]Result, 0, min(k, n))}
	ex := newExcluder(opts.Exclude)
	noEx := ex.empty()
	l2 := f.metric == Euclidean
	dim := f.dim
	// Scores are computed a block at a time by one streaming kernel call,
	// then compared with the worst kept result.
	const block = 1024
	var scores [block]float32
	for start := 0; start < n; start += block {
		if start&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("flat search: %w", err)
			}
		}
		end := min(start+block, n)
		ids := f.ids[start:end]
		sc := scores[:len(ids)]
		if f.halfStore() {
			f.halfScores(q, start, sc)
		} else if vecs := f.vecs[start*dim : end*dim]; l2 {
			for i := range sc {
				sc[i] = -vec.SquaredL2(q, vecs[i*dim:i*dim+dim])
			}
		} else {
			vec.DotRows(q, vecs, sc)
		}
		for i, id := range ids {
			r := Result{ID: id, Score: sc[i]}
			if !top.wouldTake(r) {
				continue
			}
			if !noEx && ex.has(id) {
				continue
			}
			if opts.Filter != nil && !opts.Filter(id) {
				continue
			}
			top.push(r)
		}
	}
	out := top.h
	if l2 {
		for i := range out {
			out[i].Score = -float32(math.Sqrt(float64(-out[i].Score)))
		}
	}
	sortResults(out)
	return out, nil
}

// MemoryBytes estimates the heap memory the index holds.
func (f *Flat) MemoryBytes() int64 {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return int64(cap(f.vecs))*4 + int64(cap(f.half))*2 + int64(cap(f.inv))*4 +
		int64(cap(f.ids))*4 + mapBytes(len(f.slotOf))
}

// mapBytes estimates the memory of a map[uint32]uint32 with n entries: Go's
// Swiss tables use 8 bytes a slot plus a control byte, at most 7/8 full, and
// grow by doubling.
func mapBytes(n int) int64 {
	if n == 0 {
		return 0
	}
	slots := int64(8)
	for slots*7/8 < int64(n) {
		slots *= 2
	}
	return slots * 9
}
