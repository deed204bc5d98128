package index_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// TestReorderSameAnswers checks the relabelling that BenchmarkHNSW_Reorder
// times: the same graph under new slot numbers must give the same answers
// (so the benchmark compares equal work), find every row by id, survive a
// write and read, and still take deletes and inserts.
func TestReorderSameAnswers(t *testing.T) {
	const n, dim, nq = 3000, 16, 50
	ctx := context.Background()
	for _, q := range []index.Quantization{index.QuantNone, index.QuantInt8, index.QuantBinary} {
		for name, reorder := range map[string]func(*index.HNSW){"bfs": index.ReorderBFS, "tree": index.ReorderTree, "random": index.ReorderRandom, "indeg": index.ReorderInDegree} {
			base := clustered(3, n, dim)
			ids := make([]uint32, n)
			for i := range ids {
				ids[i] = uint32(2*i + 1) // not slot = id: every row in moved
			}
			opts := index.Options{M: 8, EfConstruction: 64, Quantization: q, Workers: 1}
			h, err := index.Build(ctx, dim, ids, base, opts, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := h.Delete(ids[7]); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := h.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			r, err := index.ReadHNSW(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if q == index.QuantNone {
				r = h // a float32 index reads back unfrozen anyway: test the built one
			}
			want := searchAll(t, r, queriesNear(3, n, dim, nq), dim, nq)
			reorder(r)
			if got := searchAll(t, r, queriesNear(3, n, dim, nq), dim, nq); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("quant %v %s: answers changed by the relabelling", q, name)
			}
			for i, id := range ids {
				if got := r.Contains(id); got != (i != 7) {
					t.Fatalf("quant %v %s: Contains(%d) = %v", q, name, id, got)
				}
			}
			buf.Reset()
			if _, err := r.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			back, err := index.ReadHNSW(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("quant %v %s: read back: %v", q, name, err)
			}
			if got := searchAll(t, back, queriesNear(3, n, dim, nq), dim, nq); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("quant %v %s: answers changed by write and read", q, name)
			}
			if q != index.QuantNone {
				continue // frozen: cannot grow
			}
			if err := r.Delete(ids[8]); err != nil {
				t.Fatal(err)
			}
			if err := r.Add(ctx, []uint32{ids[7], 0}, base[:2*dim]); err != nil {
				t.Fatal(err)
			}
			if !r.Contains(ids[7]) || !r.Contains(0) || r.Contains(ids[8]) || r.Len() != n {
				t.Fatalf("%s: after delete and add: Len %d", name, r.Len())
			}
		}
	}
}

// searchAll returns the ids of the top 10 of each query at ef 64.
func searchAll(t *testing.T, h *index.HNSW, qs []float32, dim, nq int) [][]uint32 {
	t.Helper()
	out := make([][]uint32, nq)
	for i := range nq {
		res, err := h.Search(context.Background(), qs[i*dim:(i+1)*dim], 10, index.SearchOptions{EfSearch: 64})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			out[i] = append(out[i], r.ID)
		}
	}
	return out
}
