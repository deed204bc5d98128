package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// years draws a "year" for each of n rows, uniform over 1,000 values, as
// the filtered-search targets of issue 16 do; a filter year < s×1,000
// admits a fraction s of the rows.
func years(seed uint64, n int) []int {
	rng := rand.New(rand.NewPCG(seed, 3))
	y := make([]int, n)
	for i := range y {
		y[i] = rng.IntN(1000)
	}
	return y
}

// TestHNSW_FilteredSearch checks, at every selectivity from 50% to 0.1%
// (about 3 rows of 3,000 pass), that a filtered search returns k rows
// whenever k rows pass (all of them when fewer do), only rows that pass, and the exact answer's rows with
// recall@10 >= 0.95; and that SearchAmong over the admitted rows returns
// exactly the exact answer.
func TestHNSW_FilteredSearch(t *testing.T) {
	const n, dim, nq, k = 3000, 16, 20, 10
	ctx := context.Background()
	vecs := clustered(21, n, dim)
	qs := queriesNear(21, n, dim, nq)
	year := years(21, n)
	for _, m := range []index.Metric{index.Cosine, index.Euclidean} {
		h, err := index.Build(ctx, dim, seqIDs(n), vecs, index.Options{Metric: m, Workers: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := mustFlat(t, dim, m, seqIDs(n), vecs)
		for _, below := range []int{500, 100, 10, 1} {
			t.Run(fmt.Sprintf("%s/sel=%.1f%%", m, float64(below)/10), func(t *testing.T) {
				var admitted []uint32
				for i, y := range year {
					if y < below {
						admitted = append(admitted, uint32(i))
					}
				}
				opts := index.SearchOptions{Filter: func(id uint32) bool { return year[id] < below }}
				want := min(k, len(admitted))
				sel := float64(len(admitted)) / n
				var recall, scaledRecall float64
				for i := range nq {
					q := qs[i*dim : (i+1)*dim]
					got, err := h.Search(ctx, q, k, opts)
					if err != nil {
						t.Fatal(err)
					}
					// SearchFiltered: fewer accepted rows under a selective filter.
					scaled, err := h.SearchFiltered(ctx, q, k, sel, opts)
					if err != nil {
						t.Fatal(err)
					}
					exact, err := f.Search(ctx, q, k, opts)
					if err != nil {
						t.Fatal(err)
					}
					for _, got := range [][]index.Result{got, scaled} {
						if len(got) != want {
							t.Fatalf("query %d: %d rows, want %d (%d rows pass)", i, len(got), want, len(admitted))
						}
						for _, r := range got {
							if year[r.ID] >= below {
								t.Fatalf("query %d: row %d (year %d) does not pass year < %d", i, r.ID, year[r.ID], below)
							}
						}
					}
					recall += recallAt(got, exact)
					scaledRecall += recallAt(scaled, exact)
					among, err := h.SearchAmong(ctx, q, k, admitted, index.SearchOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if fmt.Sprint(among) != fmt.Sprint(exact) {
						t.Fatalf("query %d: SearchAmong = %v, exact %v", i, among, exact)
					}
				}
				if r := recall / nq; r < 0.95 {
					t.Errorf("recall@10 = %.3f, want >= 0.95", r)
				}
				if r := scaledRecall / nq; r < 0.95 {
					t.Errorf("SearchFiltered: recall@10 = %.3f, want >= 0.95", r)
				}
			})
		}
	}
}

func TestHNSW_SearchAmong(t *testing.T) {
	const n, dim = 500, 8
	ctx := context.Background()
	vecs := clustered(22, n, dim)
	h, err := index.Build(ctx, dim, seqIDs(n), vecs, index.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := vecs[:dim]
	t.Run("SkipsDeletedExcludedUnknownAndTwice", func(t *testing.T) {
		if err := h.Delete(3); err != nil {
			t.Fatal(err)
		}
		ids := []uint32{0, 3, 5, 5, 7, 9999}
		got, err := h.SearchAmong(ctx, q, 10, ids, index.SearchOptions{Exclude: []uint32{7}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != 0 || got[1].ID != 5 {
			t.Fatalf("SearchAmong(%v) = %v, want rows 0 and 5", ids, got)
		}
	})
	t.Run("ErrDim", func(t *testing.T) {
		if _, err := h.SearchAmong(ctx, q[:3], 10, []uint32{1}, index.SearchOptions{}); err == nil {
			t.Fatal("a query of the wrong length: no error")
		}
	})
	t.Run("Quantized", func(t *testing.T) {
		hq, err := index.Build(ctx, dim, seqIDs(n), vecs, index.Options{Quantization: index.QuantInt8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := mustFlat(t, dim, index.Cosine, seqIDs(n), vecs)
		ids := []uint32{4, 40, 400, 44}
		got, err := hq.SearchAmong(ctx, q, 2, ids, index.SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := f.Search(ctx, q, 2, index.SearchOptions{Filter: func(id uint32) bool { return id == 4 || id == 40 || id == 400 || id == 44 }})
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("quantized SearchAmong = %v, want %v", got, want)
		}
	})
}

func TestEstimateWalk(t *testing.T) {
	for _, c := range []struct {
		n    int64
		ef   int
		sel  float64
		want int64
	}{
		{1_000_000, 64, 0.5, 128},
		{1_000_000, 64, 0.001, 64_000},
		{1_000_000, 64, 0.00001, 1_000_000},
		{1000, 64, 0, 1000},
		{0, 64, 0.5, 0},
		{1000, 64, 1, 64},
	} {
		if got := index.EstimateWalk(c.n, c.ef, c.sel); got != c.want {
			t.Errorf("EstimateWalk(%d, %d, %g) = %d, want %d", c.n, c.ef, c.sel, got, c.want)
		}
	}
}

func TestFilteredEf(t *testing.T) {
	for _, c := range []struct {
		ef, k int
		sel   float64
		want  int
	}{
		{64, 10, 0.5, 64},
		{64, 10, 0.25, 64},
		{64, 10, 0.1, 41},    // 64·2·√0.1 = 40.5
		{64, 10, 0.01, 20},   // 12.8, but never under 2k
		{64, 10, 0, 64},      // not known
		{16, 10, 0.01, 16},   // never over ef
		{400, 10, 0.04, 160}, // SET ef_search = 400
	} {
		if got := index.FilteredEf(c.ef, c.k, c.sel); got != c.want {
			t.Errorf("FilteredEf(%d, %d, %g) = %d, want %d", c.ef, c.k, c.sel, got, c.want)
		}
	}
}
