package plot

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// UMAPOptions are the settings of [UMAP]. The zero value of each field
// means umap-learn's default, given with the field.
type UMAPOptions struct {
	// NNeighbors is the size of the neighbourhood each point's fuzzy set
	// spans, the point itself included; 0 means 15, lowered to the number
	// of points when there are fewer. At least 2.
	NNeighbors int
	// MinDist is how close points may sit in the map; 0 means 0.1. It must
	// be below Spread (a negative value means 0).
	MinDist float64
	// Spread is the scale of the map; 0 means 1.
	Spread float64
	// NEpochs is the number of passes of stochastic gradient descent; 0
	// means 500 for up to 10,000 points and 200 above.
	NEpochs int
	// LearningRate is the initial step, decayed linearly to 0; 0 means 1.
	LearningRate float64
	// NegativeSampleRate is the number of random points pushed away for each
	// neighbour pulled in; 0 means 5.
	NegativeSampleRate int
	// Init is "pca" (the default, also for ""): the first two principal
	// components, or "random": uniform in [-10, 10]².
	Init string
	// Seed seeds the initial noise and the negative samples.
	Seed uint64
}

// Constants of umap-learn.
const (
	umapSmoothIter = 64     // binary search steps of smooth_knn_dist
	umapSmoothTol  = 1e-5   // SMOOTH_K_TOLERANCE
	umapMinKScale  = 1e-3   // MIN_K_DIST_SCALE
	umapClip       = 4.0    // gradient clip
	umapMaxPoints  = 200000 // exact k-NN beyond this would take hours
)

func (o *UMAPOptions) resolve(n int) error {
	switch {
	case o.NNeighbors == 0:
		o.NNeighbors = min(15, n)
	case o.NNeighbors < 2 || o.NNeighbors > 200:
		return fmt.Errorf("%w: n_neighbors must be from 2 to 200, found %d", ErrOption, o.NNeighbors)
	default:
		o.NNeighbors = min(o.NNeighbors, n)
	}
	if o.Spread == 0 {
		o.Spread = 1
	} else if !(o.Spread > 0) || math.IsInf(o.Spread, 0) {
		return fmt.Errorf("%w: spread must be positive, found %g", ErrOption, o.Spread)
	}
	if o.MinDist == 0 {
		o.MinDist = min(0.1, o.Spread/2)
	} else if o.MinDist < 0 {
		o.MinDist = 0
	}
	if !(o.MinDist < o.Spread) {
		return fmt.Errorf("%w: min_dist must be below spread (%g), found %g", ErrOption, o.Spread, o.MinDist)
	}
	if o.NEpochs == 0 {
		o.NEpochs = 500
		if n > 10000 {
			o.NEpochs = 200
		}
	} else if o.NEpochs < 1 || o.NEpochs > 10000 {
		return fmt.Errorf("%w: n_epochs must be from 1 to 10000, found %d", ErrOption, o.NEpochs)
	}
	if o.LearningRate == 0 {
		o.LearningRate = 1
	} else if !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0) {
		return fmt.Errorf("%w: learning_rate must be positive, found %g", ErrOption, o.LearningRate)
	}
	if o.NegativeSampleRate == 0 {
		o.NegativeSampleRate = 5
	} else if o.NegativeSampleRate < 0 || o.NegativeSampleRate > 100 {
		return fmt.Errorf("%w: negative_sample_rate must be from 1 to 100, found %d", ErrOption, o.NegativeSampleRate)
	}
	if o.Init != "" && o.Init != "pca" && o.Init != "random" {
		return fmt.Errorf("%w: init must be 'pca' or 'random', found %q", ErrOption, o.Init)
	}
	return nil
}

// UMAP embeds the rows of data (n rows of dim values) in two dimensions by
// uniform manifold approximation and projection (McInnes, Healy and
// Melville 2018), as umap-learn's UMAP(n_components=2) does with the same
// settings: the fuzzy simplicial set of each point's exact k nearest
// neighbours (Euclidean), calibrated by smooth_knn_dist and joined by fuzzy
// union; the curve 1/(1 + a·d^2b) fitted to min_dist and spread; then
// stochastic gradient descent over the edges, each sampled in proportion to
// its weight, with negative sampling. It starts from PCA (umap-learn's
// default is a spectral layout; its init='pca' is this one). One goroutine
// runs the descent, so a given input and options give the same result
// every time. It needs at least 2 points.
func UMAP(ctx context.Context, data []float32, dim int, opt UMAPOptions) ([]Point, error) {
	n, err := checkData(data, dim)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, fmt.Errorf("%w: UMAP needs at least 2 points, found %d", ErrInput, n)
	}
	if n > umapMaxPoints {
		return nil, fmt.Errorf("%w: UMAP draws at most %d points, found %d", ErrInput, umapMaxPoints, n)
	}
	if err := opt.resolve(n); err != nil {
		return nil, err
	}
	g, err := fuzzyGraph(ctx, data, dim, opt.NNeighbors)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x756d6170))
	y, err := umapInit(ctx, data, dim, n, opt, rng)
	if err != nil {
		return nil, err
	}
	a, b := fitAB(opt.Spread, opt.MinDist)
	if err := umapDescend(ctx, g, y, a, b, opt, rng); err != nil {
		return nil, err
	}
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{y[2*i], y[2*i+1]}
	}
	return pts, nil
}

