package tokenize

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// mergeRule is one merge: its rank (lower merges first) and the merged id.
type mergeRule struct {
	rank int32
	id   int32
}

func pairKey(left, right int32) uint64 {
	return uint64(uint32(left))<<32 | uint64(uint32(right))
}

// mergeTable maps pairKey(left, right) to its merge: an open-addressing
// hash table, at most half full, with keys and values side by side, so that
// a lookup usually touches one cache line. Looking up merges is most of the
// time of encoding text the cache has not seen (Chinese, for one).
type mergeTable struct {
	shift   uint // 64 - log2(len(entries))
	entries []mergeEntry
}

type mergeEntry struct {
	key  uint64
	rule mergeRule
}

// emptyKey marks a free slot; no pair has it, since ids are < maxTokenID.
const emptyKey = ^uint64(0)

func newMergeTable(n int) mergeTable {
	bits := uint(4)
	for 1<<bits < 2*n {
		bits++
	}
	t := mergeTable{shift: 64 - bits, entries: make([]mergeEntry, 1<<bits)}
	for i := range t.entries {
		t.entries[i].key = emptyKey
	}
	return t
}

func (t *mergeTable) slot(k uint64) int {
	return int((k * 0x9E3779B97F4A7C15) >> t.shift)
}

// put sets k's rule, replacing an earlier one.
func (t *mergeTable) put(k uint64, r mergeRule) {
	mask := len(t.entries) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.key == k || e.key == emptyKey {
			*e = mergeEntry{k, r}
			return
		}
	}
}

func (t *mergeTable) get(k uint64) (mergeRule, bool) {
	mask := len(t.entries) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.key == k {
			return e.rule, true
		}
		if e.key == emptyKey {
			return mergeRule{}, false
		}
	}
}

// Bounds of the per-word merge cache. Pieces of Qwen's Chinese text can be
// long, and a long piece is rarely seen twice.
const (
	cacheMaxEntries = 1 << 16
	cacheMaxKey     = 256
)

// wordCache maps a pre-tokenized piece to its ids. When full it is emptied,
// which keeps it bounded and lets it follow the text.
type wordCache struct {
	mu sync.RWMutex
	m  map[string][]int32
}

func (c *wordCache) get(k string) ([]int32, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *wordCache) put(k string, v []int32) {
	c.mu.Lock()
	if len(c.m) >= cacheMaxEntries {
		clear(c.m)
	}
	c.m[strings.Clone(k)] = v // k points into the caller's text
	c.mu.Unlock()
}

// symbol is one symbol of a word being merged, in a linked list over the
// symbols slice. size 0 marks a symbol merged into its left neighbour.
type symbol struct {
	id         int32
	prev, next int32
	size       int32
}

// mergeCand is a candidate merge of symbols[pos] (id left) with its right
// neighbour (id right) into id. It is stale when either symbol has changed
// since: the pair's ids no longer match. (Hugging Face instead looks the
// current pair up again and compares the merged id; the two tests agree,
// since a symbol only grows, and a grown pair spells a longer token.)
type mergeCand struct {
	order           uint64 // rank<<32 | pos: the heap's order
	id, left, right int32
}

func newCand(rank, pos, id, left, right int32) mergeCand {
	return mergeCand{uint64(uint32(rank))<<32 | uint64(uint32(pos)), id, left, right}
}

func (c mergeCand) pos() int32 { return int32(uint32(c.order)) }

func (a mergeCand) less(b mergeCand) bool { return a.order < b.order }

// mergeScratch holds the buffers of one encode call.
type mergeScratch struct {
	syms   []symbol
	heap   []mergeCand
	buf    []byte
	spans1 []span
	spans2 []span
}

func (b *BPE) getScratch() *mergeScratch {
	if sc, ok := b.scratch.Get().(*mergeScratch); ok {
		return sc
	}
	return new(mergeScratch)
}

// word returns the ids of one pre-tokenized piece (raw bytes, before the
// byte-level mapping). The result may be shared: do not modify it.
func (b *BPE) word(sc *mergeScratch, piece string) []int32 {
	if ids, ok := b.cache.get(piece); ok {
		return ids
	}
	ids := b.mergeWord(sc, piece)
	if len(piece) < cacheMaxKey {
		b.cache.put(piece, ids)
	}
	return ids
}

