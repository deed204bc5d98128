package plot

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// TSNEOptions are the settings of [TSNE]. The zero value of each field
// means scikit-learn's default, given with the field.
type TSNEOptions struct {
	// Perplexity balances attention between local and global structure;
	// 0 means 30, lowered to (n-1)/3 when there are too few points for
	// it. A value set by the caller must be below the number of points.
	Perplexity float64
	// EarlyExaggeration multiplies the affinities for the first 250
	// iterations; 0 means 12.
	EarlyExaggeration float64
	// LearningRate is the step of gradient descent; 0 means "auto":
	// max(n / EarlyExaggeration / 4, 50).
	LearningRate float64
	// MaxIter is the number of iterations, at least 250; 0 means 1000.
	MaxIter int
	// Angle is the Barnes-Hut accuracy threshold θ; 0 means 0.5.
	Angle float64
	// Init is "pca" (the default, also for "") or "random" (a Gaussian of
	// standard deviation 1e-4 drawn from Seed).
	Init string
	// Seed seeds the random initialisation.
	Seed uint64
	// ExactMax is the largest number of points whose gradient is computed
	// exactly (O(n²) per iteration, with affinities over all points); above
	// it Barnes-Hut is used, with affinities over the 3·perplexity+1
	// nearest neighbours. 0 means 1000; a negative value means always
	// Barnes-Hut.
	ExactMax int
}

// The fixed parameters of scikit-learn's optimiser.
const (
	explorationIter  = 250
	iterCheck        = 50
	iterNoProgress   = 300
	minGain          = 0.01
	minGradNorm      = 1e-7
	machineEpsilon   = 2.220446049250313e-16
	perplexityTol    = 1e-5
	perplexitySteps  = 100
	float32Tiny      = 1.1754943508222875e-38
	defaultExactMax  = 1000
	defaultPerplex   = 30.0
	defaultExaggerat = 12.0
)

func (o *TSNEOptions) resolve(n int) error {
	switch {
	case o.Perplexity == 0:
		o.Perplexity = min(defaultPerplex, math.Max(float64(n-1)/3, 1))
	case !(o.Perplexity > 0) || o.Perplexity >= float64(n):
		return fmt.Errorf("%w: perplexity must be positive and below the number of points (%d), found %g", ErrOption, n, o.Perplexity)
	}
	if o.EarlyExaggeration == 0 {
		o.EarlyExaggeration = defaultExaggerat
	} else if !(o.EarlyExaggeration >= 1) {
		return fmt.Errorf("%w: early_exaggeration must be at least 1, found %g", ErrOption, o.EarlyExaggeration)
	}
	if o.LearningRate == 0 {
		o.LearningRate = math.Max(float64(n)/o.EarlyExaggeration/4, 50)
	} else if !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0) {
		return fmt.Errorf("%w: learning_rate must be positive, found %g", ErrOption, o.LearningRate)
	}
	if o.MaxIter == 0 {
		o.MaxIter = 1000
	} else if o.MaxIter < explorationIter || o.MaxIter > 100000 {
		return fmt.Errorf("%w: max_iter must be from %d to 100000, found %d", ErrOption, explorationIter, o.MaxIter)
	}
	if o.Angle == 0 {
		o.Angle = 0.5
	} else if !(o.Angle > 0 && o.Angle <= 1) {
		return fmt.Errorf("%w: angle must be in (0, 1], found %g", ErrOption, o.Angle)
	}
	if o.Init != "" && o.Init != "pca" && o.Init != "random" {
		return fmt.Errorf("%w: init must be 'pca' or 'random', found %q", ErrOption, o.Init)
	}
	if o.ExactMax == 0 {
		o.ExactMax = defaultExactMax
	}
	return nil
}

// TSNE embeds the rows of data (n rows of dim values) in two dimensions by
// t-SNE, as scikit-learn's TSNE(n_components=2) does with the same
// settings: squared Euclidean distances, affinities calibrated to the
// perplexity by binary search, early exaggeration, gradient descent with
// momentum and per-coordinate gains, stopping early when the error has not
// improved for 300 iterations. A given input and options give the same
// result every time. It needs at least 2 points.
func TSNE(ctx context.Context, data []float32, dim int, opt TSNEOptions) ([]Point, error) {
	n, err := checkData(data, dim)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, fmt.Errorf("%w: t-SNE needs at least 2 points, found %d", ErrInput, n)
	}
	if err := opt.resolve(n); err != nil {
		return nil, err
	}
	y, err := tsneInit(ctx, data, dim, n, opt)
	if err != nil {
		return nil, err
	}
	var obj objective
	if opt.ExactMax >= n {
		obj, err = newExact(ctx, data, dim, opt.Perplexity)
	} else {
		obj, err = newBarnesHut(ctx, data, dim, opt.Perplexity, opt.Angle)
	}
	if err != nil {
		return nil, err
	}
	obj.scaleP(opt.EarlyExaggeration)
	it, err := descend(ctx, obj, y, 0, explorationIter, 0.5, opt.LearningRate, explorationIter)
	if err != nil {
		return nil, err
	}
	obj.scaleP(1 / opt.EarlyExaggeration)
	if _, err := descend(ctx, obj, y, it+1, opt.MaxIter, 0.8, opt.LearningRate, iterNoProgress); err != nil {
		return nil, err
	}
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{y[2*i], y[2*i+1]}
	}
	return pts, nil
}

