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
	f := make([]int64, m*n)
	left := append([]int64(nil), supply...)
	need := append([]int64(nil), demand...)
	// Nodes: supply bins 0..m-1, demand bins m..m+n-1.
	dist := make([]float64, m+n)
	prev := make([]int, m+n)
	for {
		for v := range dist {
			dist[v] = math.Inf(1)
			prev[v] = -1
		}
		for i := 0; i < m; i++ {
			if left[i] > 0 {
				dist[i] = 0
			}
		}
		// Bellman-Ford over at most m+n rounds; stops early when nothing changes.
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
					if f[i*n+j] > 0 {
						if d := dist[m+j] - c[i*n+j]; d < dist[i]-1e-15 {
							dist[i], prev[i], changed = d, m+j, true
						}
					}
				}
			}
			if !changed {
				break
			}
		}
		best := -1
		for j := 0; j < n; j++ {
			if need[j] > 0 && !math.IsInf(dist[m+j], 1) && (best < 0 || dist[m+j] < dist[m+best]) {
				best = j
			}
		}
		if best < 0 {
			break
		}
		// The bottleneck along the path back from demand bin best to a supply bin with mass.
		amount := need[best]
		v := m + best
		for steps := 0; ; steps++ {
			if steps > m+n {
				// A cycle of predecessors: impossible without a negative cycle, which the
				// method never creates; refuse rather than loop.
				return 0, fmt.Errorf("emd: no convergence (numerical trouble with the costs)")
			}
			u := prev[v]
			if u < 0 {
				amount = min(amount, left[v])
				break
			}
			if u >= m { // v is a supply bin reached backwards from demand u-m
				amount = min(amount, f[v*n+(u-m)])
			}
			v = u
		}
		v = m + best
		for {
			u := prev[v]
			if u < 0 {
				left[v] -= amount
				break
			}
			if u < m { // forward i→j
				f[u*n+(v-m)] += amount
			} else { // backward j→i
				f[v*n+(u-m)] -= amount
			}
			v = u
		}
		need[best] -= amount
	}
	for j := range need {
		if need[j] != 0 {
			return 0, fmt.Errorf("emd: demand bin %d left unmet", j)
		}
	}
	var total float64
	for k, fk := range f {
		if fk != 0 {
			total += float64(fk) * c[k]
		}
	}
	return total, nil
}
