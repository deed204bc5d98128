package plot

import (
	"context"
	"math"
	"slices"
)

// barnesHut is the t-SNE objective with sparse affinities over nearest
// neighbours and the Barnes-Hut approximation of the repulsive forces
// (van der Maaten 2014), as scikit-learn's method="barnes_hut".
type barnesHut struct {
	n      int
	theta2 float64
	start  []int     // CSR: row i's entries are start[i]..start[i+1]-1
	cols   []int32   // column of each entry
	vals   []float64 // joint affinity of each entry
	tree   quadTree
	negX   []float64 // per-point repulsive force, before division by Z
	negY   []float64
	qsum   []float64 // per-point share of Z
}

func newBarnesHut(ctx context.Context, data []float32, dim int, perplexity, angle float64) (*barnesHut, error) {
	n := len(data) / dim
	k := min(n-1, int(3*perplexity+1))
	idx, dist, err := knn(ctx, data, dim, k)
	if err != nil {
		return nil, err
	}
	cond := make([]float64, n*k)
	for i := 0; i < n; i++ {
		conditionalP(dist[i*k:(i+1)*k], cond[i*k:(i+1)*k], perplexity)
	}
	// P + Pᵀ: every (i, j, p) also as (j, i, p), then equal pairs summed.
	type entry struct {
		i, j int32
		p    float64
	}
	es := make([]entry, 0, 2*n*k)
	for i := 0; i < n; i++ {
		for r := 0; r < k; r++ {
			j := idx[i*k+r]
			p := cond[i*k+r]
			es = append(es, entry{int32(i), j, p}, entry{j, int32(i), p})
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.i != b.i {
			return int(a.i - b.i)
		}
		return int(a.j - b.j)
	})
	bh := &barnesHut{n: n, theta2: angle * angle, start: make([]int, n+1),
		negX: make([]float64, n), negY: make([]float64, n), qsum: make([]float64, n)}
	var sum float64
	for e := 0; e < len(es); {
		f := e
		p := 0.0
		for ; f < len(es) && es[f].i == es[e].i && es[f].j == es[e].j; f++ {
			p += es[f].p
		}
		bh.cols = append(bh.cols, es[e].j)
		bh.vals = append(bh.vals, p)
		bh.start[es[e].i+1]++
		sum += p
		e = f
	}
	for i := 0; i < n; i++ {
		bh.start[i+1] += bh.start[i]
	}
	sum = math.Max(sum, machineEpsilon)
	for i := range bh.vals {
		bh.vals[i] /= sum
	}
	return bh, nil
}

func (b *barnesHut) scaleP(f float64) {
	for i := range b.vals {
		b.vals[i] *= f
	}
}

// bhChunks is the fixed number of pieces the points are cut into for the
// workers, so that sums come out the same whatever their number.
const bhChunks = 32

