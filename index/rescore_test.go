package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/testrace"
)

// TestHNSW_RescoreCut checks that skipping the candidates whose codes
// prove they cannot enter the answer changes no answer (ids and scores, by
// the graph and by the exact scan of codes, for every metric), and counts
// the full rows it saves reading.
func TestHNSW_RescoreCut(t *testing.T) {
	testrace.Skip(t)
	const n, nq, dim = 3000, 100, 70
	all := latent(9, n+nq, dim, 10)
	vecs, qs := all[:n*dim], all[n*dim:]
	for _, m := range []index.Metric{index.Cosine, index.Dot, index.Euclidean} {
		h, err := index.Build(context.Background(), dim, seqIDs(n), vecs, index.Options{Metric: m, Quantization: index.QuantInt8, Workers: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.DropVectors(); err != nil {
			t.Fatal(err)
		}
		reads := 0
		src := source(vecs, dim)
		counting := func(id uint32, dst []float32) error { reads++; return src(id, dst) }
		run := func(cut bool, o index.SearchOptions) ([][]index.Result, int) {
			index.SetRescoreCut(cut)
			defer index.SetRescoreCut(true)
			reads = 0
			o.Vectors = counting
			var out [][]index.Result
			for i := range nq {
				r, err := h.Search(context.Background(), qs[i*dim:(i+1)*dim], 10, o)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, r)
			}
			return out, reads
		}
		for _, o := range []index.SearchOptions{{Rescore: 2}, {Rescore: 4, EfSearch: 100}, {Rescore: 10, Exact: true}, {Rescore: 4, Exclude: []uint32{1, 2, 3}}} {
			all, rAll := run(false, o)
			cut, rCut := run(true, o)
			for i := range all {
				if !slices.Equal(all[i], cut[i]) {
					t.Fatalf("%v %+v query %d: with the cut %v, without %v", m, o, i, cut[i], all[i])
				}
			}
			if rCut > rAll {
				t.Fatalf("%v %+v: the cut read %d rows, more than %d", m, o, rCut, rAll)
			}
			t.Logf("%v rescore %d exact %v: %d of %d rows read", m, o.Rescore, o.Exact, rCut, rAll)
		}
	}
}