// mergeWord is Hugging Face's BPE::merge_word and Word::merge_all: start
// from one symbol per byte and apply merges, lowest rank first and leftmost
// first among equals, until none applies.
func (b *BPE) mergeWord(sc *mergeScratch, piece string) []int32 {
	if b.wordPiece != nil {
		return b.wordPieceWord(sc, piece)
	}
	if b.ignoreMerges {
		if !b.byteLevel {
			if id, ok := b.vocab.get(piece); ok {
				return []int32{id}
			}
		} else {
			sc.buf = sc.buf[:0]
			for i := 0; i < len(piece); i++ {
				sc.buf = append(sc.buf, byteCharStr[piece[i]]...)
			}
			if id, ok := b.vocab.getBytes(sc.buf); ok {
				return []int32{id}
			}
		}
	}
	syms := sc.syms[:0]
	add := func(id int32) {
		n := int32(len(syms))
		if n > 0 {
			syms[n-1].next = n
		}
		syms = append(syms, symbol{id: id, prev: n - 1, next: -1, size: 1})
	}
	unk, unkPending := int32(-1), false
	for i := 0; i < len(piece); {
		// One symbol: a byte's byte-level character, or a character.
		sym, n := byteCharStr[piece[i]], 1
		id := b.byteID[piece[i]]
		if !b.byteLevel {
			var r rune
			r, n = utf8.DecodeRuneInString(piece[i:])
			sym = piece[i : i+n]
			if r < 0x10000 {
				id = b.charID(r)
			} else {
				var ok bool
				if id, ok = b.vocab.get(sym); !ok {
					id = -1
				}
			}
		}
		i += n
		if id >= 0 {
			if unkPending {
				add(unk)
				unkPending = false
			}
			add(id)
			continue
		}
		if b.byteFallback {
			// Hugging Face looks up the UTF-8 bytes of the symbol, and does
			// not flush a pending unk first.
			ok := true
			for k := 0; k < len(sym); k++ {
				ok = ok && b.fallbackID[sym[k]] >= 0
			}
			if ok {
				for k := 0; k < len(sym); k++ {
					add(b.fallbackID[sym[k]])
				}
				continue
			}
		}
		if b.unkID >= 0 {
			if unkPending && !b.fuseUnk {
				add(unk)
			}
			unk, unkPending = b.unkID, true
		}
	}
	if unkPending {
		add(unk)
	}

	h := sc.heap[:0]
	for i := 0; i+1 < len(syms); i++ {
		if m, ok := b.merges.get(pairKey(syms[i].id, syms[i+1].id)); ok {
			h = heapPush(h, newCand(m.rank, int32(i), m.id, syms[i].id, syms[i+1].id))
		}
	}
	for len(h) > 0 {
		var top mergeCand
		top, h = heapPop(h)
		pos := top.pos()
		cur := &syms[pos]
		if cur.size == 0 || cur.next < 0 {
			continue
		}
		nextPos := cur.next
		right := syms[nextPos]
		if cur.id != top.left || right.id != top.right {
			continue // stale: a symbol has changed
		}
		cur.id = top.id
		cur.size += right.size
		cur.next = right.next
		syms[nextPos].size = 0
		if right.next >= 0 {
			syms[right.next].prev = pos
		}
		if cur.prev >= 0 {
			p := syms[cur.prev]
			if m, ok := b.merges.get(pairKey(p.id, cur.id)); ok {
				h = heapPush(h, newCand(m.rank, cur.prev, m.id, p.id, cur.id))
			}
		}
		if cur.next >= 0 {
			if m, ok := b.merges.get(pairKey(cur.id, syms[cur.next].id)); ok {
				h = heapPush(h, newCand(m.rank, pos, m.id, cur.id, syms[cur.next].id))
			}
		}
	}
	ids := make([]int32, 0, len(syms))
	for _, s := range syms {
		if s.size != 0 {
			ids = append(ids, s.id)
		}
	}
	sc.syms, sc.heap = syms, h
	return ids
}

func heapPush(h []mergeCand, c mergeCand) []mergeCand {
	h = append(h, c)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	return h
}

func heapPop(h []mergeCand) (mergeCand, []mergeCand) {
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h[r].less(h[l]) {
			m = r
		}
		if !h[m].less(h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	return top, h
}

// charID returns the id of the token that is character r (< U+10000), or
// -1.
func (b *BPE) charID(r rune) int32 {
	b.charIDsOnce.Do(func() {
		ids := make([]int32, 0x10000)
		for i := range ids {
			ids[i] = -1
		}
		b.vocab.all(func(tok string, id int32) {
			if r, n := utf8.DecodeRuneInString(tok); n == len(tok) && r < 0x10000 && (r != utf8.RuneError || n == 3) {
				ids[r] = id
			}
		})
		b.charIDs = ids
	})
	return b.charIDs[r]
}
