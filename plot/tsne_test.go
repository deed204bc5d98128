package plot_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/embeddb/embeddb/internal/testrace"
	"github.com/embeddb/embeddb/plot"
)

// TestTSNE_Sklearn checks that t-SNE keeps neighbourhoods as well as
// scikit-learn's does on the same data: trustworthiness (k = 10) within
// 0.02 of sklearn's TSNE (recorded by testdata/golden.sh), for Barnes-Hut
// on 2,000 word vectors and for the exact method on 300.
func TestTSNE_Sklearn(t *testing.T) {
	testrace.Skip(t)
	if testing.Short() {
		t.Skip("t-SNE of 2,000 points takes seconds; skipped with -short")
	}
	ref := loadTSNE(t)
	_, data, dim := loadWords(t)
	for _, tc := range []struct {
		name string
		rows int
		opt  plot.TSNEOptions
		want float64
	}{
		{"BarnesHut/n=2000", 2000, plot.TSNEOptions{}, ref.BarnesHut.Trust},
		{"Exact/n=300", 300, plot.TSNEOptions{}, ref.Exact.Trust},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := data[:tc.rows*dim]
			y, err := plot.TSNE(context.Background(), x, dim, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := plot.Trustworthiness(x, dim, y, 10)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("trustworthiness %.4f, scikit-learn %s %.4f", got, ref.Sklearn, tc.want)
			if math.Abs(got-tc.want) > 0.02 {
				t.Errorf("trustworthiness = %.4f, scikit-learn's = %.4f: differ by more than 0.02", got, tc.want)
			}
		})
	}
}

// TestTSNE_Deterministic runs the same input twice, Barnes-Hut and exact.
func TestTSNE_Deterministic(t *testing.T) {
	_, data, dim := loadWords(t)
	x := data[:400*dim]
	for _, exactMax := range []int{-1, 1000} {
		opt := plot.TSNEOptions{MaxIter: 300, ExactMax: exactMax, Init: "random", Seed: 7}
		a, err := plot.TSNE(context.Background(), x, dim, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := plot.TSNE(context.Background(), x, dim, opt)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("ExactMax %d: point %d is %v then %v", exactMax, i, a[i], b[i])
			}
		}
	}
}

func TestTSNE_Errors(t *testing.T) {
	ctx := context.Background()
	data := []float32{0, 0, 1, 1, 2, 2}
	for _, tc := range []struct {
		name string
		data []float32
		opt  plot.TSNEOptions
		want error
	}{
		{"OnePoint", []float32{1, 2}, plot.TSNEOptions{}, plot.ErrInput},
		{"PerplexityTooLarge", data, plot.TSNEOptions{Perplexity: 3}, plot.ErrOption},
		{"NegativeRate", data, plot.TSNEOptions{LearningRate: -1}, plot.ErrOption},
		{"FewIterations", data, plot.TSNEOptions{MaxIter: 10}, plot.ErrOption},
		{"Init", data, plot.TSNEOptions{Init: "spectral"}, plot.ErrOption},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := plot.TSNE(ctx, tc.data, 2, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("TSNE error = %v, want %v", err, tc.want)
			}
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := plot.TSNE(cctx, data, 2, plot.TSNEOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("TSNE with a cancelled context: error = %v, want context.Canceled", err)
	}
}

func TestTrustworthiness(t *testing.T) {
	// A map that is the data itself is perfectly trustworthy.
	data := []float32{0, 0, 1, 0, 3, 0, 7, 0, 15, 0, 31, 0}
	pts := []plot.Point{{0, 0}, {1, 0}, {3, 0}, {7, 0}, {15, 0}, {31, 0}}
	got, err := plot.Trustworthiness(data, 2, pts, 2)
	if err != nil || got != 1 {
		t.Errorf("Trustworthiness of the identity = %v, %v; want 1", got, err)
	}
	// Reversing the order on a line keeps the nearest neighbours except
	// at the ends... a shuffled map scores below 1.
	shuffled := []plot.Point{{0, 0}, {31, 0}, {1, 0}, {15, 0}, {3, 0}, {7, 0}}
	got, _ = plot.Trustworthiness(data, 2, shuffled, 2)
	if !(got < 1) {
		t.Errorf("Trustworthiness of a shuffled map = %v, want < 1", got)
	}
	if _, err := plot.Trustworthiness(data, 2, pts, 3); !errors.Is(err, plot.ErrOption) {
		t.Errorf("Trustworthiness(k = n/2) error = %v, want ErrOption", err)
	}
}