func (b *barnesHut) gradient(ctx context.Context, y, grad []float64, withError bool) (float64, error) {
	b.tree.build(y)
	n := b.n
	chunks := min(bhChunks, n)
	err := forChunks(ctx, chunks, func(c int) error {
		for i := c * n / chunks; i < (c+1)*n/chunks; i++ {
			b.negX[i], b.negY[i], b.qsum[i] = b.tree.repulsion(y[2*i], y[2*i+1], b.theta2)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var z float64
	for _, q := range b.qsum {
		z += q
	}
	z = math.Max(z, machineEpsilon)
	klParts := make([]float64, chunks)
	err = forChunks(ctx, chunks, func(c int) error {
		var kl float64
		for i := c * n / chunks; i < (c+1)*n/chunks; i++ {
			yx, yy := y[2*i], y[2*i+1]
			var px, py float64
			for e := b.start[i]; e < b.start[i+1]; e++ {
				j := b.cols[e]
				dx, dy := yx-y[2*j], yy-y[2*j+1]
				q := 1 / (1 + dx*dx + dy*dy)
				pij := b.vals[e]
				m := pij * q
				px += m * dx
				py += m * dy
				if withError {
					kl += pij * math.Log(math.Max(pij, float32Tiny)/math.Max(q/z, float32Tiny))
				}
			}
			grad[2*i] = 4 * (px - b.negX[i]/z)
			grad[2*i+1] = 4 * (py - b.negY[i]/z)
		}
		klParts[c] = kl
		return nil
	})
	var kl float64
	for _, v := range klParts {
		kl += v
	}
	return kl, err
}

// quadTree is a point-region quadtree over a 2-D layout, each cell holding
// its points' count and centre of mass. It is rebuilt every iteration in
// place, reusing its node slice.
type quadTree struct {
	nodes []qnode
}

type qnode struct {
	cx, cy, half float64  // the cell: centre and half its width
	mx, my       float64  // sum of the points' coordinates; once built, their mean
	count        int      // points in the cell
	child        [4]int32 // children (0 = none: the root is never a child)
	px, py       float64  // a leaf's point
	w2           float64  // the cell's width squared, set when built
	leaf         bool
}

// maxDepth bounds subdivision: points closer than the cell width at this
// depth share a leaf, as exact duplicates do.
const maxDepth = 48

func (t *quadTree) build(y []float64) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i := 0; i < len(y); i += 2 {
		minX, maxX = math.Min(minX, y[i]), math.Max(maxX, y[i])
		minY, maxY = math.Min(minY, y[i+1]), math.Max(maxY, y[i+1])
	}
	half := math.Max(maxX-minX, maxY-minY)/2*(1+1e-3) + 1e-12
	t.nodes = append(t.nodes[:0], qnode{cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, half: half, leaf: true})
	for i := 0; i < len(y); i += 2 {
		t.insert(y[i], y[i+1])
	}
	// Each cell's centre of mass and squared width, once, for the walks.
	for k := range t.nodes {
		nd := &t.nodes[k]
		if nd.count > 0 {
			nd.mx /= float64(nd.count)
			nd.my /= float64(nd.count)
		}
		nd.w2 = 4 * nd.half * nd.half
	}
}

func (t *quadTree) insert(x, y float64) {
	n := 0
	for depth := 0; ; depth++ {
		nd := &t.nodes[n]
		if nd.leaf {
			if nd.count == 0 {
				nd.px, nd.py = x, y
				nd.count, nd.mx, nd.my = 1, x, y
				return
			}
			if (nd.px == x && nd.py == y) || depth >= maxDepth {
				nd.count++
				nd.mx += x
				nd.my += y
				return
			}
			// Split: push the resident point(s) down into a child.
			px, py, cnt, mx, my := nd.px, nd.py, nd.count, nd.mx, nd.my
			nd.leaf = false
			c := t.child(n, px, py)
			cn := &t.nodes[c]
			cn.px, cn.py, cn.count, cn.mx, cn.my = px, py, cnt, mx, my
			nd = &t.nodes[n]
		}
		nd.count++
		nd.mx += x
		nd.my += y
		n = t.child(n, x, y)
	}
}

// child returns the child of node n whose quadrant holds (x, y), making it
// if needed.
func (t *quadTree) child(n int, x, y float64) int {
	nd := t.nodes[n]
	q := 0
	if x >= nd.cx {
		q |= 1
	}
	if y >= nd.cy {
		q |= 2
	}
	if c := nd.child[q]; c != 0 {
		return int(c)
	}
	h := nd.half / 2
	cx, cy := nd.cx-h, nd.cy-h
	if q&1 != 0 {
		cx = nd.cx + h
	}
	if q&2 != 0 {
		cy = nd.cy + h
	}
	t.nodes = append(t.nodes, qnode{cx: cx, cy: cy, half: h, leaf: true})
	c := len(t.nodes) - 1
	t.nodes[n].child[q] = int32(c)
	return c
}

// repulsion sums, over the cells that summarise all other points as seen
// from (x, y), count·q² times the offset (the repulsive force before
// division by Z) and count·q (the point's share of Z), with
// q = 1/(1+d²). A cell is summarised when it is a leaf or its width² / d²
// is below theta2.
func (t *quadTree) repulsion(x, y, theta2 float64) (fx, fy, z float64) {
	var stack [4*maxDepth + 8]int32
	sp := 1
	for sp > 0 {
		sp--
		nd := &t.nodes[stack[sp]]
		if nd.count == 0 {
			continue
		}
		cnt := float64(nd.count)
		dx, dy := x-nd.mx, y-nd.my
		d2 := dx*dx + dy*dy
		if nd.leaf || nd.w2 < theta2*d2 {
			if nd.leaf && d2 == 0 {
				cnt-- // the point itself, with any exact duplicates of it
			}
			q := 1 / (1 + d2)
			z += cnt * q
			m := cnt * q * q
			fx += m * dx
			fy += m * dy
			continue
		}
		for _, c := range nd.child {
			if c != 0 {
				stack[sp] = c
				sp++
			}
		}
	}
	return fx, fy, z
}
