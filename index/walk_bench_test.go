package index_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
)

// BenchmarkWalk_ExpandWidth compares, in one run, walks that expand one
// candidate per round with walks that expand two (the default) or three,
// on the float32 and the int8 index at the same ef_search: each iteration
// runs the same query at every width in turn, so that other processes on
// a shared machine slow them alike. Each width runs its own sequence of
// queries (width j starts j·nq/3 queries on), so that none finds the rows
// that another one's search of the same query left in the caches. It reports each width's recall@10 and
// queries per CPU second of the searching thread.
func BenchmarkWalk_ExpandWidth(b *testing.B) {
	widths := []int{1, 2, 3}
	for _, ds := range benchDatasets(b) {
		src := func(id uint32, dst []float32) error {
			copy(dst, ds.base[int(id)*ds.dim:int(id+1)*ds.dim])
			return nil
		}
		for _, q := range []index.Quantization{index.QuantNone, index.QuantInt8} {
			for _, ef := range []int{32, 64, 128} {
				b.Run(fmt.Sprintf("%s/%s/ef=%d", ds.name, q, ef), func(b *testing.B) {
					h := quantFor(b, ds, q)
					search := func(i int) ([]index.Result, error) {
						i %= ds.nq
						o := ds.opts(i)
						o.EfSearch, o.Vectors, o.Rescore = ef, src, 2
						return h.Search(context.Background(), ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o)
					}
					old := index.SetExpandWidth(1)
					defer index.SetExpandWidth(old)
					rec := make([]float64, len(widths))
					for j, w := range widths {
						index.SetExpandWidth(w)
						rec[j] = recallOf(b, ds, search)
					}
					cpu := make([]time.Duration, len(widths))
					lockThread()
					defer unlockThread()
					i := 0
					for b.Loop() {
						for j, w := range widths {
							index.SetExpandWidth(w)
							c0 := threadCPU()
							if _, err := search(i + j*ds.nq/len(widths)); err != nil {
								b.Fatal(err)
							}
							cpu[j] += threadCPU() - c0
						}
						if i++; i == ds.nq {
							i = 0
						}
					}
					for j, w := range widths {
						b.ReportMetric(rec[j], fmt.Sprintf("w%d-recall@10", w))
						b.ReportMetric(float64(b.N)/cpu[j].Seconds(), fmt.Sprintf("w%d-queries/cpu-s", w))
					}
				})
			}
		}
	}
}
