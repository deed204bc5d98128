package exec

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

var indexOptions = []string{"m", "ef_construction", "ef_search", "quantization", "rescore"}

// indexOptionsFrom turns WITH options (or saved parameters) into index
// options for table metric.
func indexOptionsFrom(metric string, params map[string]any) (index.Options, error) {
	opts := index.DefaultOptions()
	m, err := index.ParseMetric(metric)
	if err != nil {
		return opts, err
	}
	opts.Metric = m
	for _, name := range indexOptions {
		v, ok := params[name]
		if !ok {
			continue
		}
		if f, isFloat := v.(float64); isFloat { // decoded from JSON
			v = int64(f)
		}
		if err := opts.Set(name, v); err != nil {
			return opts, err
		}
	}
	return opts, opts.Validate()
}

func init() { handle((*env).createIndex) }

// createIndex runs CREATE INDEX ON t USING hnsw WITH (m, ef_construction,
// ef_search). The graph is built from a snapshot of the table while readers
// and writers go on; rows added meanwhile are searched exactly until the
// next build. It is saved with the table, so opening the database never
// rebuilds it.
func (e *env) createIndex(s *query.CreateIndex) (*Rows, error) {
	if s.Columns != nil {
		return e.createScalarIndex(s) // CREATE INDEX ON t (col): scalarindex.go
	}
	vals, err := e.bindIndex(s)
	if err != nil {
		return nil, err
	}
	e.indexPhase(s.Table.Name, "reading")
	snap, err := e.indexSnapshot(s)
	if err != nil {
		return nil, err
	}
	if snap == nil {
		return message("index", "exists"), nil
	}
	opts, err := indexOptionsFrom(snap.metric, vals)
	if err != nil {
		return nil, plan.ErrAt(s, err, "%s", trimPrefix(err.Error(), "index: "))
	}
	start := time.Now()
	params := indexParams(opts)
	h, err := e.buildCalibrated(s.Table.Name, snap.dim, snap.ids, snap.vecs, opts, params)
	if err != nil {
		return nil, plan.At(s, err)
	}
	rows := int64(len(snap.ids))
	snap.ids, snap.vecs = nil, nil
	e.indexPhase(s.Table.Name, "saving")
	if err := dropIndexVectors(h); err != nil {
		return nil, plan.At(s, err)
	}
	blob := store.NewBlobName(store.BlobIndex)
	bw := store.NewBlobWriter(e.ctx, e.st, snap.id, blob)
	if _, err := h.WriteTo(bw); err != nil {
		return nil, plan.At(s, err)
	}
	if err := bw.Close(); err != nil {
		return nil, plan.At(s, err)
	}
	info := &store.IndexInfo{Method: "hnsw", Params: params, Upto: snap.upto, Built: store.Now().UTC(), Bytes: bw.Size}
	if err := e.attachIndex(s, snap, blob, info); err != nil {
		return nil, err
	}
	e.st.RememberGraph(snap.id, blob, h)
	return newRows([]string{"table", "method", "rows", "bytes", "seconds"}, [][]any{{
		s.Table.Name, "hnsw", rows, bw.Size, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// bindIndex checks CREATE INDEX's method and evaluates and checks its
// options: the index parameters it gives.
func (e *env) bindIndex(s *query.CreateIndex) (map[string]any, error) {
	if s.Method != "" && s.Method != "hnsw" {
		return nil, plan.ErrAt(&query.Ident{Pos: s.MethodPos, Name: s.Method}, nil, "unknown index method %s (embeddb has hnsw)", store.Quote(s.Method))
	}
	vals, nodes, err := e.options(s.Options)
	if err != nil {
		return nil, err
	}
	for name, v := range vals {
		o := nodes[name]
		if name == "quantization" {
			if err := checkQuantization(o, v); err != nil {
				return nil, err
			}
			continue
		}
		lo, hi := 0, 0
		switch name {
		case "m":
			lo, hi = index.MinM, index.MaxM
		case "ef_construction":
			lo, hi = index.MinEfConstruction, index.MaxEfConstruction
		case "ef_search":
			lo, hi = index.MinEfSearch, index.MaxEfSearch
		case "rescore":
			lo, hi = 1, index.MaxRescore
		default:
			return nil, unknownOption(o, "CREATE INDEX", indexOptions)
		}
		if n, ok := toInt(v); !ok || n < int64(lo) || n > int64(hi) {
			return nil, plan.ErrAt(&o, nil, "%s must be an integer from %d to %d, found %s", name, lo, hi, shown(v))
		}
	}
	if m, ok := vals["m"]; ok {
		if ef, ok := vals["ef_construction"]; ok && toInt64(ef) < 2*toInt64(m) {
			o := nodes["ef_construction"]
			return nil, plan.ErrAt(&o, nil, "ef_construction must be at least 2 × m = %d, found %s", 2*toInt64(m), shown(ef))
		}
	}
	return vals, nil
}

// indexSnap is the table as CREATE INDEX found it: the rows to index and
// what tells, when the graph is saved, whether the table changed.
type indexSnap struct {
	id, ver uint64
	upto    uint32
	metric  string
	dim     int
	ids     []uint32
	vecs    []float32
}

// indexSnapshot reads the live rows of the table to index. It returns nil
// when the table has an index already and the statement says IF NOT
// EXISTS.
func (e *env) indexSnapshot(s *query.CreateIndex) (*indexSnap, error) {
	var snap *indexSnap
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if t.Index() != nil {
			if s.IfNotExists {
				return nil
			}
			return plan.ErrAt(s.Table, nil, "table %s already has an index (DROP INDEX ON %s first)", t.Name(), t.Name())
		}
		if need := int64(t.Rows()) * int64(t.Dim()*4*2+64); e.st.MemoryLimit() > 0 && need > e.st.MemoryLimit() {
			return plan.At(s, store.TooLarge("building an index of "+t.Name(), need, e.st.MemoryLimit(), "raise the limit"))
		}
		snap = &indexSnap{id: t.ID(), ver: t.Ver(), upto: t.NextID(), metric: t.Metric(), dim: t.Dim(),
			ids: make([]uint32, 0, t.Rows()), vecs: make([]float32, 0, int(t.Rows())*t.Dim())}
		return t.ForEachLiveChunk(func(i []uint32, v []float32) error {
			snap.ids = append(snap.ids, i...)
			snap.vecs = append(snap.vecs, v...)
			return e.ctx.Err()
		})
	})
	return snap, err
}

// attachIndex records the saved graph blob as the table's index, unless
// the table was replaced or indexed meanwhile (then the blob is dropped).
func (e *env) attachIndex(s *query.CreateIndex, snap *indexSnap, blob string, info *store.IndexInfo) error {
	return e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err == nil && t.ID() != snap.id {
			err = plan.ErrAt(s.Table, nil, "table %s was replaced while its index was built; nothing saved", t.Name())
		}
		if err == nil && t.Index() != nil {
			err = plan.ErrAt(s.Table, nil, "table %s got an index from another statement meanwhile", t.Name())
		}
		if err != nil {
			store.DropBlobOf(tx, snap.id, blob)
			return err
		}
		if t.Ver() != snap.ver {
			// Rows may have been deleted since the snapshot: have searches
			// check that the rows they find are still there.
			info.Deleted = 1
		}
		t.SetIndex(blob, info)
		return nil
	})
}

