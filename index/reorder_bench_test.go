package index_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// orderedGraph is one graph in one slot order.
type orderedGraph struct {
	name string
	h    *index.HNSW
}

// reorderedGraphs returns the dataset's graph in its build order, then
// copies relabelled breadth-first, in random-projection-tree order, at
// random and by in-degree (reorder_export_test.go); with huge pages off as well when noHuge.
func reorderedGraphs(b *testing.B, ds *benchDataset, noHuge bool) []orderedGraph {
	base := hnswFor(b, ds)
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	read := func(huge bool, reorder func(*index.HNSW)) *index.HNSW {
		index.SetHugePages(huge)
		defer index.SetHugePages(true)
		h, err := index.ReadHNSW(bytes.NewReader(buf.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		if reorder != nil {
			reorder(h)
		}
		return h
	}
	gs := []orderedGraph{{"build", base}, {"bfs", read(true, index.ReorderBFS)}, {"tree", read(true, index.ReorderTree)}, {"random", read(true, index.ReorderRandom)}, {"indeg", read(true, index.ReorderInDegree)}}
	if noHuge {
		gs = append(gs, orderedGraph{"build-4k", read(false, nil)}, orderedGraph{"bfs-4k", read(false, index.ReorderBFS)})
	}
	return gs
}

// BenchmarkHNSW_Reorder times searches of one graph in its build order and
// relabelled (reorder_export_test.go), alternated in one run, at the ef values that
// reach recall@10 0.95 and 0.99 on the 331k word vectors; graphs with 4
// KiB pages show what huge pages already give.
func BenchmarkHNSW_Reorder(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		gs := reorderedGraphs(b, ds, true)
		for round := range reorderRounds {
			for _, ef := range []int{176, 704} {
				for _, g := range gs {
					b.Run(fmt.Sprintf("%s/round=%d/ef=%d/%s", ds.name, round, ef, g.name), func(b *testing.B) {
						searchBench(b, ds, g.h, ef)
					})
				}
			}
		}
	}
}

// reorderRounds is how many times BenchmarkHNSW_Reorder times every graph,
// alternating them (go test -count would time one graph count times in a
// row, where a neighbour's load on a shared machine skews one of them).
const reorderRounds = 3

// BenchmarkHNSW_ReorderLocality reports, per query (the first 500), the
// slots a walk visits and the distinct 64-byte lines and 4 KiB pages of
// the vectors array they span, in each slot order. One iteration is 500
// queries: run it with -benchtime 1x.
func BenchmarkHNSW_ReorderLocality(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		gs := reorderedGraphs(b, ds, false)
		for _, ef := range []int{176, 704} {
			for _, g := range gs {
				b.Run(fmt.Sprintf("%s/ef=%d/%s", ds.name, ef, g.name), func(b *testing.B) {
					var slots, lines, pages int
					nq := min(ds.nq, 500)
					for b.Loop() {
						for i := range nq {
							s, l, p := index.VisitedLocality(g.h, ds.qs[i*ds.dim:(i+1)*ds.dim], ef)
							slots, lines, pages = slots+s, lines+l, pages+p
						}
					}
					n := float64(nq * b.N)
					b.ReportMetric(float64(slots)/n, "slots/q")
					b.ReportMetric(float64(lines)/n, "lines/q")
					b.ReportMetric(float64(pages)/n, "pages/q")
				})
			}
		}
	}
}