// umapGraph is the fuzzy union of the points' neighbourhoods: an edge
// head -> tail of weight w for each ordered pair with w > 0.
type umapGraph struct {
	head, tail []int32
	w          []float64
}

// fuzzyGraph builds the graph as umap-learn's fuzzy_simplicial_set does
// with set_op_mix_ratio 1 and local_connectivity 1: w = a + aᵀ − a∘aᵀ.
func fuzzyGraph(ctx context.Context, data []float32, dim, k int) (*umapGraph, error) {
	n := len(data) / dim
	others := k - 1 // umap-learn counts the point itself as its first neighbour
	idx, sq, err := knn(ctx, data, dim, others)
	if err != nil {
		return nil, err
	}
	d := make([]float64, len(sq))
	for i, s := range sq {
		d[i] = math.Sqrt(s)
	}
	// Directed memberships, then their fuzzy union.
	dir := make([]map[int32]float64, n)
	for i := range dir {
		dir[i] = make(map[int32]float64, others)
	}
	var mean float64
	for _, x := range d {
		mean += x
	}
	mean /= float64(n * k) // the points themselves count, at distance 0
	for i := 0; i < n; i++ {
		row := d[i*others : (i+1)*others]
		rho, sigma := smoothKNN(row, k, mean)
		for r, j := range idx[i*others : (i+1)*others] {
			v := 1.0
			if row[r]-rho > 0 && sigma > 0 {
				v = math.Exp(-(row[r] - rho) / sigma)
			}
			dir[i][j] = v
		}
	}
	g := &umapGraph{}
	for i := 0; i < n; i++ {
		// Visit the union of i's out- and in-neighbours in a fixed order.
		for _, j := range idx[i*others : (i+1)*others] {
			g.addEdge(int32(i), j, dir)
		}
	}
	for i := 0; i < n; i++ {
		for _, j := range idx[i*others : (i+1)*others] {
			if _, ok := dir[j][int32(i)]; !ok {
				g.addEdge(j, int32(i), dir) // j -> i, which only i's list holds
			}
		}
	}
	return g, ctx.Err()
}

func (g *umapGraph) addEdge(i, j int32, dir []map[int32]float64) {
	a, b := dir[i][j], dir[j][i]
	if w := a + b - a*b; w > 0 {
		g.head, g.tail, g.w = append(g.head, i), append(g.tail, j), append(g.w, w)
	}
}

// smoothKNN is umap-learn's smooth_knn_dist for one point: rho is the
// distance to its nearest neighbour at a positive distance, sigma the scale
// for which Σ exp(−(d−rho)/sigma) over its neighbours is log2(k); mean is
// the mean of all neighbour distances.
func smoothKNN(row []float64, k int, mean float64) (rho, sigma float64) {
	target := math.Log2(float64(k))
	var rowMean float64
	for _, x := range row {
		rowMean += x
		if rho == 0 && x > 0 {
			rho = x
		}
	}
	rowMean /= float64(k) // the point itself counts, at distance 0
	lo, hi, mid := 0.0, math.Inf(1), 1.0
	for range umapSmoothIter {
		var psum float64
		for _, x := range row {
			if x-rho > 0 {
				psum += math.Exp(-(x - rho) / mid)
			} else {
				psum++
			}
		}
		if math.Abs(psum-target) < umapSmoothTol {
			break
		}
		if psum > target {
			hi = mid
			mid = (lo + hi) / 2
		} else {
			lo = mid
			if math.IsInf(hi, 1) {
				mid *= 2
			} else {
				mid = (lo + hi) / 2
			}
		}
	}
	if rho > 0 {
		mid = max(mid, umapMinKScale*rowMean)
	} else {
		mid = max(mid, umapMinKScale*mean)
	}
	return rho, mid
}

// umapInit returns the starting layout scaled, as umap-learn scales it,
// to [0, 10] on each axis: PCA with a little noise, or uniform.
func umapInit(ctx context.Context, data []float32, dim, n int, opt UMAPOptions, rng *rand.Rand) ([]float64, error) {
	var y []float64
	if opt.Init == "random" {
		y = make([]float64, 2*n)
		for i := range y {
			y[i] = rng.Float64()*20 - 10
		}
	} else {
		var err error
		if y, err = pcaProject(ctx, data, dim, 2); err != nil {
			return nil, err
		}
		// noisy_scale_coords(max_coord=10, noise=0.0001)
		var m float64
		for _, v := range y {
			m = max(m, math.Abs(v))
		}
		if m == 0 {
			m = 1
		}
		for i := range y {
			y[i] = y[i]*10/m + 1e-4*rng.NormFloat64()
		}
	}
	for c := 0; c < 2; c++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := c; i < len(y); i += 2 {
			lo, hi = min(lo, y[i]), max(hi, y[i])
		}
		if hi > lo {
			for i := c; i < len(y); i += 2 {
				y[i] = 10 * (y[i] - lo) / (hi - lo)
			}
		}
	}
	return y, nil
}

