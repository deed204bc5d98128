package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/embeddb/embeddb/internal/vec"
)

// maxLevel caps the layer a node can be drawn for; with M >= 2 a layer above
// 30 has probability below 2^-30 per node.
const maxLayer = 30

// addChunk is the number of rows Add inserts while holding the write lock;
// between chunks, waiting searches run.
const addChunk = 1024

// HNSW is an approximate index: a hierarchical navigable small-world graph
// (Malkov & Yashunin 2018) with the neighbour-selection heuristic, flat
// neighbour arrays and SIMD distances. Rows are never moved: a deleted row
// stays in the graph as a routing node that searches pass through but never
// return.
//
// HNSW is safe for concurrent use: any number of searches run in parallel;
// Add inserts in chunks of 1,024 rows under the write lock, so searches run
// between chunks; Add and Delete calls are serialised.
type HNSW struct {
	writeMu sync.Mutex   // serialises writers (Add, Delete, SetEfSearch)
	mu      sync.RWMutex // write-held while the graph changes

	dim  int
	opts Options // defaults applied
	m    int     // neighbours per node on layers >= 1
	m0   int     // neighbours per node on layer 0
	mult float64 // 1/ln(M), the level multiplier
	l2   bool    // Euclidean: distances are squared L2, else -dot
	rng  *rand.Rand

	vecs     []float32 // slot s is vecs[s*dim:(s+1)*dim], unit length under Cosine
	ids      []uint32  // row id of each slot
	levels   []uint8   // top layer of each slot
	deleted  []uint64  // bitset of deleted slots
	nDeleted int
	live     int               // rows not deleted
	moved    map[uint32]uint32 // live row id -> slot, for rows whose slot is not their id
	links0   []uint32          // layer 0: slot s owns links0[s*(m0+1):], count first
	packed   *packedLinks      // instead of links0 once frozen (links_packed.go)
	upperOff []uint32          // for slots with levels[s] > 0: offset into upper
	upper    []uint32          // layers 1..level: (m+1) words each, count first
	entry    uint32
	top      int // layer of the entry point; -1 when the graph is empty

	// Quantized indexes (hnsw_quant.go): the codes of every slot. vecs is
	// then empty once DropVectors ran or the index was read back, and
	// searches rescore with SearchOptions.Vectors.
	q8      *int8Quant
	qb      *binaryQuant
	codes8  []uint8   // int8: slot s is codes8[s*cstride:][:stride]
	cstride int       // int8: bytes between codes: stride, or dim once frozen
	sq8     []float32 // int8: ‖x̂ - lo‖² of each slot, for Euclidean (nil once frozen otherwise)
	codes1  []uint64  // binary: slot s is codes1[s*words:(s+1)*words]
	noVecs  bool      // the float32 vectors were dropped

	advised [5]uintptr // where the arrays lay when last advised (hugepage.go)

	pool  sync.Pool // *searcher
	spare int       // rows to reserve room for beyond the first add's (BuildCalibrated)
}

// NewHNSW returns an empty HNSW index for vectors of length dim. It returns
// an error if dim is not in 1..MaxDim or opts is invalid.
func NewHNSW(dim int, opts Options) (*HNSW, error) {
	if err := checkDim(dim); err != nil {
		return nil, fmt.Errorf("new hnsw index: %w", err)
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("new hnsw index: %w", err)
	}
	return newHNSW(dim, opts.withDefaults()), nil
}

func newHNSW(dim int, o Options) *HNSW {
	return &HNSW{
		dim:   dim,
		opts:  o,
		m:     o.M,
		m0:    2 * o.M,
		mult:  1 / math.Log(float64(o.M)),
		l2:    o.Metric == Euclidean,
		rng:   rand.New(rand.NewPCG(uint64(o.Seed), 0x9e3779b97f4a7c15)),
		moved: make(map[uint32]uint32),
		top:   -1,
	}
}

// Dim returns the length of the vectors.
func (h *HNSW) Dim() int { return h.dim }

