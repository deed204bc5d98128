package emd

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// brute finds the optimum by trying every integer flow (tiny problems only).
func brute(supply, demand []int64, cost func(i, j int) float64) float64 {
	m, n := len(supply), len(demand)
	f := make([]int64, m*n)
	best := math.Inf(1)
	var rec func(k int)
	rec = func(k int) {
		if k == m*n {
			for i := 0; i < m; i++ {
				var s int64
				for j := 0; j < n; j++ {
					s += f[i*n+j]
				}
				if s != supply[i] {
					return
				}
			}
			for j := 0; j < n; j++ {
				var s int64
				for i := 0; i < m; i++ {
					s += f[i*n+j]
				}
				if s != demand[j] {
					return
				}
			}
			var c float64
			for k, v := range f {
				c += float64(v) * cost(k/n, k%n)
			}
			best = min(best, c)
			return
		}
		for v := int64(0); v <= min(supply[k/n], demand[k%n]); v++ {
			f[k] = v
			rec(k + 1)
		}
		f[k] = 0
	}
	rec(0)
	return best
}

func TestSolve_BruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		m, n := 1+rng.IntN(3), 1+rng.IntN(3)
		supply := make([]int64, m)
		demand := make([]int64, n)
		var total int64
		for i := range supply {
			supply[i] = int64(rng.IntN(4))
			total += supply[i]
		}
		if total == 0 {
			supply[0], total = 1, 1
		}
		for k := int64(0); k < total; k++ {
			demand[rng.IntN(n)]++
		}
		c := make([]float64, m*n)
		for k := range c {
			c[k] = math.Round(rng.Float64()*100) / 10
		}
		cost := func(i, j int) float64 { return c[i*n+j] }
		got, err := Solve(supply, demand, cost)
		if err != nil {
			t.Fatal(err)
		}
		if want := brute(supply, demand, cost); math.Abs(got-want) > 1e-9 {
			t.Fatalf("Solve(%v, %v, %v) = %v, want %v", supply, demand, c, got, want)
		}
	}
}

func TestSolve_Errors(t *testing.T) {
	zero := func(i, j int) float64 { return 0 }
	for _, tc := range []struct {
		name           string
		supply, demand []int64
		cost           func(i, j int) float64
	}{
		{"Empty", nil, []int64{1}, zero},
		{"Unequal", []int64{2}, []int64{1}, zero},
		{"ZeroMass", []int64{0}, []int64{0}, zero},
		{"Negative", []int64{-1, 2}, []int64{1}, zero},
		{"NaNCost", []int64{1}, []int64{1}, func(i, j int) float64 { return math.NaN() }},
		{"NegativeCost", []int64{1}, []int64{1}, func(i, j int) float64 { return -1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Solve(tc.supply, tc.demand, tc.cost); !errors.Is(err, ErrInput) {
				t.Errorf("err = %v, want ErrInput", err)
			}
		})
	}
}

// FuzzSolve checks that any input gives an error or a finite, non-negative optimum no
// larger than the cost of a simple feasible flow (north-west corner).
func FuzzSolve(f *testing.F) {
	f.Add([]byte{1, 2, 3, 3, 2, 1}, []byte{9, 1, 5, 7, 0, 3, 3, 8, 2})
	f.Add([]byte{5}, []byte{0})
	f.Fuzz(func(t *testing.T, masses, costs []byte) {
		if len(masses) < 2 || len(masses) > 16 || len(costs) == 0 {
			return
		}
		m := len(masses) / 2
		supply := make([]int64, m)
		demand := make([]int64, len(masses)-m)
		var ts int64
		for i := range supply {
			supply[i] = int64(masses[i])
			ts += supply[i]
		}
		for k := int64(0); k < ts; k++ {
			demand[int(k)%len(demand)]++
		}
		n := len(demand)
		cost := func(i, j int) float64 { return float64(costs[(i*n+j)%len(costs)]) }
		got, err := Solve(supply, demand, cost)
		if err != nil {
			return
		}
		// North-west corner rule: a feasible flow, so an upper bound.
		s, d := append([]int64(nil), supply...), append([]int64(nil), demand...)
		var bound float64
		for i, j := 0, 0; i < m && j < n; {
			x := min(s[i], d[j])
			bound += float64(x) * cost(i, j)
			s[i] -= x
			d[j] -= x
			if s[i] == 0 {
				i++
			} else {
				j++
			}
		}
		if !(got >= 0) || got > bound+1e-9 {
			t.Fatalf("Solve = %v, feasible bound %v", got, bound)
		}
	})
}