// tsneInit returns the starting layout: the first two principal
// components scaled so that the first has standard deviation 1e-4, or a
// seeded Gaussian.
func tsneInit(ctx context.Context, data []float32, dim, n int, opt TSNEOptions) ([]float64, error) {
	if opt.Init == "random" {
		rng := rand.New(rand.NewPCG(opt.Seed, 0x74736e65))
		y := make([]float64, 2*n)
		for i := range y {
			y[i] = 1e-4 * rng.NormFloat64()
		}
		return y, nil
	}
	y, err := pcaProject(ctx, data, dim, 2)
	if err != nil {
		return nil, err
	}
	var mean, sq float64
	for i := 0; i < n; i++ {
		mean += y[2*i]
	}
	mean /= float64(n)
	for i := 0; i < n; i++ {
		sq += (y[2*i] - mean) * (y[2*i] - mean)
	}
	sd := math.Sqrt(sq / float64(n))
	if sd == 0 {
		sd = 1
	}
	for i := range y {
		y[i] = float64(float32(y[i])) / sd * 1e-4 // scikit-learn rounds to float32 here
	}
	return y, nil
}

// objective is the KL divergence of a t-SNE problem: its gradient at a
// layout, and the affinities it scales for early exaggeration.
type objective interface {
	// gradient writes the gradient at y into grad and, when withError is
	// set, returns the KL divergence.
	gradient(ctx context.Context, y, grad []float64, withError bool) (float64, error)
	scaleP(f float64)
}

// descend runs iterations it..nIter-1 of scikit-learn's _gradient_descent
// on y and returns the last iteration run.
func descend(ctx context.Context, obj objective, y []float64, it, nIter int, momentum, lr float64, noProgress int) (int, error) {
	update := make([]float64, len(y))
	gains := make([]float64, len(y))
	for i := range gains {
		gains[i] = 1
	}
	grad := make([]float64, len(y))
	bestErr, bestIter := math.MaxFloat64, it
	i := it
	for ; i < nIter; i++ {
		check := (i+1)%iterCheck == 0
		kl, err := obj.gradient(ctx, y, grad, check || i == nIter-1)
		if err != nil {
			return i, err
		}
		var norm float64
		for j, g := range grad {
			if update[j]*g < 0 {
				gains[j] += 0.2
			} else {
				gains[j] *= 0.8
			}
			gains[j] = math.Max(gains[j], minGain)
			g *= gains[j]
			norm += g * g
			update[j] = momentum*update[j] - lr*g
			y[j] += update[j]
		}
		if check {
			if kl < bestErr {
				bestErr, bestIter = kl, i
			} else if i-bestIter > noProgress {
				break
			}
			if math.Sqrt(norm) <= minGradNorm {
				break
			}
		}
	}
	return min(i, nIter-1), nil
}

// sqDists32 returns the squared Euclidean distance of rows a and b.
func sqDists32(a, b []float32) float64 {
	var s float64
	b = b[:len(a)]
	for i, v := range a {
		d := float64(v) - float64(b[i])
		s += d * d
	}
	return s
}

// conditionalP sets p (one row's affinities to the points whose squared
// distances are d) to a Gaussian whose entropy matches log(perplexity),
// found by binary search on its precision, as scikit-learn's
// _binary_search_perplexity does.
func conditionalP(d, p []float64, perplexity float64) {
	beta, betaMin, betaMax := 1.0, math.Inf(-1), math.Inf(1)
	want := math.Log(perplexity)
	for step := 0; step < perplexitySteps; step++ {
		var sumP float64
		for j, dj := range d {
			p[j] = math.Exp(-dj * beta)
			sumP += p[j]
		}
		if sumP == 0 {
			sumP = 1e-8
		}
		var sumDP float64
		for j, dj := range d {
			p[j] /= sumP
			sumDP += dj * p[j]
		}
		entropy := math.Log(sumP) + beta*sumDP
		diff := entropy - want
		if math.Abs(diff) <= perplexityTol {
			return
		}
		if diff > 0 {
			betaMin = beta
			if math.IsInf(betaMax, 1) {
				beta *= 2
			} else {
				beta = (beta + betaMax) / 2
			}
		} else {
			betaMax = beta
			if math.IsInf(betaMin, -1) {
				beta /= 2
			} else {
				beta = (beta + betaMin) / 2
			}
		}
	}
}

