package db

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
	bolt "go.etcd.io/bbolt"
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

// createIndex runs CREATE INDEX ON t USING hnsw WITH (m, ef_construction,
// ef_search). The graph is built from a snapshot of the table while readers
// and writers go on; rows added meanwhile are searched exactly until the
// next build. It is saved with the table, so opening the database never
// rebuilds it.
func (e *env) createIndex(s *query.CreateIndex) (*Rows, error) {
	if s.Method != "" && s.Method != "hnsw" {
		return nil, errAt(&query.Ident{Pos: s.MethodPos, Name: s.Method}, nil, "unknown index method %s (embeddb has hnsw)", quote(s.Method))
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
			return nil, errAt(&o, nil, "%s must be an integer from %d to %d, found %s", name, lo, hi, shown(v))
		}
	}
	if m, ok := vals["m"]; ok {
		if ef, ok := vals["ef_construction"]; ok && toInt64(ef) < 2*toInt64(m) {
			o := nodes["ef_construction"]
			return nil, errAt(&o, nil, "ef_construction must be at least 2 × m = %d, found %s", 2*toInt64(m), shown(ef))
		}
	}
	// Snapshot the rows.
	var id, ver uint64
	var upto uint32
	var metric string
	var ids []uint32
	var vecs []float32
	var dim int
	exists := false
	err = e.d.view(e.ctx, func(tx *bolt.Tx) error {
		t, err := e.table(tx, s.Table)
		if err != nil {
			return err
		}
		if t.meta.Index != nil {
			exists = true
			if s.IfNotExists {
				return nil
			}
			return errAt(s.Table, nil, "table %s already has an index (DROP INDEX ON %s first)", t.name, t.name)
		}
		if need := int64(t.meta.Rows) * int64(t.meta.Dim*4*2+64); e.d.opts.MemoryLimit > 0 && need > e.d.opts.MemoryLimit {
			return at(s, errTooLarge("building an index of "+t.name, need, e.d.opts.MemoryLimit, "raise the limit"))
		}
		id, ver, upto, metric, dim = t.id, t.ver, t.meta.NextID, t.meta.Metric, t.meta.Dim
		ids = make([]uint32, 0, t.meta.Rows)
		vecs = make([]float32, 0, int(t.meta.Rows)*t.meta.Dim)
		return t.forEachLiveChunk(func(i []uint32, v []float32) error {
			ids = append(ids, i...)
			vecs = append(vecs, v...)
			return e.ctx.Err()
		})
	})
	if err != nil {
		return nil, err
	}
	if exists {
		return message("index", "exists"), nil
	}
	opts, err := indexOptionsFrom(metric, vals)
	if err != nil {
		return nil, errAt(s, err, "%s", trimPrefix(err.Error(), "index: "))
	}
	start := time.Now()
	h, err := e.buildIndex(s.Table.Name, dim, ids, vecs, opts)
	if err != nil {
		return nil, at(s, err)
	}
	vecs = nil
	if err := dropIndexVectors(h); err != nil {
		return nil, at(s, err)
	}
	blob := newBlobName(blobIndex)
	bw := newBlobWriter(e.ctx, e.d, id, blob)
	if _, err := h.WriteTo(bw); err != nil {
		return nil, at(s, err)
	}
	if err := bw.Close(); err != nil {
		return nil, at(s, err)
	}
	info := &IndexInfo{Method: "hnsw", Params: indexParams(opts), Upto: upto, Built: now().UTC(), Bytes: bw.size}
	err = e.d.Update(e.ctx, func(tx *Tx) error {
		t, err := e.table(tx.tx, s.Table)
		if err == nil && t.id != id {
			err = errAt(s.Table, nil, "table %s was replaced while its index was built; nothing saved", t.name)
		}
		if err == nil && t.meta.Index != nil {
			err = errAt(s.Table, nil, "table %s got an index from another statement meanwhile", t.name)
		}
		if err != nil {
			t, _ := openTableID(tx.tx, id)
			if t != nil {
				t.dropBlob(blob)
			}
			return err
		}
		if t.ver != ver {
			// Rows may have been deleted since the snapshot: have searches
			// check that the rows they find are still there.
			info.Deleted = 1
		}
		if t.meta.Blobs == nil {
			t.meta.Blobs = map[string]string{}
		}
		t.meta.Blobs[blobIndex] = blob
		t.meta.Index = info
		t.dirty = true
		tx.open = map[string]*table{t.name: t}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.d.mu.Lock()
	if e.d.graphs != nil {
		e.d.graphs[id] = hnswEntry{blob: blob, h: h}
	}
	e.d.mu.Unlock()
	return newRows([]string{"table", "method", "rows", "bytes", "seconds"}, [][]any{{
		s.Table.Name, "hnsw", int64(len(ids)), bw.size, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// buildIndex builds an HNSW graph, reporting progress.
func (e *env) buildIndex(table string, dim int, ids []uint32, vecs []float32, opts index.Options) (*index.HNSW, error) {
	prog := newThrottle(e.ctx)
	start := time.Now()
	h, err := index.Build(e.ctx, dim, ids, vecs, opts, func(done, total int) {
		p := Progress{Op: "index", Table: table, Phase: "building", Done: int64(done), Total: int64(total), Unit: "rows"}
		if el := time.Since(start).Seconds(); el > 0 && done > 0 {
			p.Rate = float64(done) / el
			p.ETA = time.Duration(float64(total-done) / p.Rate * float64(time.Second))
		}
		prog.report(p, done == total)
	})
	return h, err
}

func indexParams(o index.Options) map[string]any {
	p := map[string]any{"m": int64(o.M), "ef_construction": int64(o.EfConstruction), "ef_search": int64(o.EfSearch)}
	addQuantParams(p, o)
	return p
}

// rebuildIndexInto builds, for a table being bulk-loaded, an index with the
// parameters of old over vectors (rows 0, 1, ...), and saves it with the
// table.
func (e *env) rebuildIndexInto(w *BulkWriter, table string, old *IndexInfo, vectors []float32) error {
	opts, err := indexOptionsFrom(w.meta.Metric, old.Params)
	if err != nil {
		return err
	}
	n := len(vectors) / w.meta.Dim
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(i)
	}
	h, err := e.buildIndex(table, w.meta.Dim, ids, vectors, opts)
	if err != nil {
		return err
	}
	if err := dropIndexVectors(h); err != nil {
		return err
	}
	if err := w.WriteBlob(blobIndex, func(dst io.Writer) error {
		_, err := h.WriteTo(dst)
		return err
	}); err != nil {
		return err
	}
	w.setIndex(&IndexInfo{Method: "hnsw", Params: indexParams(opts), Upto: uint32(n), Built: now().UTC()})
	return nil
}

// dropIndex runs DROP INDEX [IF EXISTS] ON t.
func (e *env) dropIndex(s *query.DropIndex) (*Rows, error) {
	var id uint64
	none := false // IF EXISTS and there was no index: nothing was dropped
	err := e.d.Update(e.ctx, func(tx *Tx) error {
		t, err := e.table(tx.tx, s.Table)
		if err != nil {
			return err
		}
		if t.meta.Index == nil {
			if s.IfExists {
				none = true
				return nil
			}
			return errAt(s.Table, ErrNoIndex, "table %s has no index", t.name)
		}
		if err := t.dropBlob(t.meta.Blobs[blobIndex]); err != nil {
			return err
		}
		delete(t.meta.Blobs, blobIndex)
		t.meta.Index = nil
		t.dirty = true
		tx.open = map[string]*table{t.name: t}
		id = t.id
		return nil
	})
	if err != nil {
		return nil, err
	}
	if none {
		// As CREATE INDEX IF NOT EXISTS answers "index | exists".
		return message("index", "none"), nil
	}
	e.d.mu.Lock()
	delete(e.d.graphs, id)
	e.d.mu.Unlock()
	return message("dropped", fmt.Sprintf("index on %s", s.Table.Name)), nil
}

var _ = errors.Is
