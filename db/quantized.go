package db

import (
	"fmt"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
)

// Quantized indexes (CREATE INDEX ... WITH (quantization = 'int8' |
// 'binary', rescore = N)). The index keeps the graph and one code per row;
// the float32 vectors stay in the table only, and a search rescores its
// candidates by reading them from there (t.vector, inside the query's read
// transaction). The quantization and rescore depth are saved in the
// index's Params, so that a reopened database, a bulk reload and .dump
// keep them.

// indexQuantization returns the quantization an index was built with.
func indexQuantization(ix *IndexInfo) index.Quantization {
	s, _ := ix.Params["quantization"].(string)
	q, err := index.ParseQuantization(s)
	if s == "" || err != nil {
		return index.QuantNone
	}
	return q
}

// checkQuantization validates the quantization option of CREATE INDEX.
func checkQuantization(o query.Option, v any) error {
	s, ok := v.(string)
	if ok {
		if _, err := index.ParseQuantization(s); err == nil {
			return nil
		}
	}
	return errAt(&o, nil, "quantization must be 'int8', 'binary' or 'none', found %s", shown(v))
}

// addQuantParams records the quantization of o in an index's parameters
// (nothing without quantization, so that such indexes keep the parameters
// they always had).
func addQuantParams(p map[string]any, o index.Options) {
	if o.Quantization == index.QuantNone {
		return
	}
	p["quantization"] = o.Quantization.String()
	p["rescore"] = int64(o.Rescore)
}

// dropIndexVectors frees the float32 vectors of a quantized index before
// it is saved and cached: the table holds them.
func dropIndexVectors(h *index.HNSW) error {
	if h.Options().Quantization == index.QuantNone {
		return nil
	}
	return h.DropVectors()
}

// vectorSource reads full vectors of t for rescoring. It is valid while
// t's transaction is open.
func (t *table) vectorSource() func(id uint32, dst []float32) error {
	return func(id uint32, dst []float32) error { return t.vector(dst, id) }
}

// explainIndex describes how NEAREST uses the index of t.
func explainIndex(t *table, ef int, exact bool) string {
	ix := t.meta.Index
	q := indexQuantization(ix)
	if q == index.QuantNone {
		return fmt.Sprintf("NEAREST through the hnsw index of %s (ef_search %d)", t.name, ef)
	}
	codes := fmt.Sprintf("%s codes", q)
	depth := toIntDefault(ix.Params["rescore"], index.DefaultRescore)
	if exact {
		return fmt.Sprintf("NEAREST by an exact scan of the %s of %s, then rescoring the best %d × k with the table's %s vectors",
			codes, t.name, depth, t.meta.Elem)
	}
	return fmt.Sprintf("NEAREST through the hnsw index of %s on %s (ef_search %d), then rescoring the best %d × k with the table's %s vectors",
		t.name, codes, ef, depth, t.meta.Elem)
}

// describeIndex adds the memory of t's loaded index to DESCRIBE: the
// bytes it holds and per indexed row, and the bytes a search compares per
// row (the code, or the float32 vector).
func (e *env) describeIndex(t *table, add func(string, any)) {
	h, err := e.d.hnsw(t)
	if err != nil {
		add("index.memory", fmt.Sprintf("unavailable: %v", err))
		return
	}
	mem := h.MemoryBytes()
	add("index.memory", mem)
	if n := h.Len() + h.Deleted(); n > 0 {
		add("index.bytes_per_vector", roundTo(float64(mem)/float64(n), 1))
	}
	add("index.code_bytes", int64(h.CodeBytes()))
}

// checkIndexCodes compares the code of every indexed live row of t with
// its vector, for CHECK DATABASE.
func checkIndexCodes(t *table, h *index.HNSW, upto uint32, report func(string, ...any)) {
	if h.Options().Quantization == index.QuantNone {
		return
	}
	bad, first := 0, uint32(0)
	t.forEachRow(0, true, func(r Row) error {
		if r.ID >= upto || !h.Contains(r.ID) {
			return nil
		}
		if err := h.CheckCodes(r.ID, r.Vector); err != nil {
			if bad == 0 {
				first = r.ID
			}
			bad++
		}
		return nil
	})
	if bad > 0 {
		report("%d index codes do not match their rows' vectors (the first: row %d)", bad, first)
	}
}