// exact is the t-SNE objective with dense affinities and exact gradients.
type exact struct {
	n   int
	p   []float64 // n×n joint affinities
	num []float64 // scratch: 1/(1+|yi-yj|²)
}

func newExact(ctx context.Context, data []float32, dim int, perplexity float64) (*exact, error) {
	n := len(data) / dim
	cond := make([]float64, n*n)
	d := make([]float64, n-1)
	row := make([]float64, n-1)
	for i := 0; i < n; i++ {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		k := 0
		for j := 0; j < n; j++ {
			if j != i {
				d[k] = sqDists32(data[i*dim:(i+1)*dim], data[j*dim:(j+1)*dim])
				k++
			}
		}
		conditionalP(d, row, perplexity)
		k = 0
		for j := 0; j < n; j++ {
			if j != i {
				cond[i*n+j] = row[k]
				k++
			}
		}
	}
	p := make([]float64, n*n)
	var sum float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				p[i*n+j] = cond[i*n+j] + cond[j*n+i]
				sum += p[i*n+j]
			}
		}
	}
	sum = math.Max(sum, machineEpsilon)
	for i := range p {
		p[i] = math.Max(p[i]/sum, machineEpsilon)
	}
	return &exact{n: n, p: p, num: make([]float64, n*n)}, nil
}

func (e *exact) scaleP(f float64) {
	for i := range e.p {
		e.p[i] *= f
	}
}

func (e *exact) gradient(ctx context.Context, y, grad []float64, withError bool) (float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := e.n
	var z float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j {
				e.num[i*n+j] = 0
				continue
			}
			dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			q := 1 / (1 + dx*dx + dy*dy)
			e.num[i*n+j] = q
			z += q
		}
	}
	var kl float64
	for i := 0; i < n; i++ {
		var gx, gy float64
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			q := math.Max(e.num[i*n+j]/z, machineEpsilon)
			pij := e.p[i*n+j]
			if withError {
				kl += pij * math.Log(math.Max(pij, machineEpsilon)/q)
			}
			m := (pij - q) * e.num[i*n+j]
			gx += m * (y[2*i] - y[2*j])
			gy += m * (y[2*i+1] - y[2*j+1])
		}
		grad[2*i], grad[2*i+1] = 4*gx, 4*gy
	}
	return kl, nil
}

// knn returns, for each row, the indices and squared distances of its k
// nearest other rows, nearest first (ties by index).
func knn(ctx context.Context, data []float32, dim, k int) ([]int32, []float64, error) {
	n := len(data) / dim
	idx := make([]int32, n*k)
	dist := make([]float64, n*k)
	chunks := min(64, n)
	err := forChunks(ctx, chunks, func(c int) error {
		d := make([]float64, n)
		order := make([]int32, 0, n)
		for i := c * n / chunks; i < (c+1)*n/chunks; i++ {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			a := data[i*dim : (i+1)*dim]
			order = order[:0]
			for j := 0; j < n; j++ {
				if j != i {
					d[j] = sqDists32(a, data[j*dim:(j+1)*dim])
					order = append(order, int32(j))
				}
			}
			selectSmallest(order, d, k)
			for r := 0; r < k; r++ {
				idx[i*k+r] = order[r]
				dist[i*k+r] = d[order[r]]
			}
		}
		return nil
	})
	return idx, dist, err
}

// selectSmallest orders the k entries of order with the smallest d first,
// in increasing order (ties by index).
func selectSmallest(order []int32, d []float64, k int) {
	less := func(a, b int32) bool { return d[a] < d[b] || (d[a] == d[b] && a < b) }
	// A max-heap of the k best seen, then a sort of those k.
	h := order[:k]
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i, less)
	}
	for _, j := range order[k:] {
		if less(j, h[0]) {
			h[0] = j
			siftDown(h, 0, less)
		}
	}
	sort.Slice(h, func(a, b int) bool { return less(h[a], h[b]) })
}

func siftDown(h []int32, i int, less func(a, b int32) bool) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		big := l
		if r := l + 1; r < len(h) && less(h[l], h[r]) {
			big = r
		}
		if !less(h[i], h[big]) {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}