// umapDescend is umap-learn's optimize_layout_euclidean with one worker.
func umapDescend(ctx context.Context, g *umapGraph, y []float64, a, b float64, opt UMAPOptions, rng *rand.Rand) error {
	n := len(y) / 2
	nEpochs := float64(opt.NEpochs)
	var wMax float64
	for _, w := range g.w {
		wMax = max(wMax, w)
	}
	// make_epochs_per_sample, after dropping the edges too weak to be
	// sampled once.
	var head, tail []int32
	var eps []float64
	for e, w := range g.w {
		if w >= wMax/nEpochs {
			head, tail = append(head, g.head[e]), append(tail, g.tail[e])
			eps = append(eps, nEpochs/(nEpochs*w/wMax))
		}
	}
	negRate := float64(opt.NegativeSampleRate)
	next := make([]float64, len(eps))
	nextNeg := make([]float64, len(eps))
	for e := range eps {
		next[e] = eps[e]
		nextNeg[e] = eps[e] / negRate
	}
	clip := func(v float64) float64 { return max(-umapClip, min(umapClip, v)) }
	for epoch := 0; epoch < opt.NEpochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		// As in umap-learn, epoch e > 0 runs with the rate set after epoch
		// e-1.
		alpha := opt.LearningRate * (1 - float64(max(0, epoch-1))/nEpochs)
		fe := float64(epoch)
		for e := range eps {
			if next[e] > fe {
				continue
			}
			j, k := int(head[e]), int(tail[e])
			dx, dy := y[2*j]-y[2*k], y[2*j+1]-y[2*k+1]
			d2 := dx*dx + dy*dy
			if d2 > 0 {
				p := math.Exp(b * math.Log(d2)) // d2^b; d2^(b-1) is p/d2
				c := -2 * a * b * (p / d2) / (a*p + 1)
				gx, gy := clip(c*dx)*alpha, clip(c*dy)*alpha
				y[2*j] += gx
				y[2*j+1] += gy
				y[2*k] -= gx
				y[2*k+1] -= gy
			}
			next[e] += eps[e]
			epn := eps[e] / negRate
			nNeg := int((fe - nextNeg[e]) / epn)
			for range nNeg {
				k := rng.IntN(n)
				if k == j {
					continue
				}
				dx, dy := y[2*j]-y[2*k], y[2*j+1]-y[2*k+1]
				d2 := dx*dx + dy*dy
				if d2 <= 0 {
					continue
				}
				c := 2 * b / ((0.001 + d2) * (a*math.Exp(b*math.Log(d2)) + 1))
				y[2*j] += clip(c*dx) * alpha
				y[2*j+1] += clip(c*dy) * alpha
			}
			nextNeg[e] += float64(nNeg) * epn
		}
	}
	return nil
}

// fitAB fits 1/(1 + a·x^2b) to the curve that is 1 below minDist and
// exp(−(x − minDist)/spread) above it, on 300 points from 0 to 3·spread,
// by least squares, as umap-learn's find_ab_params does with scipy's
// curve_fit (Levenberg-Marquardt from a = b = 1).
func fitAB(spread, minDist float64) (a, b float64) {
	const m = 300
	xs, ys := make([]float64, m), make([]float64, m)
	for i := range xs {
		x := 3 * spread * float64(i) / (m - 1)
		xs[i] = x
		ys[i] = 1
		if x >= minDist {
			ys[i] = math.Exp(-(x - minDist) / spread)
		}
	}
	cost := func(a, b float64) float64 {
		var s float64
		for i, x := range xs {
			r := 1/(1+a*math.Pow(x, 2*b)) - ys[i]
			s += r * r
		}
		return s
	}
	a, b = 1, 1
	lambda := 1e-3
	c := cost(a, b)
	for range 500 {
		// Jacobian of the residuals, as normal equations.
		var jaa, jab, jbb, ga, gb float64
		for i, x := range xs {
			if x == 0 {
				continue
			}
			p := math.Pow(x, 2*b)
			den := 1 + a*p
			r := 1/den - ys[i]
			da := -p / (den * den)
			db := -a * p * 2 * math.Log(x) / (den * den)
			jaa += da * da
			jab += da * db
			jbb += db * db
			ga += da * r
			gb += db * r
		}
		for {
			h11, h22 := jaa*(1+lambda), jbb*(1+lambda)
			det := h11*h22 - jab*jab
			if det == 0 {
				return a, b
			}
			na := a - (h22*ga-jab*gb)/det
			nb := b - (h11*gb-jab*ga)/det
			if nc := cost(na, nb); nc < c {
				done := math.Abs(c-nc) <= 1e-15*c
				a, b, c = na, nb, nc
				lambda = max(lambda/10, 1e-12)
				if done {
					return a, b
				}
				break
			}
			lambda *= 10
			if lambda > 1e12 {
				return a, b
			}
		}
	}
	return a, b
}
