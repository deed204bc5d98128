package index

// visitedSet marks the slots a search has visited, one bit a slot: the
// marks of a 331,479-row graph take 41 KB and stay in the fastest caches.
// A uint16 epoch a slot (hnswlib's visited list, and this package's before)
// took 663 KB, and the check of each neighbour waited for the L2 cache:
// the bits made searches 3-6% faster by CPU on the peers' 331,479 word
// vectors, float32 and int8 alike, at ef_search 176 and 704 (the same
// graphs, old and new test binaries alternated, three rounds).
//
// Bits must be cleared before the next search. A search clears them all
// (41 KB is about a microsecond) unless the set is larger than clearWords;
// builds, which run a search per row and layer, and large sets list the
// slots they mark and clear those, so that clearing costs what was
// visited, not the table's size. Listing costs a search about what the bits
// save, so small sets do not list.
type visitedSet struct {
	bits   []uint64
	list   bool     // clear by the list of marks, else every word
	marked []uint32 // slots marked since the last reset, if list and not all
	all    bool     // unlisted marks may be set: reset clears every word
}

// clearWords is the largest set a search clears whole: 128 KiB, a
// million slots.
const clearWords = 1 << 14

// grow makes room for n slots, all unmarked when it reallocates.
func (v *visitedSet) grow(n int) {
	if w := (n + 63) / 64; len(v.bits) < w {
		v.bits = make([]uint64, w)
		v.marked, v.all = v.marked[:0], false
	}
}

// listMarks chooses how reset clears: by the list of marks (on) or every
// word.
func (v *visitedSet) listMarks(on bool) {
	if on && !v.list {
		v.all = true // marks made unlisted: the next reset clears all
	}
	v.list = on
}

// firstVisit marks slot x in bits (a visitedSet's) and reports whether it
// was unmarked: the walks' inner loops call it on the bits directly, and
// list what it admitted with noteMarked.
func firstVisit(bits []uint64, x uint32) bool {
	w, bit := x>>6, uint64(1)<<(x&63)
	if bits[w]&bit != 0 {
		return false
	}
	bits[w] |= bit
	return true
}

// has reports whether slot x is marked.
func (v *visitedSet) has(x uint32) bool { return v.bits[x>>6]&(1<<(x&63)) != 0 }

// mark marks slot x.
func (v *visitedSet) mark(x uint32) {
	if firstVisit(v.bits, x) && v.list {
		v.noteMarked([]uint32{x})
	}
}

// noteMarked lists slots that the caller marked in bits itself (the
// walk's inner loops do, to keep the check and the mark together); past an
// eighth of the words the list is dropped and reset clears them all.
func (v *visitedSet) noteMarked(xs []uint32) {
	if !v.list || v.all {
		return
	}
	if len(v.marked)+len(xs) > len(v.bits)/8 {
		v.all, v.marked = true, v.marked[:0]
		return
	}
	v.marked = append(v.marked, xs...)
}

// reset unmarks every slot.
func (v *visitedSet) reset() {
	if !v.list || v.all {
		clear(v.bits)
		v.all = false
		return
	}
	for _, x := range v.marked {
		v.bits[x>>6] = 0
	}
	v.marked = v.marked[:0]
}
