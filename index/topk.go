package index

// topK keeps the k best results seen so far in a min-heap whose root is the
// worst kept result, so that a candidate is tested against the root only.
// A result is worse when its score is lower, or equal with a larger id.
type topK struct {
	k int
	h []Result
}

func worse(a, b Result) bool {
	return a.Score < b.Score || (a.Score == b.Score && a.ID > b.ID)
}

// wouldTake reports whether r would enter the heap.
func (t *topK) wouldTake(r Result) bool {
	return len(t.h) < t.k || worse(t.h[0], r)
}

// push adds r, dropping the worst result if the heap is full. The caller has
// checked wouldTake.
func (t *topK) push(r Result) {
	if len(t.h) < t.k {
		t.h = append(t.h, r)
		i := len(t.h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !worse(t.h[i], t.h[p]) {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	t.h[0] = r
	i, n := 0, len(t.h)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && worse(t.h[r], t.h[l]) {
			m = r
		}
		if !worse(t.h[m], t.h[i]) {
			break
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}
