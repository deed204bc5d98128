package plot_test

import (
	"context"
	"errors"
	"testing"

	"github.com/embeddb/embeddb/plot"
)

// TestUMAP_Trustworthiness checks that UMAP keeps neighbourhoods on the
// 2,000 word vectors: trustworthiness (k = 10) within 0.05 of
// scikit-learn's t-SNE on the same data (testdata/tsne.json; umap-learn is
// not packaged in Debian, so t-SNE is the recorded reference), and well
// above PCA's.
func TestUMAP_Trustworthiness(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("UMAP of 2,000 points takes seconds, minutes under the race detector; skipped with -short and -race (TestUMAP_Deterministic runs UMAP race-checked)")
	}
	ref := loadTSNE(t)
	_, data, dim := loadWords(t)
	y, err := plot.UMAP(context.Background(), data, dim, plot.UMAPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := plot.Trustworthiness(data, dim, y, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trustworthiness %.4f; scikit-learn %s t-SNE %.4f, PCA %.4f", got, ref.Sklearn, ref.BarnesHut.Trust, ref.PCATrust)
	if got < ref.BarnesHut.Trust-0.05 {
		t.Errorf("trustworthiness = %.4f, more than 0.05 below scikit-learn's t-SNE (%.4f)", got, ref.BarnesHut.Trust)
	}
	if got < ref.PCATrust+0.05 {
		t.Errorf("trustworthiness = %.4f, not 0.05 above PCA's (%.4f)", got, ref.PCATrust)
	}
}

// TestUMAP_Deterministic runs the same input twice with each init, and
// checks that another seed gives another map.
func TestUMAP_Deterministic(t *testing.T) {
	_, data, dim := loadWords(t)
	x := data[:300*dim]
	for _, init := range []string{"pca", "random"} {
		opt := plot.UMAPOptions{NEpochs: 50, Init: init, Seed: 7}
		a, err := plot.UMAP(context.Background(), x, dim, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := plot.UMAP(context.Background(), x, dim, opt)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("init %s: point %d is %v then %v", init, i, a[i], b[i])
			}
		}
		opt.Seed = 8
		c, _ := plot.UMAP(context.Background(), x, dim, opt)
		same := true
		for i := range a {
			same = same && a[i] == c[i]
		}
		if same {
			t.Errorf("init %s: seeds 7 and 8 give the same map", init)
		}
	}
}

func TestUMAP_Errors(t *testing.T) {
	ctx := context.Background()
	data := []float32{0, 0, 1, 1, 2, 2, 3, 5}
	for _, tc := range []struct {
		name string
		data []float32
		opt  plot.UMAPOptions
		want error
	}{
		{"OnePoint", []float32{1, 2}, plot.UMAPOptions{}, plot.ErrInput},
		{"OneNeighbour", data, plot.UMAPOptions{NNeighbors: 1}, plot.ErrOption},
		{"MinDistAboveSpread", data, plot.UMAPOptions{MinDist: 2, Spread: 1}, plot.ErrOption},
		{"NegativeRate", data, plot.UMAPOptions{LearningRate: -1}, plot.ErrOption},
		{"Epochs", data, plot.UMAPOptions{NEpochs: -3}, plot.ErrOption},
		{"Init", data, plot.UMAPOptions{Init: "spectral"}, plot.ErrOption},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := plot.UMAP(ctx, tc.data, 2, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("UMAP error = %v, want %v", err, tc.want)
			}
		})
	}
	// Two points, and duplicates: no NaN.
	for _, d := range [][]float32{{0, 0, 1, 1}, {1, 1, 1, 1, 1, 1, 2, 2}} {
		y, err := plot.UMAP(ctx, d, 2, plot.UMAPOptions{})
		if err != nil {
			t.Fatalf("UMAP(%v): %v", d, err)
		}
		for _, p := range y {
			if p.X != p.X || p.Y != p.Y {
				t.Fatalf("UMAP(%v) = %v: NaN", d, y)
			}
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := plot.UMAP(cctx, data, 2, plot.UMAPOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("UMAP with a cancelled context: error = %v, want context.Canceled", err)
	}
}
