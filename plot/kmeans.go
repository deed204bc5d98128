package plot

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// KMeans groups the rows of data (n rows of dim values) into k clusters
// and returns each row's cluster, 0..k-1, numbered by decreasing size (ties
// by first row), so that colours follow the largest groups. It seeds the
// centres by k-means++ with a PCG generator from seed and runs Lloyd's
// iterations until no row moves (at most 300, scikit-learn's max_iter).
// With fewer distinct rows than k, some clusters stay empty.
func KMeans(ctx context.Context, data []float32, dim, k int, seed uint64) ([]int, error) {
	n, err := checkData(data, dim)
	if err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("%w: clusters must be at least 1, found %d", ErrOption, k)
	}
	k = min(k, n)
	rng := rand.New(rand.NewPCG(seed, 0x6b6d65616e73))
	centers := seedCenters(data, dim, n, k, rng)
	assign := make([]int, n)
	for i := range assign {
		assign[i] = -1
	}
	sums := make([]float64, k*dim)
	counts := make([]int, k)
	for it := 0; it < 300; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		moved := false
		for i := 0; i < n; i++ {
			c := nearestCenter(data[i*dim:(i+1)*dim], centers, dim, k)
			if c != assign[i] {
				assign[i], moved = c, true
			}
		}
		if !moved {
			break
		}
		clear(sums)
		clear(counts)
		for i := 0; i < n; i++ {
			c := assign[i]
			counts[c]++
			for j, v := range data[i*dim : (i+1)*dim] {
				sums[c*dim+j] += float64(v)
			}
		}
		for c := 0; c < k; c++ {
			if counts[c] == 0 {
				continue // an empty cluster keeps its centre
			}
			for j := 0; j < dim; j++ {
				centers[c*dim+j] = sums[c*dim+j] / float64(counts[c])
			}
		}
	}
	return renumberBySize(assign, k), nil
}

// seedCenters picks k centres by k-means++: each next centre is a row drawn
// with probability proportional to its squared distance to the nearest
// centre so far.
func seedCenters(data []float32, dim, n, k int, rng *rand.Rand) []float64 {
	centers := make([]float64, k*dim)
	first := rng.IntN(n)
	for j, v := range data[first*dim : (first+1)*dim] {
		centers[j] = float64(v)
	}
	d2 := make([]float64, n)
	for i := range d2 {
		d2[i] = math.Inf(1)
	}
	for c := 1; c < k; c++ {
		var total float64
		prev := centers[(c-1)*dim : c*dim]
		for i := 0; i < n; i++ {
			d := sqDist64(data[i*dim:(i+1)*dim], prev)
			d2[i] = min(d2[i], d)
			total += d2[i]
		}
		pick := n - 1
		if total > 0 {
			r := rng.Float64() * total
			for i := 0; i < n; i++ {
				r -= d2[i]
				if r < 0 {
					pick = i
					break
				}
			}
		} else {
			pick = rng.IntN(n)
		}
		for j, v := range data[pick*dim : (pick+1)*dim] {
			centers[c*dim+j] = float64(v)
		}
	}
	return centers
}

func sqDist64(a []float32, b []float64) float64 {
	var s float64
	b = b[:len(a)]
	for i, v := range a {
		d := float64(v) - b[i]
		s += d * d
	}
	return s
}

func nearestCenter(row []float32, centers []float64, dim, k int) int {
	best, bestD := 0, math.Inf(1)
	for c := 0; c < k; c++ {
		if d := sqDist64(row, centers[c*dim:(c+1)*dim]); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// renumberBySize renames clusters so that 0 is the largest.
func renumberBySize(assign []int, k int) []int {
	counts := make([]int, k)
	first := make([]int, k)
	for i := range first {
		first[i] = len(assign)
	}
	for i, c := range assign {
		counts[c]++
		first[c] = min(first[c], i)
	}
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	for i := 1; i < k; i++ { // insertion sort: k is small
		for j := i; j > 0; j-- {
			a, b := order[j-1], order[j]
			if counts[b] > counts[a] || (counts[b] == counts[a] && first[b] < first[a]) {
				order[j-1], order[j] = b, a
			}
		}
	}
	rename := make([]int, k)
	for newID, old := range order {
		rename[old] = newID
	}
	out := make([]int, len(assign))
	for i, c := range assign {
		out[i] = rename[c]
	}
	return out
}
