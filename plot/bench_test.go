package plot_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/embeddb/embeddb/plot"
)

// BenchmarkPCA projects 100,000 random 100-dimensional rows (the issue's
// target: under a second).
func BenchmarkPCA(b *testing.B) {
	const n, dim = 100000, 100
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, n*dim)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := plot.PCA(context.Background(), data, dim); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkProjections maps the 2,000 test word vectors by Barnes-Hut
// t-SNE and by UMAP, each with its reference's defaults, in one run, and
// reports each map's trustworthiness (k = 10) and CPU time.
func BenchmarkProjections(b *testing.B) {
	_, data, dim := loadWords(b)
	for _, m := range []struct {
		name string
		run  func() ([]plot.Point, error)
	}{
		{"tsne", func() ([]plot.Point, error) { return plot.TSNE(context.Background(), data, dim, plot.TSNEOptions{}) }},
		{"umap", func() ([]plot.Point, error) {
			return plot.UMAP(context.Background(), data, dim, plot.UMAPOptions{Seed: 1})
		}},
	} {
		b.Run(m.name, func(b *testing.B) {
			var y []plot.Point
			cpu0 := cpuTime()
			for b.Loop() {
				var err error
				if y, err = m.run(); err != nil {
					b.Fatal(err)
				}
			}
			cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
			tw, err := plot.Trustworthiness(data, dim, y, 10)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(tw, "trustworthiness")
			b.ReportMetric(cpu, "cpu-s/op")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
		})
	}
}

// BenchmarkTSNE maps the 2,000 test word vectors by Barnes-Hut t-SNE with
// scikit-learn's defaults and reports the map's trustworthiness (k = 10).
func BenchmarkTSNE(b *testing.B) {
	_, data, dim := loadWords(b)
	b.ReportAllocs()
	var y []plot.Point
	cpu0 := cpuTime()
	for b.Loop() {
		var err error
		y, err = plot.TSNE(context.Background(), data, dim, plot.TSNEOptions{})
		if err != nil {
			b.Fatal(err)
		}
	}
	cpu := (cpuTime() - cpu0).Seconds() / float64(b.N)
	tw, err := plot.Trustworthiness(data, dim, y, 10)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(tw, "trustworthiness")
	b.ReportMetric(cpu, "cpu-s/op")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
}
