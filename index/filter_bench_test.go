package index_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// BenchmarkHNSW_FilteredSearch searches with a filter year < s × 1,000 over
// a year drawn uniformly from 1,000 values, at selectivities s of 50% to
// 0.01%, three ways: walking the graph with the filter (walk), the same
// with the accepted rows it looks for scaled by the selectivity (scaled:
// SearchFiltered, FilteredEf) and comparing the query with the admitted
// rows only (among, what a scalar index makes possible). It reports recall@10 against an exact filtered scan, the
// fewest rows any query returned less the rows it should have returned
// (0 when every query got min(10, admitted) rows), and queries/s.
func BenchmarkHNSW_FilteredSearch(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		year := years(5, ds.n)
		for _, below := range []int{500, 100, 50, 20, 10, 1} {
			if ds.n < 100_000 && below == 1 {
				continue // 0.1% of 10k is 10 rows: nothing to measure
			}
			var admitted []uint32
			for i, y := range year {
				if y < below {
					admitted = append(admitted, uint32(i))
				}
			}
			opts := index.SearchOptions{Filter: func(id uint32) bool { return year[id] < below }}
			for _, mode := range []string{"walk", "scaled", "among"} {
				b.Run(fmt.Sprintf("%s/sel=%g%%/%s", ds.name, float64(below)/10, mode), func(b *testing.B) {
					h := hnswFor(b, ds)
					search := func(q []float32) ([]index.Result, error) {
						switch mode {
						case "among":
							return h.SearchAmong(context.Background(), q, benchK, admitted, index.SearchOptions{})
						case "scaled":
							return h.SearchFiltered(context.Background(), q, benchK, float64(below)/1000, opts)
						}
						return h.Search(context.Background(), q, benchK, opts)
					}
					rec, short := filteredRecall(b, ds, admitted, opts, search)
					b.ReportAllocs()
					lockThread()
					defer unlockThread()
					cpu0 := threadCPU()
					i := 0
					for b.Loop() {
						if _, err := search(ds.qs[i*ds.dim : (i+1)*ds.dim]); err != nil {
							b.Fatal(err)
						}
						if i++; i == ds.nq {
							i = 0
						}
					}
					b.ReportMetric(rec, "recall@10")
					b.ReportMetric(float64(short), "rows-short")
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
					b.ReportMetric(float64(b.N)/(threadCPU()-cpu0).Seconds(), "queries/cpu-s")
				})
			}
		}
	}
}

// filteredRecall returns the mean recall@10 of search against an exact
// filtered scan over the first 50 queries, and the most rows any query
// returned short of min(10, admitted).
func filteredRecall(b *testing.B, ds *benchDataset, admitted []uint32, opts index.SearchOptions,
	search func([]float32) ([]index.Result, error)) (float64, int) {
	b.Helper()
	f := mustFlat(b, ds.dim, index.Cosine, seqIDs(ds.n), ds.base)
	nq := min(ds.nq, 50)
	var sum float64
	short := 0
	for i := range nq {
		q := ds.qs[i*ds.dim : (i+1)*ds.dim]
		got, err := search(q)
		if err != nil {
			b.Fatal(err)
		}
		exact, err := f.Search(context.Background(), q, benchK, opts)
		if err != nil {
			b.Fatal(err)
		}
		sum += recallAt(got, exact)
		short = max(short, min(benchK, len(admitted))-len(got))
	}
	return sum / float64(nq), short
}