// Metric returns how vectors are compared.
func (h *HNSW) Metric() Metric { return h.opts.Metric }

// Options returns the options the index was built with, defaults filled in.
func (h *HNSW) Options() Options {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.opts
}

// SetEfSearch changes the default EfSearch of later searches.
func (h *HNSW) SetEfSearch(ef int) error {
	if ef < MinEfSearch || ef > MaxEfSearch {
		return fmt.Errorf("ef_search = %d, want %d..%d: %w", ef, MinEfSearch, MaxEfSearch, ErrInvalidOption)
	}
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.opts.EfSearch = ef
	return nil
}

// Len returns the number of rows, not counting deleted ones.
func (h *HNSW) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.live
}

// Deleted returns the number of deleted rows that still take space in the
// graph. When it grows past Len, rebuilding the index (Build) restores speed
// and recall.
func (h *HNSW) Deleted() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.nDeleted
}

// Contains reports whether the index holds row id.
func (h *HNSW) Contains(id uint32) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	_, ok := h.liveSlot(id)
	return ok
}

// liveSlot returns the slot of row id if the index holds it. Rows added in
// id order from 0 (a table indexed whole) sit at slot = id, which is
// checked without a lookup, and only the other rows are kept in moved
// (a table indexed whole needs no map at all: 12 bytes a row saved); a
// slot holding a deleted row keeps its id, so the check also asks that
// the slot is live.
func (h *HNSW) liveSlot(id uint32) (uint32, bool) {
	if int(id) < len(h.ids) && h.ids[id] == id && !h.isDeleted(id) {
		return id, true
	}
	s, ok := h.moved[id]
	return s, ok
}

// Vector returns a copy of the vector the index holds for row id: for
// Cosine, the unit vector; ok is false if the index does not hold the row,
// or holds only its code (a quantized index without its vectors).
func (h *HNSW) Vector(id uint32) (v []float32, ok bool) {
	if v, ok = h.VectorView(id); !ok {
		return nil, false
	}
	return append([]float32(nil), v...), true
}

// vec returns the stored vector of slot s.
func (h *HNSW) vec(s uint32) []float32 {
	i := int(s) * h.dim
	return h.vecs[i : i+h.dim : i+h.dim]
}

// dist is the distance used inside the graph: squared L2 for Euclidean,
// otherwise the negated dot product (for Cosine the vectors are unit length).
func (h *HNSW) dist(a, b []float32) float32 {
	if h.l2 {
		return vec.SquaredL2(a, b)
	}
	return -vec.Dot(a, b)
}

// distBatch fills sr.dists with the distances from q to the slots in
// sr.fresh, in one call to the SIMD kernel.
func (h *HNSW) distBatch(sr *searcher, q []float32) []float32 {
	if sr.cq != nil {
		return h.codeDistBatch(sr)
	}
	vec.PrefetchRows(h.vecs, h.dim, sr.fresh)
	n := len(sr.fresh)
	if cap(sr.dists) < n {
		sr.dists = make([]float32, n, max(n, 2*h.m0+1))
	}
	d := sr.dists[:n]
	if h.l2 {
		vec.SquaredL2Batch(q, h.vecs, sr.fresh, d)
		return d
	}
	vec.DotBatch(q, h.vecs, sr.fresh, d)
	for i := range d {
		d[i] = -d[i]
	}
	return d
}

func (h *HNSW) isDeleted(s uint32) bool { return h.deleted[s>>6]&(1<<(s&63)) != 0 }

// block returns the neighbour list of slot s on layer l: its count, then
// room for maxM(l) slots.
func (h *HNSW) block(s uint32, l int) []uint32 {
	if l == 0 && h.packed != nil {
		b := h.packed.appendTo(make([]uint32, 1, h.m0+1), s)
		b[0] = uint32(len(b) - 1)
		return b[: h.m0+1 : h.m0+1]
	}
	if l == 0 {
		i := int(s) * (h.m0 + 1)
		return h.links0[i : i+h.m0+1 : i+h.m0+1]
	}
	i := int(h.upperOff[s]) + (l-1)*(h.m+1)
	return h.upper[i : i+h.m+1 : i+h.m+1]
}

