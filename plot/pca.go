package plot

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
)

// Point is a point of a 2-D map.
type Point struct{ X, Y float64 }

// PCA projects the rows of data (n rows of dim float32 values, row after
// row) onto their first two principal components, as scikit-learn's
// PCA(n_components=2).fit_transform does: the centred data times the first
// two right singular vectors. Each component's sign is chosen so that its
// loading of largest magnitude is positive (scikit-learn's svd_flip with
// u_based_decision=False), so that equal inputs give equal maps.
//
// The singular vectors are the eigenvectors of XᵀX (or, when there are
// fewer rows than dimensions, are found from those of XXᵀ), computed in
// float64 to full precision: by Jacobi rotations for up to 64 dimensions,
// else by subspace iteration run until the residual is at rounding level.
// With one row, or data of rank below two, the missing coordinates are 0.
func PCA(ctx context.Context, data []float32, dim int) ([]Point, error) {
	c, err := pcaProject(ctx, data, dim, 2)
	if err != nil {
		return nil, err
	}
	pts := make([]Point, len(c)/2)
	for i := range pts {
		pts[i] = Point{c[2*i], c[2*i+1]}
	}
	return pts, nil
}

// checkData validates a row-major matrix and returns its row count.
func checkData(data []float32, dim int) (int, error) {
	if dim <= 0 {
		return 0, fmt.Errorf("%w: dimension %d", ErrInput, dim)
	}
	if len(data) == 0 || len(data)%dim != 0 {
		return 0, fmt.Errorf("%w: %d values do not make rows of %d", ErrInput, len(data), dim)
	}
	for i, v := range data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, fmt.Errorf("%w: row %d has a value that is not a finite number", ErrInput, i/dim)
		}
	}
	return len(data) / dim, nil
}

