package store

import (
	"encoding/binary"
	"math"
)

// A column chunk holds the values of one user column for Column.Rows
// consecutive row ids, stored apart from the vector chunks (keyspace
// KsCol, key column id (u32 BE) ++ chunk (u32 BE)), so that changing a
// column rewrites a few hundred bytes and never a vector chunk:
//
//	byte      flags: bit 0 set when a NULL bitmap follows
//	uvarint   n, the number of slots (rows up to the last one written)
//	[bitmap]  ceil(n/8) bytes, bit i set when slot i is NULL
//	values    of the non-NULL slots, in order:
//	          INTEGER int64 LE, REAL float64 LE, BOOLEAN one byte,
//	          TEXT and JSON uvarint length ++ bytes
//
// A slot past n, or in a chunk never written, holds the column's Fill (the
// default it had when it was added). A deleted row's slot is NULL.

const colHasNulls = 1

// encodeColChunk encodes the values of a chunk; trailing NULLs are kept
// only up to the last slot, since Fill may not be NULL.
func encodeColChunk(t ColType, vals []any) []byte {
	n := len(vals)
	nulls := false
	for _, v := range vals {
		nulls = nulls || v == nil
	}
	b := make([]byte, 0, 16+n*8)
	flags := byte(0)
	if nulls {
		flags = colHasNulls
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(n))
	if nulls {
		bm := make([]byte, (n+7)/8)
		for i, v := range vals {
			if v == nil {
				bm[i/8] |= 1 << (i % 8)
			}
		}
		b = append(b, bm...)
	}
	for _, v := range vals {
		if v != nil {
			b = appendColValue(b, t, v)
		}
	}
	return b
}

func appendColValue(b []byte, t ColType, v any) []byte {
	switch t {
	case ColInteger:
		n, _ := v.(int64)
		return binary.LittleEndian.AppendUint64(b, uint64(n))
	case ColReal:
		f, _ := v.(float64)
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	case ColBoolean:
		if x, _ := v.(bool); x {
			return append(b, 1)
		}
		return append(b, 0)
	}
	s, _ := v.(string)
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeColChunk decodes a chunk's slots; ok is false if it is malformed.
func decodeColChunk(t ColType, b []byte, maxRows int) ([]any, bool) {
	if len(b) == 0 {
		return nil, true
	}
	flags := b[0]
	n64, k := binary.Uvarint(b[1:])
	if k <= 0 || n64 > uint64(maxRows) || flags&^colHasNulls != 0 {
		return nil, false
	}
	n := int(n64)
	b = b[1+k:]
	var bm []byte
	if flags&colHasNulls != 0 {
		if len(b) < (n+7)/8 {
			return nil, false
		}
		bm, b = b[:(n+7)/8], b[(n+7)/8:]
		if n%8 != 0 && bm[len(bm)-1]>>(n%8) != 0 {
			return nil, false // bits past the last slot
		}
	}
	out := make([]any, n)
	for i := range out {
		if bm != nil && bm[i/8]&(1<<(i%8)) != 0 {
			continue
		}
		var ok bool
		if out[i], b, ok = readColValue(t, b); !ok {
			return nil, false
		}
	}
	return out, len(b) == 0
}

func readColValue(t ColType, b []byte) (any, []byte, bool) {
	switch t {
	case ColInteger, ColReal:
		if len(b) < 8 {
			return nil, nil, false
		}
		u := binary.LittleEndian.Uint64(b)
		if t == ColReal {
			f := math.Float64frombits(u)
			return f, b[8:], !math.IsNaN(f) && !math.IsInf(f, 0) // never stored
		}
		return int64(u), b[8:], true
	case ColBoolean:
		if len(b) < 1 || b[0] > 1 {
			return nil, nil, false
		}
		return b[0] == 1, b[1:], true
	}
	l, k := binary.Uvarint(b)
	if k <= 0 || l > uint64(len(b)-k) {
		return nil, nil, false
	}
	return string(b[k : k+int(l)]), b[k+int(l):], true
}

// colKey is the key of a column chunk within KsCol.
func colKey(col, chunk uint32) []byte {
	var b [8]byte
	binary.BigEndian.PutUint32(b[:], col)
	binary.BigEndian.PutUint32(b[4:], chunk)
	return b[:]
}
