package index

import (
	"context"
	"fmt"
	"io"
	"slices"
)

// Index is a set of vectors, each with a row id, that answers k-nearest-
// neighbour queries. Flat and HNSW implement it.
type Index interface {
	// Dim returns the length of the vectors.
	Dim() int
	// Len returns the number of rows (deleted rows are not counted).
	Len() int
	// Metric returns how vectors are compared.
	Metric() Metric
	// Add adds rows: ids[i] has the vector vecs[i*Dim():(i+1)*Dim()].
	// The vectors are copied. It fails, adding nothing, if the lengths do
	// not match, a vector holds NaN or Inf, or an id is already present.
	Add(ctx context.Context, ids []uint32, vecs []float32) error
	// Delete removes the row id, or returns an error wrapping ErrNotFound.
	Delete(id uint32) error
	// Search returns the k rows nearest to q, best first. It returns fewer
	// than k results when fewer rows qualify.
	Search(ctx context.Context, q []float32, k int, opts SearchOptions) ([]Result, error)
	// WriteTo writes the index in its versioned binary format.
	WriteTo(w io.Writer) (int64, error)
	// MemoryBytes estimates the heap memory the index holds.
	MemoryBytes() int64
}

var (
	_ Index = (*Flat)(nil)
	_ Index = (*HNSW)(nil)
)

// Result is one row of a search answer.
type Result struct {
	// ID is the row id.
	ID uint32
	// Score is the similarity to the query: higher is nearer. For Cosine it
	// is the cosine similarity, for Dot the dot product, and for Euclidean
	// the negated distance -‖q-v‖.
	Score float32
}

// SearchOptions refines one search. The zero value searches all rows with
// the index's defaults.
type SearchOptions struct {
	// Exclude lists row ids to leave out of the answer, such as the query
	// words themselves (gensim's most_similar leaves them out).
	Exclude []uint32
	// Filter, when not nil, admits only the rows for which it returns true;
	// this is how WHERE combines with NEAREST. It is called from the
	// searching goroutine, only for some rows (those that could enter the
	// answer), while the index holds its read lock: it must be quick and
	// must not call back into the index.
	Filter func(id uint32) bool
	// EfSearch overrides the HNSW index's EfSearch for this query; 0 means
	// the index's default. Flat ignores it.
	EfSearch int
	// Exact, for an HNSW index, compares the query with every row instead
	// of walking the graph: with quantization it scans the codes and
	// rescores the best Rescore × k with the full vectors (as SET exact =
	// on does); without, it scans the float32 vectors. Flat ignores it.
	Exact bool
	// Rescore overrides a quantized index's Options.Rescore for this
	// query; 0 means the index's. Others ignore it.
	Rescore int
	// Vectors, for a quantized HNSW index whose float32 vectors were
	// dropped (DropVectors, or read back with ReadHNSW), fills dst (Dim
	// values) with the full-precision vector of row id, as it was added
	// (not normalised): the rescoring reads the candidates through it. It
	// is called on the searching goroutine under the index's read lock.
	Vectors func(id uint32, dst []float32) error

	// hold is slot+1 of a row the search treats as absent (neither
	// returned nor walked through): a calibration query's own row.
	hold uint32
}

// excluder answers "is this id excluded?" quickly for the common tiny lists.
type excluder struct {
	small []uint32
	big   map[uint32]struct{}
}

func newExcluder(ids []uint32) excluder {
	if len(ids) <= 16 {
		return excluder{small: ids}
	}
	m := make(map[uint32]struct{}, len(ids))
	for _, id := range ids {
		m[id] = struct{}{}
	}
	return excluder{big: m}
}

func (e *excluder) has(id uint32) bool {
	if e.big != nil {
		_, ok := e.big[id]
		return ok
	}
	for _, x := range e.small {
		if x == id {
			return true
		}
	}
	return false
}

func (e *excluder) empty() bool { return len(e.small) == 0 && e.big == nil }

// sortResults orders results best first, breaking ties by the smaller id so
// that answers are deterministic.
func sortResults(rs []Result) {
	slices.SortFunc(rs, func(a, b Result) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}

// checkVectors validates a batch for Add.
func checkVectors(dim int, ids []uint32, vecs []float32) error {
	if len(vecs) != len(ids)*dim {
		if len(ids) > 0 && len(vecs)%len(ids) == 0 {
			return &DimensionError{Want: dim, Got: len(vecs) / len(ids)}
		}
		return &DimensionError{Want: dim * len(ids), Got: len(vecs)}
	}
	for i := range ids {
		if err := CheckFinite(vecs[i*dim : (i+1)*dim]); err != nil {
			return fmt.Errorf("row %d: %w", ids[i], err)
		}
	}
	return nil
}

// checkDim validates the dimension given to a constructor.
func checkDim(dim int) error {
	if dim < 1 || dim > MaxDim {
		return fmt.Errorf("dimension %d, want 1..%d: %w", dim, MaxDim, ErrInvalidOption)
	}
	return nil
}

// prepareQuery checks q and returns the vector to search with: normalised
// for Cosine.
func prepareQuery(dim int, metric Metric, q []float32, k int) ([]float32, error) {
	if len(q) != dim {
		return nil, &DimensionError{Want: dim, Got: len(q)}
	}
	if k <= 0 {
		return nil, fmt.Errorf("k = %d: %w", k, ErrInvalidK)
	}
	if err := CheckFinite(q); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	if metric != Cosine {
		return q, nil
	}
	u, err := Normalize(q)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return u, nil
}