// pcaProject returns the n×k matrix (row-major) of the data's coordinates
// on its first k principal components.
func pcaProject(ctx context.Context, data []float32, dim, k int) ([]float64, error) {
	n, err := checkData(data, dim)
	if err != nil {
		return nil, err
	}
	mean := make([]float64, dim)
	for i := 0; i < n; i++ {
		for j, v := range data[i*dim : (i+1)*dim] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	out := make([]float64, n*k)
	if dim <= n {
		c, err := scatter(ctx, data, dim, mean)
		if err != nil {
			return nil, err
		}
		vals, vecs := topEigen(c, dim, k)
		for j := 0; j < k; j++ {
			v := vecs[j*dim : (j+1)*dim]
			if vals[j] <= 0 {
				clear(v)
			}
			flipSign(v)
		}
		row := make([]float64, dim)
		for i := 0; i < n; i++ {
			center(row, data[i*dim:(i+1)*dim], mean)
			for j := 0; j < k; j++ {
				out[i*k+j] = dot64(row, vecs[j*dim:(j+1)*dim])
			}
		}
		return out, nil
	}
	g, err := gram(ctx, data, dim, mean)
	if err != nil {
		return nil, err
	}
	vals, vecs := topEigen(g, n, k)
	row := make([]float64, dim)
	for j := 0; j < k; j++ {
		if vals[j] <= 1e-12*math.Max(vals[0], 1e-300) {
			continue // rank below k: the coordinate stays 0
		}
		u := vecs[j*n : (j+1)*n]
		// The loading vector v = Xᵀu/σ decides the sign, as svd_flip does.
		v := make([]float64, dim)
		for i := 0; i < n; i++ {
			center(row, data[i*dim:(i+1)*dim], mean)
			for d, x := range row {
				v[d] += u[i] * x
			}
		}
		s := math.Sqrt(vals[j])
		if flipSign(v) {
			s = -s
		}
		for i := 0; i < n; i++ {
			out[i*k+j] = u[i] * s
		}
	}
	return out, nil
}

func center(dst []float64, src []float32, mean []float64) {
	for j, v := range src {
		dst[j] = float64(v) - mean[j]
	}
}

func dot64(a, b []float64) float64 {
	var s float64
	b = b[:len(a)]
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// flipSign negates v when its entry of largest magnitude is negative, and
// reports whether it did.
func flipSign(v []float64) bool {
	best := 0.0
	for _, x := range v {
		if math.Abs(x) > math.Abs(best) {
			best = x
		}
	}
	if best < 0 {
		for i := range v {
			v[i] = -v[i]
		}
		return true
	}
	return false
}

// scatter returns XᵀX of the centred data (dim×dim, full). The rows are cut
// into a number of chunks that depends only on the shape, summed by up to
// GOMAXPROCS goroutines and added in chunk order, so the result does not
// depend on the number of workers.
func scatter(ctx context.Context, data []float32, dim int, mean []float64) ([]float64, error) {
	n := len(data) / dim
	chunks := min(16, max(1, n/256), max(1, (64<<20)/(dim*dim*8)))
	parts := make([][]float64, chunks)
	err := forChunks(ctx, chunks, func(c int) error {
		acc := make([]float64, dim*dim)
		rows := make([]float64, 4*dim)
		r0, r1, r2, r3 := rows[:dim], rows[dim:2*dim], rows[2*dim:3*dim], rows[3*dim:]
		lo, hi := c*n/chunks, (c+1)*n/chunks
		i := lo
		// Four rows at a time: each accumulator entry is loaded and
		// stored once per four rows.
		for ; i+4 <= hi; i += 4 {
			if (i-lo)%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			center(r0, data[i*dim:(i+1)*dim], mean)
			center(r1, data[(i+1)*dim:(i+2)*dim], mean)
			center(r2, data[(i+2)*dim:(i+3)*dim], mean)
			center(r3, data[(i+3)*dim:(i+4)*dim], mean)
			for a := 0; a < dim; a++ {
				x0, x1, x2, x3 := r0[a], r1[a], r2[a], r3[a]
				dst := acc[a*dim+a : a*dim+dim]
				s0, s1, s2, s3 := r0[a:], r1[a:], r2[a:], r3[a:]
				s0, s1, s2, s3 = s0[:len(dst)], s1[:len(dst)], s2[:len(dst)], s3[:len(dst)]
				for b := range dst {
					dst[b] += x0*s0[b] + x1*s1[b] + x2*s2[b] + x3*s3[b]
				}
			}
		}
		for ; i < hi; i++ {
			center(r0, data[i*dim:(i+1)*dim], mean)
			for a, xa := range r0 {
				dst := acc[a*dim+a : a*dim+dim]
				src := r0[a:]
				src = src[:len(dst)]
				for b := range dst {
					dst[b] += xa * src[b]
				}
			}
		}
		parts[c] = acc
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := parts[0]
	for _, p := range parts[1:] {
		for i, v := range p {
			c[i] += v
		}
	}
	for a := 0; a < dim; a++ {
		for b := a + 1; b < dim; b++ {
			c[b*dim+a] = c[a*dim+b]
		}
	}
	return c, nil
}

// gram returns XXᵀ of the centred data (n×n).
func gram(ctx context.Context, data []float32, dim int, mean []float64) ([]float64, error) {
	n := len(data) / dim
	xc := make([]float64, n*dim)
	for i := 0; i < n; i++ {
		center(xc[i*dim:(i+1)*dim], data[i*dim:(i+1)*dim], mean)
	}
	g := make([]float64, n*n)
	chunks := min(16, n)
	err := forChunks(ctx, chunks, func(c int) error {
		for i := c; i < n; i += chunks {
			a := xc[i*dim : (i+1)*dim]
			for j := i; j < n; j++ {
				v := dot64(a, xc[j*dim:(j+1)*dim])
				g[i*n+j], g[j*n+i] = v, v
			}
		}
		return ctx.Err()
	})
	return g, err
}

// forChunks runs fn(0..chunks-1) on up to GOMAXPROCS goroutines and
// returns the first error.
func forChunks(ctx context.Context, chunks int, fn func(c int) error) error {
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var (
		mu       sync.Mutex
		next     int
		firstErr error
		wg       sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				c := next
				next++
				stop := firstErr != nil
				mu.Unlock()
				if c >= chunks || stop {
					return
				}
				if err := fn(c); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// topEigen returns the k largest eigenvalues of the symmetric m×m matrix a
// and their unit eigenvectors (k rows of m), largest first. Components
// beyond m are returned as zeros.
func topEigen(a []float64, m, k int) ([]float64, []float64) {
	vals := make([]float64, k)
	vecs := make([]float64, k*m)
	var ev []float64
	var ew []float64 // eigenvectors as columns of an m×m (or m×p) matrix
	var p int
	if m <= 64 {
		ev, ew = jacobiEigen(a, m)
		p = m
	} else {
		p = min(m, k+8)
		ev, ew = subspaceEigen(a, m, p)
	}
	for j := 0; j < k && j < p; j++ {
		vals[j] = ev[j]
		for i := 0; i < m; i++ {
			vecs[j*m+i] = ew[i*p+j]
		}
	}
	return vals, vecs
}

// jacobiEigen diagonalises the symmetric m×m matrix a by cyclic Jacobi
// rotations. It returns the eigenvalues in decreasing order and the
// eigenvectors as the columns of an m×m matrix, in the same order.
func jacobiEigen(a []float64, m int) ([]float64, []float64) {
	s := append([]float64(nil), a...)
	v := make([]float64, m*m)
	for i := 0; i < m; i++ {
		v[i*m+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		off := 0.0
		for p := 0; p < m; p++ {
			for q := p + 1; q < m; q++ {
				off += s[p*m+q] * s[p*m+q]
			}
		}
		if off == 0 || math.Sqrt(off) < 1e-15*frob(s) {
			break
		}
		for p := 0; p < m; p++ {
			for q := p + 1; q < m; q++ {
				rotate(s, v, m, p, q)
			}
		}
	}
	return sortEigen(s, v, m, m)
}

func frob(s []float64) float64 {
	var t float64
	for _, x := range s {
		t += x * x
	}
	return math.Sqrt(t)
}

// rotate zeroes s[p][q] by a Jacobi rotation, applied to s on both sides
// and accumulated into v.
func rotate(s, v []float64, m, p, q int) {
	apq := s[p*m+q]
	if apq == 0 {
		return
	}
	theta := (s[q*m+q] - s[p*m+p]) / (2 * apq)
	t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
	c := 1 / math.Sqrt(t*t+1)
	sn := t * c
	for k := 0; k < m; k++ {
		akp, akq := s[k*m+p], s[k*m+q]
		s[k*m+p] = c*akp - sn*akq
		s[k*m+q] = sn*akp + c*akq
	}
	for k := 0; k < m; k++ {
		apk, aqk := s[p*m+k], s[q*m+k]
		s[p*m+k] = c*apk - sn*aqk
		s[q*m+k] = sn*apk + c*aqk
	}
	for k := 0; k < m; k++ {
		vkp, vkq := v[k*m+p], v[k*m+q]
		v[k*m+p] = c*vkp - sn*vkq
		v[k*m+q] = sn*vkp + c*vkq
	}
}

// sortEigen takes the diagonal of s (m×m) as eigenvalues and the p columns
// of v (m×p) as eigenvectors and returns both sorted by decreasing value.
func sortEigen(s, v []float64, m, p int) ([]float64, []float64) {
	idx := make([]int, p)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s[idx[a]*p+idx[a]] > s[idx[b]*p+idx[b]] })
	vals := make([]float64, p)
	vecs := make([]float64, m*p)
	for j, c := range idx {
		vals[j] = s[c*p+c]
		for i := 0; i < m; i++ {
			vecs[i*p+j] = v[i*p+c]
		}
	}
	return vals, vecs
}

// subspaceEigen finds the p largest eigenpairs of the symmetric m×m matrix
// a by orthogonal (subspace) iteration with a Rayleigh-Ritz step each
// round, until the first two Ritz pairs' residuals reach rounding level.
// It returns p values and an m×p matrix of vectors, largest first.
func subspaceEigen(a []float64, m, p int) ([]float64, []float64) {
	q := make([]float64, m*p)
	// A fixed start (a deterministic pseudo-random fill) keeps results
	// reproducible.
	x := uint64(0x9E3779B97F4A7C15)
	for i := range q {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		q[i] = float64(x>>11)/float64(1<<53) - 0.5
	}
	orthonormalize(q, m, p)
	z := make([]float64, m*p)
	norm := frob(a)
	var vals []float64
	for it := 0; it < 5000; it++ {
		matMul(z, a, q, m, m, p)
		h := make([]float64, p*p) // QᵀAQ
		for i := 0; i < p; i++ {
			for j := 0; j < p; j++ {
				var t float64
				for r := 0; r < m; r++ {
					t += q[r*p+i] * z[r*p+j]
				}
				h[i*p+j] = t
			}
		}
		for i := 0; i < p; i++ { // symmetrise rounding
			for j := i + 1; j < p; j++ {
				avg := (h[i*p+j] + h[j*p+i]) / 2
				h[i*p+j], h[j*p+i] = avg, avg
			}
		}
		var w []float64
		vals, w = jacobiEigen(h, p)
		qw := make([]float64, m*p)
		zw := make([]float64, m*p)
		matMul(qw, q, w, m, p, p)
		matMul(zw, z, w, m, p, p)
		done := true
		for j := 0; j < min(2, p); j++ {
			var r float64
			for i := 0; i < m; i++ {
				d := zw[i*p+j] - vals[j]*qw[i*p+j]
				r += d * d
			}
			if math.Sqrt(r) > 1e-13*norm {
				done = false
			}
		}
		if done {
			return vals, qw
		}
		copy(q, zw)
		orthonormalize(q, m, p)
	}
	return vals, q
}

// matMul sets dst (r×c) to a (r×n) times b (n×c).
func matMul(dst, a, b []float64, r, n, c int) {
	clear(dst[:r*c])
	for i := 0; i < r; i++ {
		out := dst[i*c : (i+1)*c]
		for k := 0; k < n; k++ {
			aik := a[i*n+k]
			if aik == 0 {
				continue
			}
			row := b[k*c : (k+1)*c]
			for j := range out {
				out[j] += aik * row[j]
			}
		}
	}
}

// orthonormalize makes the p columns of q (m×p) orthonormal by modified
// Gram-Schmidt, twice for accuracy; a column that vanishes is left zero.
func orthonormalize(q []float64, m, p int) {
	for pass := 0; pass < 2; pass++ {
		for j := 0; j < p; j++ {
			for k := 0; k < j; k++ {
				var d float64
				for i := 0; i < m; i++ {
					d += q[i*p+j] * q[i*p+k]
				}
				for i := 0; i < m; i++ {
					q[i*p+j] -= d * q[i*p+k]
				}
			}
			var nrm float64
			for i := 0; i < m; i++ {
				nrm += q[i*p+j] * q[i*p+j]
			}
			nrm = math.Sqrt(nrm)
			for i := 0; i < m; i++ {
				if nrm > 0 {
					q[i*p+j] /= nrm
				}
			}
		}
	}
}