func (h *HNSW) maxM(l int) int {
	if l == 0 {
		return h.m0
	}
	return h.m
}

// searcher holds the scratch space of one search, reused through a pool so
// that a query allocates almost nothing.
type searcher struct {
	visited visitedSet
	cand    minHeap
	res     maxHeap
	buf     []uint32
	sorted  []node
	sel     []node
	linked  []layerLinks // an insertion's chosen neighbours, per layer, until it links back
	keep    []node
	tmp     []node
	fresh   []uint32   // unvisited neighbours of the node being expanded
	dists   []float32  // their distances
	cq      *codeQuery // a quantized search: distances come from codes
	cqBuf   codeQuery  // what cq points to, reused
	idists  []int32    // the codes' integer scores
	row     []float32  // a full vector being rescored
	hold    uint32     // slot+1 of a row held out of the search (calibrate.go), 0 for none
}

func (h *HNSW) getSearcher(n int) *searcher {
	s, _ := h.pool.Get().(*searcher)
	if s == nil {
		s = &searcher{}
	}
	s.visited.grow(max(n, cap(h.ids)))
	s.visited.listMarks(len(s.visited.bits) > clearWords)
	s.visited.reset()
	s.hold = 0
	return s
}

func (h *HNSW) putSearcher(s *searcher) { h.pool.Put(s) }

// acceptor decides which visited slots may enter a search's answer.
type acceptor struct {
	all    bool // no deletions, exclusions or filter: every slot
	ex     excluder
	filter func(uint32) bool
}

func (h *HNSW) accepts(a *acceptor, s uint32) bool {
	if a.all {
		return true
	}
	if h.isDeleted(s) {
		return false
	}
	id := h.ids[s]
	if !a.ex.empty() && a.ex.has(id) {
		return false
	}
	return a.filter == nil || a.filter(id)
}

// greedy descends on layer l from cur to the nearest node it can reach by
// always moving to a nearer neighbour (a search with ef = 1). lk, when not
// nil, guards the neighbour lists against concurrent inserters.
func (h *HNSW) greedy(lk *locks, s *searcher, q []float32, cur node, l int) node {
	for changed := true; changed; {
		changed = false
		s.fresh = append(s.fresh[:0], h.neighbours(lk, s, cur.s, l)...)
		for i, d := range h.distBatch(s, q) {
			if d < cur.d && s.fresh[i]+1 != s.hold {
				cur = node{d, s.fresh[i]}
				changed = true
			}
		}
	}
	return cur
}

// neighbours returns the neighbour slots of s on layer l. With lk not nil
// (parallel insertion) it copies them into s.buf with atomic loads and
// without the node's lock: the lock, in an array of its own, cost a cache
// miss per expanded node (a tenth of a 2-thread build's time), while the
// list's own lines are read anyway. Writers change a list under its lock
// with atomic stores (setLinks, link), so a reader may meet a list half
// rewritten; every word it can see is a valid slot, so the worst case is a
// neighbour missed or seen twice (the visited set drops the second), which
// costs the walk nothing measurable (recall at equal ef is unchanged).
func (h *HNSW) neighbours(lk *locks, sr *searcher, s uint32, l int) []uint32 {
	b := h.block(s, l)
	if lk == nil {
		return b[1 : 1+b[0]]
	}
	n := min(int(atomic.LoadUint32(&b[0])), len(b)-1)
	buf := sr.buf[:0]
	for i := 1; i <= n; i++ {
		buf = append(buf, atomic.LoadUint32(&b[i]))
	}
	sr.buf = buf
	return buf
}

// setLinks replaces the list b (count first) with the slots of ns; with lk
// not nil (parallel insertion; the caller holds the node's lock) it
// stores with atomic stores, entries first, for neighbours' lock-free
// readers.
func setLinks(lk *locks, b []uint32, ns []node) {
	if lk == nil {
		b[0] = uint32(len(ns))
		for i, n := range ns {
			b[1+i] = n.s
		}
		return
	}
	for i, n := range ns {
		atomic.StoreUint32(&b[1+i], n.s)
	}
	atomic.StoreUint32(&b[0], uint32(len(ns)))
}

