package index

import (
	"context"
	"fmt"
)

// Build returns a new HNSW index of the rows ids with the vectors vecs
// (ids[i] has vecs[i*dim:(i+1)*dim]), inserting with opts.Workers goroutines
// (all cores by default). progress, when not nil, is called from Build's
// goroutine after every 1,024 rows with the number inserted so far and the
// total. If ctx is cancelled Build stops and returns its error.
func Build(ctx context.Context, dim int, ids []uint32, vecs []float32, opts Options, progress func(done, total int)) (*HNSW, error) {
	h, err := NewHNSW(dim, opts)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := h.add(ctx, ids, vecs, progress); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return h, nil
}
