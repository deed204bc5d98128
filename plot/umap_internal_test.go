package plot

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestFitAB checks the curve parameters against umap-learn's
// find_ab_params, run with scipy by testdata/golden.py (testdata/umap.json).
func TestFitAB(t *testing.T) {
	data, err := os.ReadFile("testdata/umap.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		AB []struct {
			Spread  float64 `json:"spread"`
			MinDist float64 `json:"min_dist"`
			A       float64 `json:"a"`
			B       float64 `json:"b"`
		} `json:"ab"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.AB) == 0 {
		t.Fatal("testdata/umap.json has no cases")
	}
	for _, c := range ref.AB {
		a, b := fitAB(c.Spread, c.MinDist)
		if math.Abs(a-c.A) > 1e-5*c.A || math.Abs(b-c.B) > 1e-5*c.B {
			t.Errorf("fitAB(spread %g, min_dist %g) = %.8f, %.8f; umap-learn's = %.8f, %.8f", c.Spread, c.MinDist, a, b, c.A, c.B)
		}
	}
}

// TestSmoothKNN checks the calibration: the memberships of a point's
// neighbours sum to log2(k).
func TestSmoothKNN(t *testing.T) {
	row := []float64{0.5, 0.7, 0.9, 1.4, 2.0, 2.2, 3.1}
	k := len(row) + 1
	rho, sigma := smoothKNN(row, k, 1)
	if rho != 0.5 {
		t.Errorf("rho = %g, want 0.5", rho)
	}
	var sum float64
	for _, d := range row {
		sum += math.Exp(-max(0, d-rho) / sigma)
	}
	if math.Abs(sum-math.Log2(float64(k))) > 1e-4 {
		t.Errorf("memberships sum to %g, want log2(%d) = %g", sum, k, math.Log2(float64(k)))
	}
}
