package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/embeddb/embeddb/internal/vec"
)

// Recall calibration: SET recall = 0.99 asks for a recall rather than an
// ef_search. An index cannot know its recall on queries it has never seen,
// so Calibrate measures it on the nearest stand-in it has: a random sample
// of its own rows, each searched as a query with its own row held out (the
// walk neither returns it nor passes through it, so it does not lead the
// search to its own neighbours), against the exact top K among the other
// rows. The recall so measured is an estimate: queries unlike the table's
// rows may do worse, and rows added later are not in it.

// Calibration is what Calibrate measured: the recall@K each search setting
// reached on Queries of the index's own rows.
type Calibration struct {
	K       int                // results per query
	Queries int                // rows searched as held-out queries
	Points  []CalibrationPoint // in the order measured
}

// CalibrationPoint is one search setting and the recall it reached.
type CalibrationPoint struct {
	EfSearch int
	Rescore  int // candidates rescored per result; 0 without quantization
	Recall   float64
}

// CalibrateOptions configures Calibrate. The zero value is valid.
type CalibrateOptions struct {
	Queries int   // rows sampled as queries; 0 means 200
	K       int   // results per query; 0 means 10
	Seed    int64 // seeds the sample
	Workers int   // goroutines; 0 means the index's Options.Workers
}

// Defaults of CalibrateOptions.
const (
	DefaultCalibrationQueries = 200
	DefaultCalibrationK       = 10
)

// calibrationEfs is the ladder of ef_search values tried, up to the
// number of rows (at which a walk is exhaustive).
var calibrationEfs = []int{10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 12288, 16384}

// calibrationTop is the recall at which a ladder stops: nobody asks for
// more short of an exact search.
const calibrationTop = 0.9995

// calibrationRescores are the rescore depths tried on a quantized index.
var calibrationRescores = []int{1, 2, 4, 8}

// Calibrate measures the recall@K of searches of h over a ladder of
// ef_search values (and, for a quantized index, rescore depths), searching
// a random sample of its live rows as held-out queries. The index must
// still hold its float32 vectors (they give the exact answers). With fewer
// than K+2 live rows it returns a Calibration without points: any search
// of so small an index is exact.
func (h *HNSW) Calibrate(ctx context.Context, o CalibrateOptions) (Calibration, error) {
	o = o.withDefaults(h)
	qs, err := h.ownQueries(o)
	if err != nil {
		return Calibration{K: o.K}, err
	}
	return h.calibrate(ctx, qs, o)
}

// CalibrateHeldOut is Calibrate with queries that are not in the index:
// qs holds them, Dim values each (CREATE INDEX leaves a sample of the
// table's rows out of the build, calibrates with them, then adds them).
// This measures what a new query meets, with no row to hold out.
func (h *HNSW) CalibrateHeldOut(ctx context.Context, qs []float32, o CalibrateOptions) (Calibration, error) {
	o = o.withDefaults(h)
	if len(qs)%h.dim != 0 {
		return Calibration{}, fmt.Errorf("hnsw calibrate: %d values is not a whole number of %d-d queries: %w", len(qs), h.dim, ErrInvalidOption)
	}
	var cq []calQuery
	for i := 0; i < len(qs); i += h.dim {
		q, err := prepareQuery(h.dim, h.opts.Metric, qs[i:i+h.dim], o.K)
		if err != nil {
			return Calibration{}, fmt.Errorf("hnsw calibrate: query %d: %w", i/h.dim, err)
		}
		cq = append(cq, calQuery{q: slices.Clone(q)})
	}
	h.mu.RLock()
	small := h.noVecs || h.live < o.K+2
	noVecs := h.noVecs
	h.mu.RUnlock()
	if noVecs {
		return Calibration{}, fmt.Errorf("hnsw calibrate: the index holds codes only: %w", ErrInvalidOption)
	}
	if small {
		return Calibration{K: o.K}, nil
	}
	return h.calibrate(ctx, cq, o)
}

