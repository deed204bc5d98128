package exec

import (
	"cmp"
	"fmt"
	"math/rand/v2"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
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

// checkQuantization validates the quantization option of CREATE INDEX.
func checkQuantization(o query.Option, v any) error {
	s, ok := v.(string)
	if ok {
		if _, err := index.ParseQuantization(s); err == nil {
			return nil
		}
	}
	return plan.ErrAt(&o, nil, "quantization must be 'int8', 'binary' or 'none', found %s", shown(v))
}

// addQuantParams records the quantization of o in an index's parameters
// (nothing without quantization, so that such indexes keep the parameters
// they always had).
func addQuantParams(p map[string]any, o index.Options) {
	if o.Quantization == index.QuantNone {
		return
	}
	p["quantization"] = o.Quantization.String()
	p["rescore"] = int64(cmp.Or(o.Rescore, index.DefaultRescore)) // 0 in Options means the default
}

// dropIndexVectors frees the float32 vectors of a quantized index before
// it is saved and cached: the table holds them.
func dropIndexVectors(h *index.HNSW) error {
	if h.Options().Quantization == index.QuantNone {
		return nil
	}
	return h.DropVectors()
}

// describeIndex adds the memory of t's loaded index to DESCRIBE: the
// bytes it holds and per indexed row, and the bytes a search compares per
// row (the code, or the float32 vector).
func (e *env) describeIndex(t *store.Table, add func(string, any)) {
	h, err := e.st.HNSW(t)
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

// calibrateIndex (for an index rebuilt by a bulk reload, whose rows are
// not ours to reorder) measures the recall@10 of h's search settings on a
// sample of its own rows searched as held-out queries (index.Calibrate)
// and records it in the index parameters p, for SET recall. It runs while
// the index still holds its float32 vectors (a quantized index drops them
// after), which give the exact answers.
func (e *env) calibrateIndex(table string, h *index.HNSW, p map[string]any) error {
	cal, err := h.Calibrate(e.ctx, index.CalibrateOptions{Seed: 1})
	if err != nil {
		return err
	}
	p[plan.CalibrationParam] = cal.String()
	return nil
}

// buildCalibrated builds the index of CREATE INDEX with its recall
// calibration, for SET recall: up to 200 of the rows (index.
// DefaultCalibrationQueries, a tenth of a small table), drawn at random,
// are left out of the build, searched as queries the graph has never seen
// (index.BuildCalibrated: exact answers from the other rows), then added,
// so that the index holds every row. ids and vecs are reordered.
func (e *env) buildCalibrated(table string, dim int, ids []uint32, vecs []float32, opts index.Options, p map[string]any) (*index.HNSW, error) {
	n := len(ids)
	m := min(index.DefaultCalibrationQueries, n/10)
	if m < 20 {
		// Too few rows to sample: SET recall searches exactly.
		h, err := e.buildIndex(table, dim, ids, vecs, opts)
		if err == nil {
			p[plan.CalibrationParam] = index.Calibration{K: index.DefaultCalibrationK}.String()
		}
		return h, err
	}
	// Move m random rows to the end (a partial Fisher-Yates shuffle).
	rng := rand.New(rand.NewPCG(uint64(n), 0xca1))
	row := make([]float32, dim)
	for i := n - 1; i >= n-m; i-- {
		j := rng.IntN(i + 1)
		ids[i], ids[j] = ids[j], ids[i]
		a, b := vecs[i*dim:(i+1)*dim], vecs[j*dim:(j+1)*dim]
		copy(row, a)
		copy(a, b)
		copy(b, row)
	}
	building := e.buildProgress(table)
	progress := func(done, total int) {
		building(done, total)
		if done == total {
			e.indexPhase(table, "calibrating") // the graph of the others is built
		}
	}
	h, cal, err := index.BuildCalibrated(e.ctx, dim, ids, vecs, m, opts, index.CalibrateOptions{}, progress)
	if err != nil {
		return nil, err
	}
	p[plan.CalibrationParam] = cal.String()
	return h, nil
}
