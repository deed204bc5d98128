package index

// node is a graph node with its distance to the current query.
type node struct {
	d float32
	s uint32
}

// minHeap is a binary min-heap of nodes by distance: the candidate queue.
type minHeap []node

func (h *minHeap) push(n node) {
	a := append(*h, n)
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d <= n.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = n
	*h = a
}

func (h *minHeap) pop() node {
	a := *h
	top := a[0]
	last := a[len(a)-1]
	a = a[:len(a)-1]
	siftDownMin(a, last)
	*h = a
	return top
}

func siftDownMin(a []node, x node) {
	n := len(a)
	if n == 0 {
		return
	}
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && a[r].d < a[l].d {
			c = r
		}
		if a[c].d >= x.d {
			break
		}
		a[i] = a[c]
		i = c
	}
	a[i] = x
}

// maxHeap is a binary max-heap of nodes by distance: the ef best results
// found so far, the worst on top so that it can be dropped.
type maxHeap []node

func (h *maxHeap) push(n node) {
	a := append(*h, n)
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d >= n.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = n
	*h = a
}

func (h *maxHeap) pop() node {
	a := *h
	top := a[0]
	last := a[len(a)-1]
	a = a[:len(a)-1]
	n := len(a)
	if n > 0 {
		i := 0
		for {
			l := 2*i + 1
			if l >= n {
				break
			}
			c := l
			if r := l + 1; r < n && a[r].d > a[l].d {
				c = r
			}
			if a[c].d <= last.d {
				break
			}
			a[i] = a[c]
			i = c
		}
		a[i] = last
	}
	*h = a
	return top
}

// pushBounded adds n and drops the worst node if more than ef are kept.
func (h *maxHeap) pushBounded(n node, ef int) {
	if len(*h) < ef {
		h.push(n)
		return
	}
	// Replace the root (the worst) and sift down.
	a := *h
	a[0] = n
	i, m := 0, len(a)
	for {
		l := 2*i + 1
		if l >= m {
			break
		}
		c := l
		if r := l + 1; r < m && a[r].d > a[l].d {
			c = r
		}
		if a[c].d <= n.d {
			break
		}
		a[i] = a[c]
		i = c
	}
	a[i] = n
}