// BuildCalibrated is Build with a recall calibration made on the way: the
// last held rows of ids (and vecs) are left out until the graph of the
// others is built, serve as queries it has never seen (CalibrateHeldOut),
// then are added, into room reserved at the start, so that the index
// takes the memory Build's would. progress sees the first part only.
func BuildCalibrated(ctx context.Context, dim int, ids []uint32, vecs []float32, held int, opts Options, co CalibrateOptions, progress func(done, total int)) (*HNSW, Calibration, error) {
	n := len(ids)
	if held < 0 || held > n || len(vecs) != n*dim {
		return nil, Calibration{}, fmt.Errorf("build: %d rows held out of %d (%d values): %w", held, n, len(vecs), ErrInvalidOption)
	}
	h, err := NewHNSW(dim, opts)
	if err != nil {
		return nil, Calibration{}, fmt.Errorf("build: %w", err)
	}
	first := n - held
	h.spare = held
	if err := h.add(ctx, ids[:first], vecs[:first*dim], progress); err != nil {
		return nil, Calibration{}, fmt.Errorf("build: %w", err)
	}
	cal, err := h.CalibrateHeldOut(ctx, vecs[first*dim:], co)
	if err != nil {
		return nil, Calibration{}, err
	}
	if held > 0 {
		if err := h.add(ctx, ids[first:], vecs[first*dim:], nil); err != nil {
			return nil, Calibration{}, fmt.Errorf("build: %w", err)
		}
	}
	return h, cal, nil
}

func (o CalibrateOptions) withDefaults(h *HNSW) CalibrateOptions {
	if o.Queries <= 0 {
		o.Queries = DefaultCalibrationQueries
	}
	if o.K <= 0 {
		o.K = DefaultCalibrationK
	}
	if o.Workers <= 0 {
		o.Workers = h.opts.workers()
	}
	return o
}

// calQuery is one calibration query: its prepared vector and, for a row
// of the index searched as a query, its slot+1 to hold out (0 for none).
type calQuery struct {
	q    []float32
	hold uint32
}

// calibrate finds the exact answers of qs and measures the ladders.
func (h *HNSW) calibrate(ctx context.Context, qs []calQuery, o CalibrateOptions) (Calibration, error) {
	cal := Calibration{K: o.K, Queries: len(qs)}
	if len(qs) == 0 {
		cal.Queries = 0
		return cal, nil
	}
	truth, err := h.groundTruth(ctx, qs, o)
	if err != nil {
		return Calibration{}, fmt.Errorf("hnsw calibrate: %w", err)
	}
	rescores := []int{0}
	if h.opts.Quantization != QuantNone {
		rescores = calibrationRescores
	}
	for _, r := range rescores {
		if err := h.calibrateLadder(ctx, &cal, qs, truth, r, o); err != nil {
			return Calibration{}, err
		}
	}
	return cal, nil
}

// ownQueries draws the sample of the index's own rows, under the read
// lock (the searches that follow take it themselves).
func (h *HNSW) ownQueries(o CalibrateOptions) ([]calQuery, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.noVecs {
		return nil, fmt.Errorf("hnsw calibrate: the index holds codes only: %w", ErrInvalidOption)
	}
	if h.live < o.K+2 {
		return nil, nil
	}
	var qs []calQuery
	for _, s := range h.calibrationSample(o) {
		qs = append(qs, calQuery{q: slices.Clone(h.vec(s)), hold: s + 1})
	}
	return qs, nil
}

