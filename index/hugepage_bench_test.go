package index_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
)

// BenchmarkHNSW_HugePages compares, in one run, two copies of the same
// index (read from the saved file of EMBEDDB_INDEX_DATA), one of them with
// its arrays on huge pages (what ReadHNSW and Build now ask for) and one
// without (index.NoHugePages), alternating queries between them: each
// copy runs its own sequence of queries, so that neither finds rows the
// other left in the caches. It reports each one's queries per CPU second.
func BenchmarkHNSW_HugePages(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		if ds.dir == "" {
			b.Skip("needs EMBEDDB_INDEX_DATA: the copies are read from the saved index")
		}
		src := func(id uint32, dst []float32) error {
			copy(dst, ds.base[int(id)*ds.dim:int(id+1)*ds.dim])
			return nil
		}
		for _, q := range []index.Quantization{index.QuantNone, index.QuantInt8} {
			for _, ef := range []int{64, 192} {
				b.Run(fmt.Sprintf("%s/%s/ef=%d", ds.name, q, ef), func(b *testing.B) {
					quantFor(b, ds, q) // saves the file if it is not there
					file := ds.cacheFile()
					if q != index.QuantNone {
						file = filepath.Join(ds.dir, "embeddb-hnsw-"+q.String()+".idx")
					}
					raw, err := os.ReadFile(file)
					if err != nil {
						b.Fatal(err)
					}
					copies := make([]*index.HNSW, 2)
					for j := range copies {
						index.SetHugePages(j == 1)
						if copies[j], err = index.ReadHNSW(bytes.NewReader(raw)); err != nil {
							b.Fatal(err)
						}
					}
					index.SetHugePages(true)
					var cpu [2]time.Duration
					lockThread()
					defer unlockThread()
					i := 0
					for b.Loop() {
						for j, h := range copies {
							k := (i + j*ds.nq/2) % ds.nq
							o := ds.opts(k)
							o.EfSearch, o.Vectors, o.Rescore = ef, src, 2
							c0 := threadCPU()
							if _, err := h.Search(context.Background(), ds.qs[k*ds.dim:(k+1)*ds.dim], benchK, o); err != nil {
								b.Fatal(err)
							}
							cpu[j] += threadCPU() - c0
						}
						if i++; i == ds.nq {
							i = 0
						}
					}
					b.ReportMetric(float64(b.N)/cpu[0].Seconds(), "4k-queries/cpu-s")
					b.ReportMetric(float64(b.N)/cpu[1].Seconds(), "huge-queries/cpu-s")
					b.ReportMetric(cpu[0].Seconds()/cpu[1].Seconds(), "huge/4k-speed")
				})
			}
		}
	}
}
