package index_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/embeddb/embeddb/index"
)

// naiveDot is the float64 reference for the SIMD kernels.
func naiveDot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func randVec(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

func TestDotProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// Every length up to 70 exercises each tail of the AVX2 kernel
	// (32-, 8-, 4- and 1-wide steps); then a few large ones.
	lengths := []int{}
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 100, 300, 768, 1536, 4097)
	for _, n := range lengths {
		a, b := randVec(rng, n), randVec(rng, n)
		got, err := index.DotProduct(a, b)
		if err != nil {
			t.Fatalf("DotProduct(len %d) error %v", n, err)
		}
		want := naiveDot(a, b)
		if tol := 1e-5 * (1 + math.Sqrt(float64(n))) * 4; math.Abs(float64(got)-want) > tol {
			t.Errorf("DotProduct(len %d) = %v, want %v", n, got, want)
		}
	}
}

func TestDotProduct_ErrDimMismatch(t *testing.T) {
	_, err := index.DotProduct(make([]float32, 3), make([]float32, 4))
	var de *index.DimensionError
	if !errors.As(err, &de) || de.Want != 3 || de.Got != 4 || !errors.Is(err, index.ErrDimensionMismatch) {
		t.Fatalf("DotProduct(3, 4) error = %v, want DimensionError{3, 4}", err)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		in      []float32
		want    []float32
		wantErr error
	}{
		{"OK", []float32{3, 4}, []float32{0.6, 0.8}, nil},
		{"Negative", []float32{0, -2, 0}, []float32{0, -1, 0}, nil},
		{"ErrZeroVector", []float32{0, 0}, nil, index.ErrZeroVector},
		{"ErrNaN", []float32{1, float32(math.NaN())}, nil, index.ErrNotFinite},
		{"ErrInf", []float32{float32(math.Inf(-1)), 1}, nil, index.ErrNotFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := index.Normalize(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Normalize(%v) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
			}
			for i := range got {
				if math.Abs(float64(got[i]-tt.want[i])) > 1e-6 {
					t.Fatalf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
				}
			}
		})
	}
}

func TestCosineSimilarity(t *testing.T) {
	tests := []struct {
		name    string
		a, b    []float32
		want    float32
		wantErr error
	}{
		{"Same", []float32{1, 2, 3}, []float32{2, 4, 6}, 1, nil},
		{"Opposite", []float32{1, 0}, []float32{-5, 0}, -1, nil},
		{"Orthogonal", []float32{1, 0}, []float32{0, 7}, 0, nil},
		{"ErrDimMismatch", []float32{1}, []float32{1, 2}, 0, index.ErrDimensionMismatch},
		{"ErrZeroVector", []float32{0, 0}, []float32{1, 2}, 0, index.ErrZeroVector},
		{"ErrNaN", []float32{1, 1}, []float32{float32(math.NaN()), 2}, 0, index.ErrNotFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := index.CosineSimilarity(tt.a, tt.b)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CosineSimilarity(%v, %v) error = %v, want %v", tt.a, tt.b, err, tt.wantErr)
			}
			if math.Abs(float64(got-tt.want)) > 1e-6 {
				t.Fatalf("CosineSimilarity(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestCombine(t *testing.T) {
	tests := []struct {
		name     string
		pos, neg [][]float32
		want     []float32
		wantErr  error
	}{
		// Inputs are normalised first, so scale does not matter.
		{"OnePositive", [][]float32{{0, 10}}, nil, []float32{0, 1}, nil},
		{"TwoPositive", [][]float32{{1, 0}, {0, 100}}, nil, []float32{float32(math.Sqrt2 / 2), float32(math.Sqrt2 / 2)}, nil},
		// king - man + woman style: (x + y - x) -> y.
		{"Analogy", [][]float32{{1, 0}, {0, 3}}, [][]float32{{2, 0}}, []float32{0, 1}, nil},
		{"ErrCancels", [][]float32{{1, 1}}, [][]float32{{2, 2}}, nil, index.ErrZeroVector},
		{"ErrNone", nil, nil, nil, index.ErrZeroVector},
		{"ErrDimMismatch", [][]float32{{1, 1}}, [][]float32{{2, 2, 2}}, nil, index.ErrDimensionMismatch},
		{"ErrZeroInput", [][]float32{{0, 0}}, nil, nil, index.ErrZeroVector},
		{"ErrInf", [][]float32{{float32(math.Inf(1)), 0}}, nil, nil, index.ErrNotFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := index.Combine(tt.pos, tt.neg)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Combine(%v, %v) error = %v, want %v", tt.pos, tt.neg, err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Combine(%v, %v) = %v, want %v", tt.pos, tt.neg, got, tt.want)
			}
			for i := range got {
				if math.Abs(float64(got[i]-tt.want[i])) > 1e-6 {
					t.Fatalf("Combine(%v, %v) = %v, want %v", tt.pos, tt.neg, got, tt.want)
				}
			}
		})
	}
}