// calibrationSample draws up to o.Queries distinct live slots, never the
// entry point (the walk starts there, so it cannot be held out).
func (h *HNSW) calibrationSample(o CalibrateOptions) []uint32 {
	n := len(h.ids)
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed))
	want := min(o.Queries, h.live-1)
	seen := make(map[uint32]bool, want)
	out := make([]uint32, 0, want)
	for tries := 0; len(out) < want && tries < 20*want+100; tries++ {
		s := uint32(rng.IntN(n))
		if seen[s] || s == h.entry || h.isDeleted(s) {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// groundTruth returns, for each query, the ids of the exact K nearest
// live rows other than the one it holds out, compared on the float32
// vectors. Each worker takes a share of the queries and runs all of them
// over the rows a block at a time, with the flat scan's kernel: a block is
// read from memory once and then compared from the cache, so the cost is
// that of the arithmetic (about a second for 200 queries of 331,479
// 100-d rows), not of reading the table 200 times.
func (h *HNSW) groundTruth(ctx context.Context, qs []calQuery, o CalibrateOptions) ([][]uint32, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := len(h.ids)
	block := max(64, truthBlockBytes/(4*h.dim))
	workers := max(1, min(o.Workers, len(qs)))
	tops := make([]maxHeap, len(qs))
	err := parallel(ctx, workers, workers, func(w int) error {
		d := make([]float32, block)
		for lo := 0; lo < n; lo += block {
			if err := ctx.Err(); err != nil {
				return err
			}
			hi := min(lo+block, n)
			rows, d := h.vecs[lo*h.dim:hi*h.dim], d[:hi-lo]
			for i := w; i < len(qs); i += workers {
				h.rowDists(qs[i].q, rows, d)
				top := &tops[i]
				for j, x := range d {
					s := uint32(lo + j)
					if (len(*top) < o.K || x < (*top)[0].d) && s+1 != qs[i].hold && !h.isDeleted(s) {
						top.pushBounded(node{x, s}, o.K)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	truth := make([][]uint32, len(qs))
	for i, top := range tops {
		ids := make([]uint32, len(top))
		for j, n := range top {
			ids[j] = h.ids[n.s]
		}
		truth[i] = ids
	}
	return truth, nil
}

// truthBlockBytes is the size of the blocks of rows groundTruth compares
// all its queries with: well within a core's L2 cache.
const truthBlockBytes = 256 << 10

// rowDists stores in d the graph distances (h.dist) from q to the
// len(d) contiguous rows of rows: the float32 kernel of the exact scan
// (blockDists) and of the calibration's ground truth.
func (h *HNSW) rowDists(q, rows, d []float32) {
	if h.l2 {
		for i := range d {
			d[i] = vec.SquaredL2(q, rows[i*h.dim:(i+1)*h.dim])
		}
		return
	}
	vec.DotRows(q, rows, d)
	for i := range d {
		d[i] = -d[i]
	}
}

// calibrateLadder measures recall at each ef_search of the ladder for one
// rescore depth, stopping once recall is perfect, the walk is exhaustive,
// or recall has stopped rising.
func (h *HNSW) calibrateLadder(ctx context.Context, cal *Calibration, qs []calQuery, truth [][]uint32, rescore int, o CalibrateOptions) error {
	keep := o.K * max(rescore, 1)
	var last []float64
	for _, ef := range calibrationEfs {
		if ef < keep && ef != calibrationEfs[0] {
			continue
		}
		ef = max(ef, keep)
		rec, err := h.measureRecall(ctx, qs, truth, ef, rescore, o)
		if err != nil {
			return err
		}
		cal.Points = append(cal.Points, CalibrationPoint{EfSearch: ef, Rescore: rescore, Recall: rec})
		last = append(last, rec)
		if rec >= calibrationTop || ef >= h.live {
			return nil
		}
		// Recall that rose by less than 0.001 over two steps has reached
		// what this rescore depth allows (the codes' error, or nodes the
		// graph does not reach).
		if n := len(last); n >= 3 && ef >= 4*keep && last[n-1]-last[n-3] < 0.001 {
			return nil
		}
	}
	return nil
}

// measureRecall searches every query (its row held out, if it has one)
// and returns the fraction of the true K nearest found.
func (h *HNSW) measureRecall(ctx context.Context, qs []calQuery, truth [][]uint32, ef, rescore int, o CalibrateOptions) (float64, error) {
	var hits, total atomic.Int64
	err := parallel(ctx, len(qs), o.Workers, func(i int) error {
		res, err := h.Search(ctx, qs[i].q, o.K, SearchOptions{EfSearch: ef, Rescore: rescore, hold: qs[i].hold})
		if err != nil {
			return err
		}
		n := 0
		for _, r := range res {
			if slices.Contains(truth[i], r.ID) {
				n++
			}
		}
		hits.Add(int64(n))
		total.Add(int64(len(truth[i])))
		return nil
	})
	if err != nil || total.Load() == 0 {
		return 0, err
	}
	return float64(hits.Load()) / float64(total.Load()), nil
}

// parallel runs f(0..n-1) on up to workers goroutines, stopping at the
// first error or when ctx is done.
func parallel(ctx context.Context, n, workers int, f func(int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				err := ctx.Err()
				if err == nil {
					err = f(i)
				}
				if err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// For returns the cheapest measured setting whose recall reached target:
// the smallest ef_search, and for a quantized index the smallest ef_search
// + 4 × rescore × K (a rescored row is a read of its full vector, dearer
// than a step of the walk). ok is false when no setting reached it.
func (c Calibration) For(target float64) (p CalibrationPoint, ok bool) {
	cost := func(p CalibrationPoint) int { return p.EfSearch + 4*p.Rescore*c.K }
	for _, x := range c.Points {
		if x.Recall >= target && (!ok || cost(x) < cost(p)) {
			p, ok = x, true
		}
	}
	return p, ok
}

// String encodes c as "k=10 queries=200 16:0.8123 24:0.8741 ..." (with
// "16x2:0.8123" for ef_search 16 at rescore 2); ParseCalibration reads it.
func (c Calibration) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "k=%d queries=%d", c.K, c.Queries)
	for _, p := range c.Points {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(p.EfSearch))
		if p.Rescore > 0 {
			b.WriteByte('x')
			b.WriteString(strconv.Itoa(p.Rescore))
		}
		b.WriteByte(':')
		b.WriteString(strconv.FormatFloat(p.Recall, 'f', 4, 64))
	}
	return b.String()
}

// ParseCalibration reads what Calibration.String wrote.
func ParseCalibration(s string) (Calibration, error) {
	var c Calibration
	f := strings.Fields(s)
	if len(f) < 2 {
		return c, fmt.Errorf("recall calibration %q: want k=K queries=N then ef:recall pairs: %w", s, ErrInvalidOption)
	}
	k, err1 := strconv.Atoi(strings.TrimPrefix(f[0], "k="))
	n, err2 := strconv.Atoi(strings.TrimPrefix(f[1], "queries="))
	if err1 != nil || err2 != nil || !strings.HasPrefix(f[0], "k=") || !strings.HasPrefix(f[1], "queries=") || k < 1 || n < 0 {
		return c, fmt.Errorf("recall calibration %q: bad header: %w", s, ErrInvalidOption)
	}
	c.K, c.Queries = k, n
	for _, x := range f[2:] {
		p, err := parsePoint(x)
		if err != nil {
			return Calibration{}, fmt.Errorf("recall calibration: %w", err)
		}
		c.Points = append(c.Points, p)
	}
	return c, nil
}

func parsePoint(x string) (CalibrationPoint, error) {
	var p CalibrationPoint
	setting, rec, ok := strings.Cut(x, ":")
	if !ok {
		return p, fmt.Errorf("point %q: want ef:recall: %w", x, ErrInvalidOption)
	}
	ef, rs, quant := strings.Cut(setting, "x")
	var err error
	if p.EfSearch, err = strconv.Atoi(ef); err != nil || p.EfSearch < MinEfSearch || p.EfSearch > MaxEfSearch {
		return p, fmt.Errorf("point %q: bad ef_search: %w", x, ErrInvalidOption)
	}
	if quant {
		if p.Rescore, err = strconv.Atoi(rs); err != nil || p.Rescore < 1 || p.Rescore > MaxRescore {
			return p, fmt.Errorf("point %q: bad rescore: %w", x, ErrInvalidOption)
		}
	}
	if p.Recall, err = strconv.ParseFloat(rec, 64); err != nil || !(p.Recall >= 0 && p.Recall <= 1) {
		return p, fmt.Errorf("point %q: bad recall: %w", x, ErrInvalidOption)
	}
	return p, nil
}
