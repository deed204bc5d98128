package exec

import (
	"context"
	"math"
	"weak"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// A prepared SELECT NEAREST(?, k) FROM t, run again with a word or a
// query vector, spends as much outside the index search as a tenth of the
// search itself: the read transaction, the table opened in it, the plan
// looked up, the word's id and vector found through the store's caches,
// the vector parameter copied and checked. When the last run found that
// everything the next one needs is in memory (the table's graph, the words
// by id and by word) and can be read without a transaction, it keeps an
// express entry: the next run with a word, or with a []float32 of the
// table's dimension, searches the graph it holds directly, provided that
// nothing changed since (store.ReadCached: the store's epoch, no explicit
// transaction). It runs the plan's HNSWSearch node as the executor would,
// and for anything else (a word not in the table, a vector of another
// length or type, a vector the search refuses (NaN, Inf, all zeros), a
// count that is not a positive integer, a cancelled context, a closed
// database, a SET since) it declines, and the statement runs the ordinary
// way, which answers or reports the error as it always has.

// expressNearest is a prepared NEAREST's express entry: what its last run
// read, as of the store's epoch then.
type expressNearest struct {
	epoch uint64
	set   plan.Settings // the SET values the plan was built with
	cols  []string

	queryArg int   // the index in args of the query word or vector
	kArg     int   // the index in args of the count, or -1: k is fixed
	k        int64 // the count when kArg is -1
	via      searchPath
	byWord   bool // a word is its unit vector in the graph (a cosine table)

	// The table's graph and words, held weakly: when a change drops them
	// from the store's caches, an entry not run since keeps no memory.
	h     weak.Pointer[index.HNSW]
	words weak.Pointer[store.Words]
}

// noteExpress keeps an express entry for a later run of the prepared
// SELECT that has just run plan p on table t in a read transaction opened
// at store epoch epoch, if p is a search of t's index that such an entry
// can run, and drops the entry kept before otherwise.
func (c *PlanCache) noteExpress(e *env, t *store.Table, p *plan.Plan, epoch uint64) {
	x := newExpress(e, t, p, c.last.Load())
	if x != nil {
		x.epoch = epoch
	}
	c.express.Store(x)
}

// newExpress returns the express entry for plan p of t, or nil. cp is the
// plan the cache holds: p must be it (a plan that holds whatever the
// parameters), and the entry takes the SET values it was built with.
func newExpress(e *env, t *store.Table, p *plan.Plan, cp *cachedPlan) *expressNearest {
	n, ok := p.Root.(*plan.HNSWSearch)
	if !ok || cp == nil || cp.p != p || e.st.InTransaction() || n.Filter != nil || n.Readable || n.EmitRows {
		return nil
	}
	via := hnswPath(n)
	ix := t.Index()
	// Only a search of a float32 index with no rows deleted or added since
	// its build reads nothing but the graph (env.search).
	if via.quantized || via.scanCodes || ix.Deleted > 0 || t.NextID() > ix.Upto {
		return nil
	}
	call := n.Call
	qp, ok := call.Args[0].(*query.Param)
	if !ok || len(call.Args) > 2 || qp.Index < 1 || qp.Index > len(e.args) {
		return nil
	}
	// Only the one-word query of a cosine table reads no row (nearestQuery);
	// a query vector reads none on any metric.
	x := &expressNearest{set: cp.set, cols: p.Cols, queryArg: qp.Index - 1, kArg: -1, k: 10, via: via,
		byWord: t.Metric() == "cosine"}
	var err error
	if len(call.Args) == 2 {
		switch k := call.Args[1].(type) {
		case *query.Param:
			if k.Index < 1 || k.Index > len(e.args) {
				return nil
			}
			x.kArg = k.Index - 1
		case *query.NumberLit:
			if x.k, err = (&scope{e: e, t: t}).topn(call); err != nil {
				return nil
			}
		default:
			return nil
		}
	}
	h, err := e.st.HNSW(t)
	if err != nil {
		return nil
	}
	words, err := e.st.Words(t)
	if err != nil {
		return nil
	}
	x.h, x.words = weak.Make(h), weak.Make(words)
	return x
}

// run answers the statement with args from the entry, or returns nil when
// the entry does not apply to them or is stale: the caller then runs the
// statement the ordinary way.
func (x *expressNearest) run(g *Engine, ctx context.Context, args []any) *Rows {
	var word string
	var vec []float32
	isWord := false
	switch q := args[x.queryArg].(type) {
	case string:
		if !x.byWord {
			return nil
		}
		word, isWord = q, true
	case []float32:
		// The search checks it as the ordinary path does (its length,
		// NaN, Inf, all zeros: index.prepareQuery), and on any error the
		// entry declines, so that the ordinary path reports it.
		vec = q
	default:
		return nil // []float64 and the rest: converted the ordinary way
	}
	k := x.k
	if x.kArg >= 0 {
		var ok bool
		if k, ok = expressCount(args[x.kArg]); !ok {
			return nil
		}
	}
	if g.settings.snapshot() != x.set {
		return nil
	}
	h, words := x.h.Value(), x.words.Value()
	if h == nil || words == nil {
		return nil
	}
	var out *Rows
	ran, err := g.st.ReadCached(ctx, x.epoch, func() error {
		var own [1]uint32 // the query word is left out of its answer
		opts := graphOptions(index.SearchOptions{}, x.via)
		if isWord {
			id, found := words.ID(word)
			if !found {
				return errStop
			}
			var ok bool
			if vec, ok = h.VectorView(id); !ok {
				return errStop
			}
			own[0] = id
			opts.Exclude = own[:]
		}
		// The search only reads the caller's vector (a cosine table's
		// search normalises a copy: index.prepareQuery), so it needs no
		// copy of its own, which the ordinary path makes (fromGo).
		res, err := h.SearchFiltered(ctx, vec, int(k), 0, opts)
		if err != nil {
			return err
		}
		out = expressRows(x.cols, res, words.Names())
		return nil
	})
	if !ran || err != nil {
		return nil
	}
	return out
}

// expressRows returns NEAREST's rows for res as a materialised Rows, in one
// allocation when they are few.
func expressRows(cols []string, res []index.Result, names []string) *Rows {
	if len(res) > nearestSmall {
		return newRows(cols, nearestRows(res, names))
	}
	r := new(struct {
		rows  Rows
		cells nearestCells
	})
	r.rows = Rows{cols: cols, rows: r.cells.fill(res, names), i: -1}
	return &r.rows
}

// expressCount converts NEAREST's count parameter as topn does, reporting
// false where topn reports an error.
func expressCount(v any) (int64, bool) {
	v, err := fromGo(v)
	if err != nil {
		return 0, false
	}
	n, ok := toInt(v)
	if !ok || n < 1 {
		return 0, false
	}
	return min(n, math.MaxInt32), true
}