func TestParseMetric(t *testing.T) {
	tests := []struct {
		in      string
		want    index.Metric
		wantErr error
	}{
		{"cosine", index.Cosine, nil},
		{"COSINE", index.Cosine, nil},
		{"dot", index.Dot, nil},
		{"ip", index.Dot, nil},
		{"inner_product", index.Dot, nil},
		{"euclidean", index.Euclidean, nil},
		{" l2 ", index.Euclidean, nil},
		{"manhattan", 0, index.ErrUnknownMetric},
		{"", 0, index.ErrUnknownMetric},
	}
	for _, tt := range tests {
		got, err := index.ParseMetric(tt.in)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseMetric(%q) = %v, %v, want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			back, err := index.ParseMetric(got.String())
			if err != nil || back != got {
				t.Errorf("ParseMetric(%q.String() = %q) = %v, %v, want %v", tt.in, got.String(), back, err, got)
			}
		}
	}
	if got, want := index.Metric(9).String(), "Metric(9)"; got != want {
		t.Errorf("Metric(9).String() = %q, want %q", got, want)
	}
}

func TestOptions_Validate(t *testing.T) {
	tests := []struct {
		name    string
		opts    index.Options
		wantErr error
	}{
		{"Zero", index.Options{}, nil},
		{"Default", index.DefaultOptions(), nil},
		{"PgvectorLimits", index.Options{M: 100, EfConstruction: 1000, EfSearch: 1000}, nil},
		{"ErrMSmall", index.Options{M: 1}, index.ErrInvalidOption},
		{"ErrMLarge", index.Options{M: 101}, index.ErrInvalidOption},
		{"ErrEfcSmall", index.Options{EfConstruction: 3}, index.ErrInvalidOption},
		{"ErrEfcBelow2M", index.Options{M: 64, EfConstruction: 100}, index.ErrInvalidOption},
		{"ErrEfSearch", index.Options{EfSearch: index.MaxEfSearch + 1}, index.ErrInvalidOption},
		{"ErrNegativeEfSearch", index.Options{EfSearch: -1}, index.ErrInvalidOption},
		{"ErrWorkers", index.Options{Workers: -1}, index.ErrInvalidOption},
		{"ErrMetric", index.Options{Metric: 7}, index.ErrUnknownMetric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.opts.Validate(); !errors.Is(err, tt.wantErr) {
				t.Fatalf("%+v.Validate() = %v, want %v", tt.opts, err, tt.wantErr)
			}
		})
	}
}

func TestOptions_Set(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		value   any
		want    index.Options
		wantErr error
	}{
		{"M", "m", int64(32), index.Options{M: 32}, nil},
		{"EfConstructionFloat", "EF_CONSTRUCTION", float64(64), index.Options{EfConstruction: 64}, nil},
		{"EfSearch", "ef_search", 100, index.Options{EfSearch: 100}, nil},
		{"Metric", "metric", "l2", index.Options{Metric: index.Euclidean}, nil},
		{"Seed", "seed", int64(-5), index.Options{Seed: -5}, nil},
		{"Workers", "workers", int64(2), index.Options{Workers: 2}, nil},
		{"ErrFraction", "m", 1.5, index.Options{}, index.ErrInvalidOption},
		{"ErrString", "m", "16", index.Options{}, index.ErrInvalidOption},
		{"ErrBool", "ef_search", true, index.Options{}, index.ErrInvalidOption},
		{"ErrHuge", "m", int64(1) << 40, index.Options{}, index.ErrInvalidOption},
		{"ErrMetricType", "metric", int64(1), index.Options{}, index.ErrInvalidOption},
		{"ErrMetricName", "metric", "hamming", index.Options{}, index.ErrUnknownMetric},
		{"ErrUnknown", "lists", int64(100), index.Options{}, index.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got index.Options
			err := got.Set(tt.key, tt.value)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Set(%q, %v) error = %v, want %v", tt.key, tt.value, err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("Set(%q, %v) = %+v, want %+v", tt.key, tt.value, got, tt.want)
			}
		})
	}
}

func TestDefaultOptions_Fresh(t *testing.T) {
	a := index.DefaultOptions()
	a.M = 99
	if b := index.DefaultOptions(); b.M != index.DefaultM {
		t.Fatalf("DefaultOptions().M = %d after changing a copy, want %d", b.M, index.DefaultM)
	}
}