// buildIndex builds an HNSW graph, reporting progress.
func (e *env) buildIndex(table string, dim int, ids []uint32, vecs []float32, opts index.Options) (*index.HNSW, error) {
	return index.Build(e.ctx, dim, ids, vecs, opts, e.buildProgress(table))
}

// buildProgress reports the progress of an index build.
func (e *env) buildProgress(table string) func(done, total int) {
	prog := newThrottle(e.ctx)
	start := time.Now()
	return func(done, total int) {
		p := Progress{Op: "index", Table: table, Phase: "building", Done: int64(done), Total: int64(total), Unit: "rows"}
		if el := time.Since(start).Seconds(); el > 0 && done > 0 {
			p.Rate = float64(done) / el
			p.ETA = time.Duration(float64(total-done) / p.Rate * float64(time.Second))
		}
		prog.report(p, done == total)
	}
}

// indexPhase reports that CREATE INDEX has entered a phase without a
// count ("reading" the table, "calibrating", "saving"), so that a progress display, or a
// benchmark, can tell where the time goes.
func (e *env) indexPhase(table, phase string) {
	progressFunc(e.ctx)(Progress{Op: "index", Table: table, Phase: phase})
}

func indexParams(o index.Options) map[string]any {
	p := map[string]any{"m": int64(o.M), "ef_construction": int64(o.EfConstruction), "ef_search": int64(o.EfSearch)}
	addQuantParams(p, o)
	return p
}

// rebuildIndexInto builds, for a table being bulk-loaded, an index with the
// parameters of old over vectors (rows 0, 1, ...), and saves it with the
// table.
func (e *env) rebuildIndexInto(w *store.BulkWriter, table string, old *store.IndexInfo, vectors []float32) error {
	opts, err := indexOptionsFrom(store.BulkMetric(w), old.Params)
	if err != nil {
		return err
	}
	n := len(vectors) / w.Dim()
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(i)
	}
	h, err := e.buildIndex(table, w.Dim(), ids, vectors, opts)
	if err != nil {
		return err
	}
	params := indexParams(opts)
	if err := e.calibrateIndex(table, h, params); err != nil {
		return err
	}
	if err := dropIndexVectors(h); err != nil {
		return err
	}
	if err := w.WriteBlob(store.BlobIndex, func(dst io.Writer) error {
		_, err := h.WriteTo(dst)
		return err
	}); err != nil {
		return err
	}
	store.SetBulkIndex(w, &store.IndexInfo{Method: "hnsw", Params: params, Upto: uint32(n), Built: store.Now().UTC()})
	return nil
}

func init() { handle((*env).dropIndex) }

// dropIndex runs DROP INDEX [IF EXISTS] ON t.
func (e *env) dropIndex(s *query.DropIndex) (*Rows, error) {
	if s.Columns != nil {
		return e.dropScalarIndex(s) // DROP INDEX ON t (col): scalarindex.go
	}
	var id uint64
	none := false // IF EXISTS and there was no index: nothing was dropped
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if t.Index() == nil {
			if s.IfExists {
				none = true
				return nil
			}
			return plan.ErrAt(s.Table, store.ErrNoIndex, "table %s has no index", t.Name())
		}
		if err := t.DropIndex(); err != nil {
			return err
		}
		id = t.ID()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if none {
		// As CREATE INDEX IF NOT EXISTS answers "index | exists".
		return message("index", "none"), nil
	}
	e.st.ForgetGraph(id)
	return message("dropped", fmt.Sprintf("index on %s", s.Table.Name)), nil
}

var _ = errors.Is
