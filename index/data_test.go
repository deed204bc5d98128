package index_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// clustered returns n vectors of length dim drawn around n/1000 (at least
// 10) centres: centre ~ N(0, 1) per element, plus N(0, 0.5²) noise. The
// same recipe is in scripts/compare_index.py.
func clustered(seed uint64, n, dim int) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := max(10, n/1000)
	centres := make([]float32, c*dim)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	v := make([]float32, n*dim)
	for i := range n {
		k := rng.IntN(c)
		for j := range dim {
			v[i*dim+j] = centres[k*dim+j] + 0.5*float32(rng.NormFloat64())
		}
	}
	return v
}

// queriesNear returns nq query vectors drawn like clustered's rows (same
// centres, fresh noise), so they are not in the set.
func queriesNear(seed uint64, n, dim, nq int) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := max(10, n/1000)
	centres := make([]float32, c*dim)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	qrng := rand.New(rand.NewPCG(seed, 99))
	q := make([]float32, nq*dim)
	for i := range nq {
		k := qrng.IntN(c)
		for j := range dim {
			q[i*dim+j] = centres[k*dim+j] + 0.5*float32(qrng.NormFloat64())
		}
	}
	return q
}

func seqIDs(n int) []uint32 {
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(i)
	}
	return ids
}

func mustFlat(tb testing.TB, dim int, m index.Metric, ids []uint32, vecs []float32) *index.Flat {
	tb.Helper()
	f, err := index.NewFlat(dim, m)
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Add(context.Background(), ids, vecs); err != nil {
		tb.Fatal(err)
	}
	return f
}

// recallAt returns the fraction of the exact top-k ids that got returns.
func recallAt(got, exact []index.Result) float64 {
	if len(exact) == 0 {
		return 1
	}
	in := make(map[uint32]bool, len(exact))
	for _, r := range exact {
		in[r.ID] = true
	}
	hits := 0
	for _, r := range got {
		if in[r.ID] {
			hits++
		}
	}
	return float64(hits) / float64(len(exact))
}