// scanRest completes a search whose walk was exhausted: it compares q with
// every node the walk did not reach, so that a graph with unreachable nodes
// or a filter that admits few rows still yields the exact best rows.
func (h *HNSW) scanRest(ctx context.Context, s *searcher, q []float32, ef int, acc *acceptor) error {
	vis := &s.visited
	for i := range h.ids {
		x := uint32(i)
		if i&0xffff == 0xffff {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if vis.has(x) || !(acc.all || h.accepts(acc, x)) {
			continue
		}
		d := h.slotDist(s, q, x)
		if len(s.res) < ef || d < s.res[0].d {
			s.res.pushBounded(node{d, x}, ef)
		}
	}
	return nil
}

// searchBuild runs the search of an insertion on layer l (no filter; deleted
// rows are traversed but not linked to), leaving up to ef nodes in s.res.
func (h *HNSW) searchBuild(lk *locks, s *searcher, q []float32, ep node, ef, l int) {
	s.cand = s.cand[:0]
	s.res = s.res[:0]
	s.visited.listMarks(true) // a search per row and layer: clear what it visited
	s.visited.reset()
	s.visited.mark(ep.s)
	vis := s.visited.bits
	lower := float32(math.Inf(1))
	if !h.isDeleted(ep.s) {
		s.res.push(ep)
		lower = ep.d
	}
	s.cand.push(ep)
	for len(s.cand) > 0 {
		c := s.cand[0]
		if c.d > lower && len(s.res) >= ef {
			break
		}
		s.cand.pop()
		if l == 0 && len(s.cand) > 0 {
			// As in searchBase: fetch the next node's links while this
			// node's neighbours are compared.
			h.prefetchLinks0(s.cand[0].s)
		}
		s.fresh = s.fresh[:0]
		for _, x := range h.neighbours(lk, s, c.s, l) {
			if firstVisit(vis, x) {
				s.fresh = append(s.fresh, x)
			}
		}
		s.visited.noteMarked(s.fresh) // a build's: listed
		for i, d := range h.distBatch(s, q) {
			x := s.fresh[i]
			if len(s.res) < ef || d < lower {
				s.cand.push(node{d, x})
				if !h.isDeleted(x) {
					s.res.pushBounded(node{d, x}, ef)
					lower = s.res[0].d
				}
			}
		}
	}
}

// drainSorted empties s.res into s.sorted, nearest first.
func (s *searcher) drainSorted() []node {
	n := len(s.res)
	if cap(s.sorted) < n {
		s.sorted = make([]node, n)
	}
	s.sorted = s.sorted[:n]
	for i := n - 1; i >= 0; i-- {
		s.sorted[i] = s.res.pop()
	}
	return s.sorted
}

// selectNeighbours applies the paper's heuristic (algorithm 4, without
// keeping pruned connections, as hnswlib does): walking the candidates from
// the nearest, keep one only if it is nearer to the base than to every one
// already kept. cands must be sorted nearest first.
func (h *HNSW) selectNeighbours(cands []node, m int, out []node) []node {
	out = out[:0]
	if len(cands) <= m {
		return append(out, cands...)
	}
	for _, c := range cands {
		cv := h.vec(c.s)
		good := true
		for _, r := range out {
			if h.dist(cv, h.vec(r.s)) < c.d {
				good = false
				break
			}
		}
		if good {
			out = append(out, c)
			if len(out) >= m {
				break
			}
		}
	}
	return out
}

// locks are the per-node mutexes of a parallel insertion.
type locks struct {
	node  []sync.Mutex
	entry sync.Mutex
}

func (lk *locks) lock(s uint32) {
	if lk != nil {
		lk.node[s].Lock()
	}
}

func (lk *locks) unlock(s uint32) {
	if lk != nil {
		lk.node[s].Unlock()
	}
}

// insert links slot, whose vector, id and level are already stored, into the
// graph (algorithm 1 of the paper).
func (h *HNSW) insert(lk *locks, s *searcher, slot uint32) {
	level := int(h.levels[slot])
	q := h.vec(slot)
	if lk != nil {
		lk.entry.Lock()
	}
	ep, top := h.entry, h.top
	holding := level > top
	if lk != nil && !holding {
		lk.entry.Unlock()
	}
	if top < 0 {
		h.entry, h.top = slot, level
		if lk != nil {
			lk.entry.Unlock()
		}
		return
	}
	cur := node{h.dist(q, h.vec(ep)), ep}
	for l := top; l > level; l-- {
		cur = h.greedy(lk, s, q, cur, l)
	}
	s.linked = s.linked[:0]
	for l := min(level, top); l >= 0; l-- {
		h.searchBuild(lk, s, q, cur, h.opts.EfConstruction, l)
		cands := s.drainSorted()
		if len(cands) == 0 {
			continue // every node reached is deleted
		}
		s.sel = h.selectNeighbours(cands, h.m, s.sel)
		lk.lock(slot)
		setLinks(lk, h.block(slot, l), s.sel)
		lk.unlock(slot)
		s.keepLinks(l)
		cur = cands[0]
	}
	// Link back only now that every layer's list of slot is set. Linked
	// back on an upper layer at once, slot could be reached there by a
	// parallel insertion and become its entry to the layer below while
	// slot's list on that layer was still empty: that insertion would
	// then find slot alone and keep it as its only neighbour. (hnswlib
	// holds the node's lock for the whole insertion instead, and every
	// reader takes it; neighbours reads without locks.) Serially the order
	// changes nothing: layer l's back-links do not touch layer l-1.
	for _, ll := range s.linked {
		for _, n := range ll.sel {
			h.link(lk, s, n.s, slot, n.d, ll.layer)
		}
	}
	if holding {
		h.entry, h.top = slot, level
		if lk != nil {
			lk.entry.Unlock()
		}
	}
}

// layerLinks are the neighbours an insertion chose on one layer.
type layerLinks struct {
	layer int
	sel   []node
}

// keepLinks saves s.sel as the neighbours chosen on layer l, reusing the
// slices of earlier insertions.
func (s *searcher) keepLinks(l int) {
	if len(s.linked) < cap(s.linked) {
		s.linked = s.linked[:len(s.linked)+1]
	} else {
		s.linked = append(s.linked, layerLinks{})
	}
	ll := &s.linked[len(s.linked)-1]
	ll.layer, ll.sel = l, append(ll.sel[:0], s.sel...)
}

// link adds newSlot, at distance d, to the neighbours of n on layer l; when
// the list is full the heuristic chooses among the old neighbours and the
// new one.
func (h *HNSW) link(lk *locks, s *searcher, n, newSlot uint32, d float32, l int) {
	lk.lock(n)
	defer lk.unlock(n)
	b := h.block(n, l)
	cnt := int(b[0])
	for _, x := range b[1 : 1+cnt] {
		if x == newSlot {
			return
		}
	}
	if mm := h.maxM(l); cnt < mm {
		if lk == nil {
			b[1+cnt] = newSlot
			b[0]++
		} else {
			atomic.StoreUint32(&b[1+cnt], newSlot)
			atomic.StoreUint32(&b[0], uint32(cnt+1))
		}
		return
	}
	nv := h.vec(n)
	s.tmp = append(s.tmp[:0], node{d, newSlot})
	for _, x := range b[1 : 1+cnt] {
		s.tmp = append(s.tmp, node{h.dist(nv, h.vec(x)), x})
	}
	sortNodes(s.tmp)
	s.keep = h.selectNeighbours(s.tmp, h.maxM(l), s.keep)
	setLinks(lk, b, s.keep)
}

// sortNodes sorts by distance, nearest first (insertion sort: lists hold at
// most 2*M+1 nodes).
func sortNodes(a []node) {
	for i := 1; i < len(a); i++ {
		x := a[i]
		j := i
		for j > 0 && a[j-1].d > x.d {
			a[j] = a[j-1]
			j--
		}
		a[j] = x
	}
}

// Search returns the k rows nearest to q, best first, ties broken by the
// smaller id. The search keeps max(ef, k) candidates, where ef is
// opts.EfSearch or the index's default. Rows in opts.Exclude, rows that
// opts.Filter rejects and deleted rows are passed through but never
// returned. If the graph walk runs out of nodes before it has found k
// rows (a filter that admits few rows, or nodes the graph cannot reach),
// the rows it did not visit are compared exactly, so the answer is then
// exact. It returns fewer than k results only when fewer rows qualify,
// ErrEmpty when the index has no rows, and an error if q has the wrong
// length, holds NaN or Inf, or (under Cosine) is all zeros.
func (h *HNSW) Search(ctx context.Context, q []float32, k int, opts SearchOptions) ([]Result, error) {
	q, err := prepareQuery(h.dim, h.opts.Metric, q, k)
	if err != nil {
		return nil, fmt.Errorf("hnsw search: %w", err)
	}
	if h.opts.Quantization != QuantNone || opts.Exact {
		return h.searchCodes(ctx, q, k, opts)
	}
	if opts.EfSearch < 0 {
		return nil, fmt.Errorf("hnsw search: ef_search = %d: %w", opts.EfSearch, ErrInvalidOption)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hnsw search: %w", err)
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	live := h.live
	if live == 0 {
		return nil, fmt.Errorf("hnsw search: %w", ErrEmpty)
	}
	k = min(k, live)
	ef := opts.EfSearch
	if ef == 0 {
		ef = h.opts.EfSearch
	}
	acc := acceptor{ex: newExcluder(opts.Exclude), filter: opts.Filter}
	// A short exclusion list (the query words) is applied after the search,
	// which then looks for k more results, as gensim's most_similar asks for
	// topn + len(words): the graph walk keeps its fast path.
	kk := k
	post := len(opts.Exclude) <= 16 && h.nDeleted == 0 && opts.Filter == nil
	if post {
		kk = k + len(opts.Exclude)
		acc.all = true
	}
	ef = max(ef, kk)

	s := h.getSearcher(len(h.ids))
	defer h.putSearcher(s)
	s.holdOut(opts.hold)
	cur := node{h.dist(q, h.vec(h.entry)), h.entry}
	for l := h.top; l > 0; l-- {
		cur = h.greedy(nil, s, q, cur, l)
	}
	exhausted, err := h.searchBase(ctx, s, q, cur, ef, &acc)
	if err == nil && exhausted {
		// The walk saw every node it could reach before ef ran out: nodes
		// it could not reach (a graph split by a concurrent build, or by
		// deletions) may be nearer than any it found, or be the only ones
		// a filter admits. Only small graphs and selective filters get here.
		err = h.scanRest(ctx, s, q, ef, &acc)
	}
	if err != nil {
		return nil, fmt.Errorf("hnsw search: %w", err)
	}
	for len(s.res) > kk {
		s.res.pop()
	}
	out := make([]Result, len(s.res))
	for i := len(s.res) - 1; i >= 0; i-- {
		n := s.res.pop()
		sc := -n.d
		if h.l2 {
			sc = -float32(math.Sqrt(float64(n.d)))
		}
		out[i] = Result{ID: h.ids[n.s], Score: sc}
	}
	if post && !acc.ex.empty() {
		out = slices.DeleteFunc(out, func(r Result) bool { return acc.ex.has(r.ID) })
	}
	sortResults(out) // equal scores: smaller id first
	return out[:min(k, len(out))], nil
}

// Add adds rows: ids[i] has the vector vecs[i*Dim():(i+1)*Dim()]. It checks
// the whole batch first and adds nothing if the lengths do not match, a
// vector holds NaN or Inf, or an id is present or given twice. Rows are
// inserted by Options.Workers goroutines, 1,024 at a time under the write
// lock. If ctx is cancelled, Add returns its error and the rows it had
// inserted are deleted again, so the index holds the same rows as before.
func (h *HNSW) Add(ctx context.Context, ids []uint32, vecs []float32) error {
	return h.add(ctx, ids, vecs, nil)
}

func (h *HNSW) add(ctx context.Context, ids []uint32, vecs []float32, progress func(done, total int)) error {
	if err := checkVectors(h.dim, ids, vecs); err != nil {
		return fmt.Errorf("hnsw add: %w", err)
	}
	if len(ids) > math.MaxUint32/2 {
		return fmt.Errorf("hnsw add: %d rows: %w", len(ids), ErrInvalidOption)
	}
	h.writeMu.Lock()
	defer h.writeMu.Unlock()

	h.mu.Lock()
	if h.noVecs {
		h.mu.Unlock()
		return fmt.Errorf("hnsw add: a quantized index without its float32 vectors cannot grow (rebuild it): %w", ErrInvalidOption)
	}
	seen := make(map[uint32]struct{}, len(ids))
	for _, id := range ids {
		_, dup := seen[id]
		if _, ok := h.liveSlot(id); ok || dup {
			h.mu.Unlock()
			return fmt.Errorf("hnsw add: row %d: %w", id, ErrDuplicateID)
		}
		seen[id] = struct{}{}
	}
	seen = nil
	if h.live == 0 && len(h.ids) > 0 {
		// Every row is deleted: start a fresh graph rather than hang new
		// rows off routing nodes that can never be returned.
		h.clearGraph()
	}
	if uint64(len(h.ids))+uint64(len(ids)) > math.MaxUint32 {
		h.mu.Unlock()
		return fmt.Errorf("hnsw add: index would exceed 2^32 slots: %w", ErrInvalidOption)
	}
	h.trainQuant(vecs)
	h.reserve(len(ids) + h.spare) // BuildCalibrated's held-out rows come next
	h.spare = 0
	first := len(h.ids)
	h.mu.Unlock()

	workers := h.opts.workers()
	var lk *locks
	if workers > 1 && len(ids) > 1 {
		lk = &locks{node: make([]sync.Mutex, first+len(ids))}
	}
	for start := 0; start < len(ids); start += addChunk {
		if err := ctx.Err(); err != nil {
			h.mu.Lock()
			for _, id := range ids[:start] {
				h.deleteLocked(id)
			}
			h.mu.Unlock()
			return fmt.Errorf("hnsw add: %w", err)
		}
		end := min(start+addChunk, len(ids))
		h.mu.Lock()
		lo := len(h.ids)
		h.appendRows(ids[start:end], vecs[start*h.dim:end*h.dim])
		h.insertRange(lk, lo, len(h.ids), workers)
		h.mu.Unlock()
		if progress != nil {
			progress(end, len(ids))
		}
	}
	h.mu.Lock()
	h.adviseHugePages() // hugepage.go
	h.mu.Unlock()
	return nil
}

// clearGraph drops every node; the caller holds the write lock and has
// checked that no row is live.
func (h *HNSW) clearGraph() {
	h.vecs, h.ids, h.levels, h.deleted = nil, nil, nil, nil
	h.links0, h.upperOff, h.upper, h.packed = nil, nil, nil, nil
	h.nDeleted, h.entry, h.top = 0, 0, -1
	h.q8, h.qb, h.codes8, h.sq8, h.codes1 = nil, nil, nil, nil, nil
}

// grow returns s with room for n more elements: exactly n more when s is
// empty (a build), at least a quarter more otherwise.
func grow[E any](s []E, n int) []E {
	if cap(s)-len(s) >= n {
		return s
	}
	c := len(s) + n
	if len(s) > 0 {
		c = max(c, cap(s)+cap(s)/4)
	}
	t := make([]E, len(s), c)
	copy(t, s)
	return t
}

// reserve makes room for n more slots, so that appends during the insertion
// do not move the arrays.
func (h *HNSW) reserve(n int) {
	h.vecs = grow(h.vecs, n*h.dim)
	h.ids = grow(h.ids, n)
	h.levels = grow(h.levels, n)
	h.upperOff = grow(h.upperOff, n)
	h.links0 = grow(h.links0, n*(h.m0+1))
	words := (len(h.ids) + n + 63) / 64
	h.deleted = grow(h.deleted, words-len(h.deleted))
	h.reserveCodes(n)
}

// appendRows stores rows and draws their levels, leaving them unlinked.
func (h *HNSW) appendRows(ids []uint32, vecs []float32) {
	first := len(h.ids)
	h.vecs = append(h.vecs, vecs...)
	h.ids = append(h.ids, ids...)
	h.links0 = append(h.links0, make([]uint32, len(ids)*(h.m0+1))...)
	for len(h.deleted)*64 < len(h.ids) {
		h.deleted = append(h.deleted, 0)
	}
	for i, id := range ids {
		s := first + i
		if h.opts.Metric == Cosine {
			normalizeInPlace(h.vecs[s*h.dim : (s+1)*h.dim])
		}
		h.encodeSlot(s)
		level := min(int(-math.Log(1-h.rng.Float64())*h.mult), maxLayer)
		h.levels = append(h.levels, uint8(level))
		off := uint32(0)
		if level > 0 {
			off = uint32(len(h.upper))
			h.upper = append(h.upper, make([]uint32, level*(h.m+1))...)
		}
		h.upperOff = append(h.upperOff, off)
		if id != uint32(s) {
			h.moved[id] = uint32(s)
		}
		h.live++
	}
}

// insertRange links slots lo..hi-1 with the given number of goroutines.
func (h *HNSW) insertRange(lk *locks, lo, hi, workers int) {
	if lk == nil || workers <= 1 || hi-lo < 2 {
		s := h.getSearcher(hi)
		defer h.putSearcher(s)
		for i := lo; i < hi; i++ {
			h.insert(nil, s, uint32(i))
		}
		return
	}
	var next atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	for range min(workers, hi-lo) {
		wg.Go(func() {
			s := h.getSearcher(hi)
			defer h.putSearcher(s)
			for {
				i := next.Add(1) - 1
				if i >= int64(hi) {
					return
				}
				h.insert(lk, s, uint32(i))
			}
		})
	}
	wg.Wait()
}

// Delete removes row id. Its node stays in the graph as a routing node
// (searches pass through it but never return it), as in hnswlib's
// markDeleted, so that deleting never disconnects the graph. Adding the id
// again stores a new node.
func (h *HNSW) Delete(id uint32) error {
	h.writeMu.Lock()
	defer h.writeMu.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.deleteLocked(id) {
		return fmt.Errorf("hnsw delete row %d: %w", id, ErrNotFound)
	}
	return nil
}

func (h *HNSW) deleteLocked(id uint32) bool {
	s, ok := h.liveSlot(id)
	if !ok {
		return false
	}
	delete(h.moved, id)
	h.live--
	h.deleted[s>>6] |= 1 << (s & 63)
	h.nDeleted++
	return true
}

// MemoryBytes estimates the heap memory the index holds, not counting the
// scratch space of searches in progress (2 bytes a node each).
func (h *HNSW) MemoryBytes() int64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return int64(cap(h.vecs))*4 + int64(cap(h.ids))*4 + int64(cap(h.levels)) +
		int64(cap(h.deleted))*8 + int64(cap(h.links0))*4 + int64(cap(h.upperOff))*4 + h.packed.bytesOrZero() +
		int64(cap(h.upper))*4 + mapBytes(len(h.moved)) + h.codeBytes()
}

// holdOut makes the search treat slot hold-1 as absent (hold 0: none): it
// is marked visited, so the layer-0 walk neither returns nor expands it,
// and greedy never moves to it on the upper layers.
func (s *searcher) holdOut(hold uint32) {
	s.hold = hold
	if hold != 0 {
		s.visited.mark(hold - 1)
	}
}
