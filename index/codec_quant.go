package index

import (
	"fmt"
	"math"
)

// The serialized form of a quantized HNSW (kind 3) is that of an HNSW
// (kind 2) with, after the header's upper-layer length,
//
//	quantization uint8   1 = int8, 2 = binary
//	rescore      uint32
//	has vectors  uint8   0: the float32 array below is absent
//
// then the same arrays (the float32 vectors only when present), then the
// quantizer and the codes:
//
//	int8:   lo [dim]float32, step [dim]float32,
//	        codes [slots × stride]uint8, sq [slots]float32
//	binary: thresh [dim]float32, codes [slots × words]uint64
//
// embeddb saves its quantized indexes without the vectors (the table holds
// them) and rescores from the table.

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func (h *HNSW) writeCodes(e *encoder) {
	if q := h.q8; q != nil {
		writeSlice(e, q.lo)
		writeSlice(e, q.step)
		codes, sq := h.paddedCodes()
		writeSlice(e, codes)
		writeSlice(e, sq)
		return
	}
	if q := h.qb; q != nil {
		writeSlice(e, q.thresh)
		writeSlice(e, h.codes1)
		return
	}
	// An empty quantized index has no quantizer yet: write neutral ranges
	// so that the reader finds the arrays it expects.
	switch h.opts.Quantization {
	case QuantInt8:
		z := make([]float32, h.dim)
		writeSlice(e, z)
		writeSlice(e, z)
	case QuantBinary:
		writeSlice(e, make([]float32, h.dim))
	}
}

// readCodes reads what writeCodes wrote for n slots.
func (h *HNSW) readCodes(d *decoder, n uint64) {
	dim := uint64(h.dim)
	switch h.opts.Quantization {
	case QuantInt8:
		q := &int8Quant{dim: h.dim, stride: h.CodeBytes()}
		q.lo = readSlice[float32](d, dim)
		q.step = readSlice[float32](d, dim)
		h.codes8 = readSlice[uint8](d, n*uint64(q.stride))
		h.sq8 = readSlice[float32](d, n)
		if n > 0 {
			h.q8, h.cstride = q, q.stride
		}
	case QuantBinary:
		q := &binaryQuant{dim: h.dim, words: h.CodeBytes() / 8}
		q.thresh = readSlice[float32](d, dim)
		h.codes1 = readSlice[uint64](d, n*uint64(q.words))
		if n > 0 {
			h.qb = q
		}
	}
}

// checkCodes validates the quantizer and codes read from outside, so that
// searches cannot index out of range or compute with NaN.
func (h *HNSW) checkCodes() error {
	if h.opts.Quantization == QuantNone {
		return nil
	}
	n := len(h.ids)
	if n == 0 {
		return nil
	}
	if !h.noVecs && len(h.vecs) != n*h.dim {
		return fmt.Errorf("vectors: %d values for %d slots: %w", len(h.vecs), n, ErrCorrupt)
	}
	if q := h.q8; q != nil {
		if len(q.lo) != h.dim || len(q.step) != h.dim || len(h.codes8) != n*q.stride || len(h.sq8) != n {
			return fmt.Errorf("int8 codes: wrong lengths: %w", ErrCorrupt)
		}
		if err := CheckFinite(q.lo); err != nil {
			return fmt.Errorf("int8 ranges: %v: %w", err, ErrCorrupt)
		}
		for i, s := range q.step {
			if !(s >= 0) || math.IsInf(float64(s), 0) {
				return fmt.Errorf("int8 step %d is %v: %w", i, s, ErrCorrupt)
			}
		}
		for s, v := range h.sq8 {
			if !(v >= 0) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("int8 code %d: length %v: %w", s, v, ErrCorrupt)
			}
		}
		for s := range n {
			for _, c := range h.codes8[s*q.stride+h.dim : (s+1)*q.stride] {
				if c != 0 {
					return fmt.Errorf("int8 code %d: padding set: %w", s, ErrCorrupt)
				}
			}
		}
	}
	if q := h.qb; q != nil {
		if len(q.thresh) != h.dim || len(h.codes1) != n*q.words {
			return fmt.Errorf("binary codes: wrong lengths: %w", ErrCorrupt)
		}
		if err := CheckFinite(q.thresh); err != nil {
			return fmt.Errorf("binary thresholds: %v: %w", err, ErrCorrupt)
		}
		if tail := h.dim % 64; tail != 0 {
			for s := range n {
				if h.codes1[(s+1)*q.words-1]>>tail != 0 {
					return fmt.Errorf("binary code %d: padding set: %w", s, ErrCorrupt)
				}
			}
		}
	}
	return nil
}
