package store

import "github.com/embeddb/embeddb/index"

// Quantized indexes keep the graph and one code per row; the float32
// vectors stay in the table, and a search rescores its candidates by
// reading them from there.

// IndexQuantization returns the quantization an index was built with.
func IndexQuantization(ix *IndexInfo) index.Quantization {
	s, _ := ix.Params["quantization"].(string)
	if s == "" {
		return index.QuantNone // before parsing: its error costs a query its time
	}
	q, err := index.ParseQuantization(s)
	if err != nil {
		return index.QuantNone
	}
	return q
}

// VectorSource reads full vectors of t for rescoring. It is valid while
// t's transaction is open.
func (t *Table) VectorSource() func(id uint32, dst []float32) error {
	return func(id uint32, dst []float32) error { return t.Vector(dst, id) }
}

// checkIndexCodes compares the code of every indexed live row of t with
// its vector, for CHECK DATABASE.
func checkIndexCodes(t *Table, h *index.HNSW, upto uint32, report func(string, ...any)) {
	if h.Options().Quantization == index.QuantNone {
		return
	}
	bad, first := 0, uint32(0)
	t.ForEachRow(0, true, func(r Row) error {
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
