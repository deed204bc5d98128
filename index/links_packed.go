package index

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/embeddb/embeddb/internal/vec"
)

// Packed layer-0 links. A quantized index whose float32 vectors are
// dropped can no longer grow (Add needs the vectors to link new rows), so
// its graph is frozen: its layer-0 neighbour lists, 4·(2M+1) bytes a row
// and the largest part of the index once the vectors are codes, are then
// kept bit-packed instead, each link in just enough bits to name any slot
// (17 bits for 100,000 rows, 19 for 341,479), the counts in a byte each.
// A walk decodes a node's list (shifts and masks, a few nanoseconds for 32
// links) when it expands the node. The file format does not change:
// WriteTo writes the lists unpacked, and ReadHNSW packs them again.

// packedLinks holds layer 0 of a frozen graph.
type packedLinks struct {
	width uint     // bits a link
	per   int      // room for links a slot (m0)
	cnt   []uint8  // number of links of slot s
	words []uint64 // slot s's links from bit s·per·width; one spare word
	le    []byte   // words as bytes, on little-endian machines (else nil)
}

// packLinks packs links0 (n slots of m0+1 words, count first).
func packLinks(links0 []uint32, n, m0 int) *packedLinks {
	p := &packedLinks{width: uint(max(1, bits.Len32(uint32(max(n, 1)-1)))), per: m0, cnt: make([]uint8, n)}
	totalBits := uint64(n) * uint64(m0) * uint64(p.width)
	p.words = make([]uint64, totalBits/64+2)
	for s := range n {
		b := links0[s*(m0+1) : (s+1)*(m0+1)]
		p.cnt[s] = uint8(b[0])
		pos := uint64(s) * uint64(m0) * uint64(p.width)
		for _, x := range b[1 : 1+b[0]] {
			w, sh := pos>>6, pos&63
			p.words[w] |= uint64(x) << sh
			if sh+uint64(p.width) > 64 {
				p.words[w+1] |= uint64(x) >> (64 - sh)
			}
			pos += uint64(p.width)
		}
	}
	if vec.LittleEndian() {
		p.le = unsafe.Slice((*byte)(unsafe.Pointer(&p.words[0])), 8*len(p.words))
	}
	return p
}

// appendUnvisited appends to dst the links of slot s whose bits in vis
// (a visitedSet's) are clear, setting them: the layer-0 step of a walk. Each link is one
// unaligned 8-byte load at its first byte, shifted and masked (a link of
// up to 32 bits starts at most 7 bits into its byte, so 39 bits cover it;
// the spare word keeps the last load inside words).
func (p *packedLinks) appendUnvisited(dst []uint32, s uint32, vis []uint64) []uint32 {
	if p.le == nil {
		for _, x := range p.appendTo(nil, s) {
			if firstVisit(vis, x) {
				dst = append(dst, x)
			}
		}
		return dst
	}
	b := p.le
	w := uint64(p.width)
	mask := uint64(1)<<w - 1
	pos := uint64(s) * uint64(p.per) * w
	for range p.cnt[s] {
		x := uint32(binary.LittleEndian.Uint64(b[pos>>3:]) >> (pos & 7) & mask)
		pos += w
		if firstVisit(vis, x) {
			dst = append(dst, x)
		}
	}
	return dst
}

// appendTo appends the links of slot s to dst.
func (p *packedLinks) appendTo(dst []uint32, s uint32) []uint32 {
	mask := uint64(1)<<p.width - 1
	pos := uint64(s) * uint64(p.per) * uint64(p.width)
	for range p.cnt[s] {
		w, sh := pos>>6, pos&63
		x := p.words[w] >> sh
		if sh != 0 {
			x |= p.words[w+1] << (64 - sh)
		}
		dst = append(dst, uint32(x&mask))
		pos += uint64(p.width)
	}
	return dst
}

// prefetch asks the caches for the words of slot s's links: all of them
// (32 links of 19 bits span 76 bytes, often two or three lines; asking
// for the first line only left the walk waiting for the rest).
func (p *packedLinks) prefetch(s uint32) {
	pos := uint64(s) * uint64(p.per) * uint64(p.width)
	end := pos + uint64(p.per)*uint64(p.width)
	vec.PrefetchRange(p.words, int(pos>>6), int((end+63)>>6))
}

// unpack returns the links in the links0 layout, for writing.
func (p *packedLinks) unpack() []uint32 {
	n := len(p.cnt)
	out := make([]uint32, n*(p.per+1))
	var buf []uint32
	for s := range n {
		b := out[s*(p.per+1) : (s+1)*(p.per+1)]
		buf = p.appendTo(buf[:0], uint32(s))
		b[0] = uint32(len(buf))
		copy(b[1:], buf)
	}
	return out
}

// bytesOrZero is the memory of p, 0 for nil.
func (p *packedLinks) bytesOrZero() int64 {
	if p == nil {
		return 0
	}
	return int64(cap(p.cnt)) + 8*int64(cap(p.words))
}

// prefetchLinks0 asks the caches for slot s's layer-0 links.
func (h *HNSW) prefetchLinks0(s uint32) {
	if h.packed != nil {
		h.packed.prefetch(s)
		return
	}
	vec.PrefetchRow(h.links0, h.m0+1, s)
}

// freeze packs layer 0 of an index that can no longer grow, and compacts
// its int8 codes: rows dim bytes apart instead of padded to the kernels'
// multiple of 16 (the kernels read each row on into the next, where the
// query's weights are zero; the padding stays, once, at the end), without
// the squared lengths that only Euclidean distances need. The caller
// holds the write lock.
func (h *HNSW) freeze() {
	if !h.noVecs || h.packed != nil {
		return
	}
	h.packed = packLinks(h.links0, len(h.ids), h.m0)
	h.links0 = nil
	if q := h.q8; q != nil && h.cstride == q.stride {
		n := len(h.ids)
		c := make([]uint8, n*h.dim+q.stride-h.dim)
		for s := range n {
			copy(c[s*h.dim:(s+1)*h.dim], h.codes8[s*q.stride:])
		}
		h.codes8, h.cstride = c, h.dim
		if !h.l2 {
			h.sq8 = nil
		}
	}
}

// paddedCodes returns the int8 codes stride bytes apart, and their squared
// lengths, as the file keeps them.
func (h *HNSW) paddedCodes() ([]uint8, []float32) {
	q, n := h.q8, len(h.ids)
	sq := h.sq8
	if sq == nil {
		sq = make([]float32, n)
		for s := range n {
			c := make([]uint8, q.stride)
			copy(c, h.codes8[s*h.cstride:s*h.cstride+h.dim])
			sq[s] = q.squaredLength(c)
		}
	}
	if h.cstride == q.stride {
		return h.codes8, sq
	}
	c := make([]uint8, n*q.stride)
	for s := range n {
		copy(c[s*q.stride:s*q.stride+h.dim], h.codes8[s*h.cstride:])
	}
	return c, sq
}

// links0Words returns layer 0 in the links0 layout, unpacking a frozen
// graph's.
func (h *HNSW) links0Words() []uint32 {
	if h.packed != nil {
		return h.packed.unpack()
	}
	return h.links0
}
