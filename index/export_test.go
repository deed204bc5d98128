package index

import (
	"context"

	"github.com/embeddb/embeddb/internal/vec"
)

// Unlink removes every link to row id from the other rows' neighbour lists,
// on every layer, leaving it unreachable from the entry point: the state a
// concurrent build can leave a row in. For tests only; id must not be the
// entry point.
func Unlink(h *HNSW, id uint32) {
	h.mu.Lock()
	defer h.mu.Unlock()
	target, _ := h.liveSlot(id)
	for s := range h.ids {
		for l := 0; l <= int(h.levels[s]); l++ {
			b := h.block(uint32(s), l)
			n := 0
			for _, x := range b[1 : 1+b[0]] {
				if x != target {
					b[1+n] = x
					n++
				}
			}
			b[0] = uint32(n)
		}
	}
}

// EntryID returns the row id of the entry point.
func EntryID(h *HNSW) uint32 { return h.ids[h.entry] }

// FlatBytes returns the memory that a search of f reads: its float32 rows,
// or its 16-bit rows (and the inverse norms under Cosine).
func FlatBytes(f *Flat) [][]byte {
	if f.halfStore() {
		return [][]byte{vec.AsBytes(f.half), vec.AsBytes(f.inv)}
	}
	return [][]byte{vec.AsBytes(f.vecs)}
}

// Links0 returns the layer-0 neighbours of row id's slot, packed or not.
func Links0(h *HNSW, id uint32) []uint32 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s, _ := h.liveSlot(id)
	b := h.block(s, 0)
	return append([]uint32(nil), b[1:1+b[0]]...)
}

// Packed reports whether h keeps its layer-0 links bit-packed.
func Packed(h *HNSW) bool { return h.packed != nil }

// SearchHeldOut searches with row id held out, as Calibrate does.
func SearchHeldOut(h *HNSW, q []float32, k, ef int, id uint32) ([]Result, error) {
	s, ok := h.liveSlot(id)
	if !ok {
		return nil, ErrNotFound
	}
	return h.Search(context.Background(), q, k, SearchOptions{EfSearch: ef, hold: s + 1})
}

// SetRescoreCut turns rescore's cut on or off.
func SetRescoreCut(on bool) { rescoreCutOff = !on }

// SetHugePages turns the huge-page advice of later reads and builds on or
// off.
func SetHugePages(on bool) { hugePages = on }

// GroundTruth returns Calibrate's exact answers for qs (dim values each),
// query i holding out row hold[i] when hold[i] >= 0.
func GroundTruth(h *HNSW, qs []float32, hold []int64, k int) ([][]uint32, error) {
	var cq []calQuery
	for i := 0; i < len(qs); i += h.dim {
		q, err := prepareQuery(h.dim, h.opts.Metric, qs[i:i+h.dim], k)
		if err != nil {
			return nil, err
		}
		c := calQuery{q: append([]float32(nil), q...)}
		if id := hold[i/h.dim]; id >= 0 {
			s, _ := h.liveSlot(uint32(id))
			c.hold = s + 1
		}
		cq = append(cq, c)
	}
	return h.groundTruth(context.Background(), cq, CalibrateOptions{K: k, Workers: 2})
}

// AdviseHugeF32 and AdviseHugeU8 ask for huge pages under s, as an index
// does under its rows and codes.
func AdviseHugeF32(s []float32) { adviseHuge(s) }

// AdviseHugeU8: see AdviseHugeF32.
func AdviseHugeU8(s []uint8) { adviseHuge(s) }
