//go:build !nocolumnar

package columnar

import (
	"bytes"
	"unsafe"
)

// A file of vectors has rows of the same number of elements, none null:
// its repetition levels repeat 0, 1, 1, ... and its definition levels are
// all the maximum. Finding the rows' offsets by looking at each level took
// a twentieth of an IMPORT's CPU (a hundred million levels for a million
// rows of 100); evenRows checks that shape instead with memory compares
// against a block of the expected levels, and the offsets follow.

// evenBlock is about how many levels the expected block holds.
const evenBlock = 1 << 15

// evenLevels is the expected levels of rows of per elements: a whole
// number of rows, about evenBlock levels.
type evenLevels struct {
	per        int
	maxDef     int16
	reps, defs []byte // the levels as int16s, in memory order
}

// evenRows reports whether levels defs and reps hold rows rows of the
// same number of elements, every one of them a value (at maxDef), and if
// so fills offsets (rows+1 of them) with the rows' starts.
func (c *listColumn) evenRows(defs, reps []int16, rows int64, offsets []int32) bool {
	n := len(defs)
	if rows <= 0 || int64(n)%rows != 0 {
		return false
	}
	per := n / int(rows)
	e := c.expect(per)
	rb, db := levelBytes(reps), levelBytes(defs)
	for at := 0; at < len(rb); at += len(e.reps) {
		end := min(at+len(e.reps), len(rb))
		if !bytes.Equal(rb[at:end], e.reps[:end-at]) || !bytes.Equal(db[at:end], e.defs[:end-at]) {
			return false
		}
	}
	for i := range offsets {
		offsets[i] = int32(i * per)
	}
	return true
}

// expect returns the expected levels of rows of per elements.
func (c *listColumn) expect(per int) *evenLevels {
	if c.even != nil && c.even.per == per && c.even.maxDef == c.maxDef {
		return c.even
	}
	rows := max(evenBlock/per, 1)
	reps := make([]int16, rows*per)
	defs := make([]int16, rows*per)
	for i := range reps {
		if i%per != 0 {
			reps[i] = 1
		}
		defs[i] = c.maxDef
	}
	c.even = &evenLevels{per: per, maxDef: c.maxDef, reps: levelBytes(reps), defs: levelBytes(defs)}
	return c.even
}

// levelBytes returns the memory of levels.
func levelBytes(levels []int16) []byte {
	if len(levels) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&levels[0])), 2*len(levels))
}
