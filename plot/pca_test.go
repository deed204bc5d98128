package plot_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/embeddb/embeddb/plot"
)

// TestPCA_Sklearn compares with scikit-learn's PCA(n_components=2) up to
// the sign of each component, to 1e-4 (testdata/golden.sh records it).
func TestPCA_Sklearn(t *testing.T) {
	words, data, dim := loadWords(t)
	for _, tc := range []struct {
		name, golden string
		rows         int
	}{
		{"n=2000", "testdata/pca.tsv", 2000},
		{"n=20<dim", "testdata/pca20.tsv", 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gw, want := loadTSV(t, tc.golden)
			got, err := plot.PCA(context.Background(), data[:tc.rows*dim], dim)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("PCA gave %d points, want %d", len(got), len(want))
			}
			for c := 0; c < 2; c++ {
				sign := 1.0
				if coord(got[0], c)*want[0][c] < 0 {
					sign = -1
				}
				worst := 0.0
				for i := range got {
					if gw[i] != words[i] {
						t.Fatalf("golden row %d is %q, data row is %q", i, gw[i], words[i])
					}
					worst = math.Max(worst, math.Abs(sign*coord(got[i], c)-want[i][c]))
				}
				if worst > 1e-4 {
					t.Errorf("component %d: largest difference from scikit-learn %g, want ≤ 1e-4", c, worst)
				}
			}
		})
	}
}

func coord(p plot.Point, c int) float64 {
	if c == 0 {
		return p.X
	}
	return p.Y
}

func TestPCA_Exact(t *testing.T) {
	// Points on a line y = 2x (plus a constant): one component carries all
	// the variance, the second is zero, and the first is the distance along
	// the line from the mean.
	data := []float32{0, 1, 1, 3, 2, 5, 3, 7}
	got, err := plot.PCA(context.Background(), data, 2)
	if err != nil {
		t.Fatal(err)
	}
	s5 := math.Sqrt(5)
	want := []float64{-1.5 * s5, -0.5 * s5, 0.5 * s5, 1.5 * s5}
	for i, p := range got {
		if math.Abs(p.X-want[i]) > 1e-12 || math.Abs(p.Y) > 1e-12 {
			t.Errorf("PCA point %d = %v, want (%g, 0)", i, p, want[i])
		}
	}
}

func TestPCA_Errors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		data []float32
		dim  int
	}{
		{"NoRows", nil, 3},
		{"ZeroDim", []float32{1}, 0},
		{"Ragged", []float32{1, 2, 3}, 2},
		{"NaN", []float32{1, float32(math.NaN())}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := plot.PCA(ctx, tc.data, tc.dim); !errors.Is(err, plot.ErrInput) {
				t.Errorf("PCA(%v, %d) error = %v, want ErrInput", tc.data, tc.dim, err)
			}
		})
	}
	// One row: a single point at the origin.
	got, err := plot.PCA(ctx, []float32{1, 2, 3}, 3)
	if err != nil || len(got) != 1 || got[0] != (plot.Point{}) {
		t.Errorf("PCA of one row = %v, %v; want [(0, 0)]", got, err)
	}
}

func TestKMeans(t *testing.T) {
	// Two well separated blobs of 3 and 5 points: the larger is cluster 0.
	data := []float32{10, 10, 10.1, 10, 10, 10.2, 0, 0, 0.1, 0, 0, 0.1, 0.2, 0.1, 0.1, 0.2}
	got, err := plot.KMeans(context.Background(), data, 2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{1, 1, 1, 0, 0, 0, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("KMeans = %v, want %v", got, want)
		}
	}
	if _, err := plot.KMeans(context.Background(), data, 2, 0, 1); !errors.Is(err, plot.ErrOption) {
		t.Errorf("KMeans(k=0) error = %v, want ErrOption", err)
	}
}
