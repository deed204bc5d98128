package index

// VectorView returns the vector the index holds for row id, as Vector does
// (for Cosine, the unit vector), but without copying it: the slice is the
// index's own storage and must not be changed. It stays valid and
// unchanged for as long as the caller holds it, since the index never
// writes a stored vector again (Add appends rows, Delete marks them). ok is
// false if the index does not hold the row or holds only its code.
func (h *HNSW) VectorView(id uint32) (v []float32, ok bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s, ok := h.liveSlot(id)
	if !ok || h.noVecs {
		return nil, false
	}
	return h.vec(s), true
}
