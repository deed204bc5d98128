package store

import (
	"encoding/binary"
	"math/bits"
)

// colSlot decodes the value of one slot of an encoded column chunk (the
// layout is in colchunk.go) without decoding the others: a reader that
// visits few rows of a chunk (the rows a scalar index lists) reads a
// number at its offset and skips the texts before it, where decoding the
// whole chunk would make a value of each of its slots. past is true when
// the chunk ends before slot (the slot holds the column's Fill); ok is
// false when the chunk is malformed as far as it was read.
func colSlot(t ColType, b []byte, maxRows, slot int) (v any, past, ok bool) {
	if len(b) == 0 {
		return nil, true, true
	}
	flags := b[0]
	n64, k := binary.Uvarint(b[1:])
	if k <= 0 || n64 > uint64(maxRows) || flags&^colHasNulls != 0 {
		return nil, false, false
	}
	n := int(n64)
	if slot < 0 || slot >= n {
		return nil, true, true
	}
	b = b[1+k:]
	before := slot // values stored before the slot's
	if flags&colHasNulls != 0 {
		size := (n + 7) / 8
		if len(b) < size {
			return nil, false, false
		}
		bm := b[:size]
		b = b[size:]
		if bm[slot/8]&(1<<(slot%8)) != 0 {
			return nil, false, true
		}
		nulls := 0
		for _, x := range bm[:slot/8] {
			nulls += bits.OnesCount8(x)
		}
		nulls += bits.OnesCount8(bm[slot/8] & (1<<(slot%8) - 1))
		before -= nulls
	}
	switch t {
	case ColInteger, ColReal, ColBoolean:
		w := 8
		if t == ColBoolean {
			w = 1
		}
		if len(b) < (before+1)*w {
			return nil, false, false
		}
		v, _, ok := readColValue(t, b[before*w:])
		return v, false, ok
	}
	for range before {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, false, false
		}
		b = b[k+int(l):]
	}
	v, _, ok = readColValue(t, b)
	return v, false, ok
}
