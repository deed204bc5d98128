package plot

import (
	"fmt"
	"sort"
)

// Trustworthiness measures, from 0 to 1, how far the k nearest neighbours
// of each point in the map emb are also near it in the original data (n
// rows of dim values), as sklearn.manifold.trustworthiness computes it with
// the Euclidean metric: 1 − 2/(nk(2n−3k−1)) · Σᵢ Σ_{j ∈ Uᵢ} (r(i,j) − k),
// where Uᵢ are the map's neighbours of i that are not among its k nearest
// in the data and r(i,j) is the rank of j among i's data neighbours. k must
// be below n/2.
func Trustworthiness(data []float32, dim int, emb []Point, k int) (float64, error) {
	n, err := checkData(data, dim)
	if err != nil {
		return 0, err
	}
	if len(emb) != n {
		return 0, fmt.Errorf("%w: %d points in the map for %d rows", ErrInput, len(emb), n)
	}
	if k < 1 || float64(k) >= float64(n)/2 {
		return 0, fmt.Errorf("%w: k must be from 1 to below n/2 = %g, found %d", ErrOption, float64(n)/2, k)
	}
	rank := make([]int, n)
	order := make([]int, 0, n)
	d := make([]float64, n)
	e := make([]float64, n)
	var t float64
	for i := 0; i < n; i++ {
		order = order[:0]
		for j := 0; j < n; j++ {
			if j != i {
				d[j] = sqDists32(data[i*dim:(i+1)*dim], data[j*dim:(j+1)*dim])
				dx, dy := emb[i].X-emb[j].X, emb[i].Y-emb[j].Y
				e[j] = dx*dx + dy*dy
				order = append(order, j)
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return d[order[a]] < d[order[b]] })
		for r, j := range order {
			rank[j] = r + 1
		}
		sort.SliceStable(order, func(a, b int) bool { return e[order[a]] < e[order[b]] })
		for _, j := range order[:k] {
			if r := rank[j] - k; r > 0 {
				t += float64(r)
			}
		}
	}
	nf, kf := float64(n), float64(k)
	return 1 - t*(2/(nf*kf*(2*nf-3*kf-1))), nil
}
