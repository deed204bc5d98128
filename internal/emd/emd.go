// Package emd computes the Earth Mover's Distance between two histograms exactly, as the
// optimum of the transportation problem, by successive shortest augmenting paths (a small
// min-cost flow). It serves Word Mover's Distance (Kusner et al. 2015), where the
// histograms are a few dozen words, so the plain O(paths × edges) algorithm is ample.
//
// # Concurrency
//
// Solve keeps no state between calls; calls may run concurrently.
package emd

import (
	"errors"
	"fmt"
	"math"
)

// ErrInput is wrapped by Solve's errors about its arguments.
var ErrInput = errors.New("emd: invalid input")

// MaxBins bounds each side of the problem, so one call's work stays small.
const MaxBins = 4096

// Solve returns the least total cost of moving supply onto demand, Σ f_ij·cost(i, j) over
// flows f_ij ≥ 0 with Σ_j f_ij = supply[i] and Σ_i f_ij = demand[j]. The masses are integers
// (scale fractions to a common denominator first) and must have equal, positive totals;
// costs must be finite and non-negative.
func Solve(supply, demand []int64, cost func(i, j int) float64) (float64, error) {
	m, n := len(supply), len(demand)
	if m == 0 || n == 0 || m > MaxBins || n > MaxBins {
		return 0, fmt.Errorf("%w: %d supply and %d demand bins (1 to %d each)", ErrInput, m, n, MaxBins)
	}
	var ts, td int64
	for _, s := range supply {
		if s < 0 || ts > math.MaxInt64-s {
			return 0, fmt.Errorf("%w: supply %d", ErrInput, s)
		}
		ts += s
	}
	for _, d := range demand {
		if d < 0 || td > math.MaxInt64-d {
			return 0, fmt.Errorf("%w: demand %d", ErrInput, d)
		}
		td += d
	}
	if ts != td || ts == 0 {
		return 0, fmt.Errorf("%w: total supply %d, total demand %d", ErrInput, ts, td)
	}
	c := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v := cost(i, j)
			if !(v >= 0) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: cost(%d, %d) = %v", ErrInput, i, j, v)
			}
			c[i*n+j] = v
		}
	}
	return solve(supply, demand, c)
}

// solve runs successive shortest paths on the residual graph of the bipartite network
// source → supply i → demand j → sink. Only the flows f_ij are stored: the residual
// capacity of i→j is unbounded, that of j→i is f_ij, and the source and sink edges
// carry what is left of supply[i] and demand[j]. Bellman-Ford handles the negative
// costs of the reverse edges; without negative cycles (an invariant of the method) every
// augmentation keeps the flow optimal for its value.
func solve(supply, demand []int64, c []float64) (float64, error) {
	m, n := len(supply), len(demand)
	r := &residual{
		m: m, n: n, c: c,
		f:    make([]int64, m*n),
		left: append([]int64(nil), supply...),
		need: append([]int64(nil), demand...),
		// Nodes: supply bins 0..m-1, demand bins m..m+n-1.
		dist: make([]float64, m+n),
		prev: make([]int, m+n),
	}
	for {
		r.shortestPaths()
		best := r.nearestDemand()
		if best < 0 {
			break
		}
		if err := r.augment(best); err != nil {
			return 0, err
		}
	}
	for j := range r.need {
		if r.need[j] != 0 {
			return 0, fmt.Errorf("emd: demand bin %d left unmet", j)
		}
	}
	var total float64
	for k, fk := range r.f {
		if fk != 0 {
			total += float64(fk) * c[k]
		}
	}
	return total, nil
}

// residual is solve's state: the flows and what is left at each bin, and
// the last shortest-path tree from the bins that still have supply.
type residual struct {
	m, n       int
	c          []float64 // c[i*n+j]: the cost of moving a unit from i to j
	f          []int64   // f[i*n+j]: the flow from i to j
	left, need []int64   // supply not yet sent, demand not yet met
	dist       []float64
	prev       []int // the node before v on its shortest path, -1 at a source
}

// shortestPaths computes dist and prev from every supply bin with mass
// left: Bellman-Ford over at most m+n rounds, stopping early when nothing
// changes.
func (r *residual) shortestPaths() {
	m, n, c, dist, prev := r.m, r.n, r.c, r.dist, r.prev
	for v := range dist {
		dist[v] = math.Inf(1)
		prev[v] = -1
	}
	for i := 0; i < m; i++ {
		if r.left[i] > 0 {
			dist[i] = 0
		}
	}
	for round := 0; round < m+n; round++ {
		changed := false
		for i := 0; i < m; i++ {
			if math.IsInf(dist[i], 1) {
				continue
			}
			for j := 0; j < n; j++ {
				if d := dist[i] + c[i*n+j]; d < dist[m+j]-1e-15 {
					dist[m+j], prev[m+j], changed = d, i, true
				}
			}
		}
		for j := 0; j < n; j++ {
			if math.IsInf(dist[m+j], 1) {
				continue
			}
			for i := 0; i < m; i++ {
				if r.f[i*n+j] > 0 {
					if d := dist[m+j] - c[i*n+j]; d < dist[i]-1e-15 {
						dist[i], prev[i], changed = d, m+j, true
					}
				}
			}
		}
		if !changed {
			return
		}
	}
}

// nearestDemand returns the demand bin with need left that the last
// shortestPaths reached most cheaply, or -1.
func (r *residual) nearestDemand() int {
	best := -1
	for j := 0; j < r.n; j++ {
		if r.need[j] > 0 && !math.IsInf(r.dist[r.m+j], 1) && (best < 0 || r.dist[r.m+j] < r.dist[r.m+best]) {
			best = j
		}
	}
	return best
}

// augment sends along the shortest path to demand bin best as much as
// its bottleneck allows.
func (r *residual) augment(best int) error {
	m, n := r.m, r.n
	// The bottleneck along the path back from demand bin best to a supply bin with mass.
	amount := r.need[best]
	v := m + best
	for steps := 0; ; steps++ {
		if steps > m+n {
			// A cycle of predecessors: impossible without a negative cycle, which the
			// method never creates; refuse rather than loop.
			return fmt.Errorf("emd: no convergence (numerical trouble with the costs)")
		}
		u := r.prev[v]
		if u < 0 {
			amount = min(amount, r.left[v])
			break
		}
		if u >= m { // v is a supply bin reached backwards from demand u-m
			amount = min(amount, r.f[v*n+(u-m)])
		}
		v = u
	}
	v = m + best
	for {
		u := r.prev[v]
		if u < 0 {
			r.left[v] -= amount
			break
		}
		if u < m { // forward i→j
			r.f[u*n+(v-m)] += amount
		} else { // backward j→i
			r.f[v*n+(u-m)] -= amount
		}
		v = u
	}
	r.need[best] -= amount
	return nil
}
