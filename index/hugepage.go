package index

// adviseHugePages asks for huge pages under the arrays a walk reads at
// random. The caller holds the write lock (or the only reference).
func (h *HNSW) adviseHugePages() {
	if !hugePages {
		return
	}
	adviseHuge(h.vecs)
	adviseHuge(h.codes8)
	adviseHuge(h.codes1)
	adviseHuge(h.links0)
	if h.packed != nil {
		adviseHuge(h.packed.words)
	}
}

// hugePages turns adviseHugePages on (benchmarks compare both).
var hugePages = true
