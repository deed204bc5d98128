//go:build !nocolumnar

package columnar

import (
	"slices"
	"testing"
	"unsafe"
)

// TestPagePool hands out a freed buffer again for a request it holds (as
// it was left: arrow-go fills its page buffers whole), grows it in place
// keeping its bytes, and keeps at most poolKeep buffers, the largest.
func TestPagePool(t *testing.T) {
	var p pagePool
	a := p.Allocate(poolMin)
	if len(a) != poolMin || cap(a) < poolMin+poolMin/8 || slices.ContainsFunc(a, func(b byte) bool { return b != 0 }) {
		t.Fatalf("a new buffer: %d bytes of %d, or not zeroed", len(a), cap(a))
	}
	for i := range a {
		a[i] = 0xff
	}
	p.Free(a)
	b := p.Allocate(poolMin + 10)
	if unsafe.SliceData(b) != unsafe.SliceData(a) {
		t.Fatal("a freed buffer that holds the request was not handed out again")
	}
	b[0] = 1
	b = p.Reallocate(cap(b), b[:len(b)-1])
	if unsafe.SliceData(b) != unsafe.SliceData(a) || len(b) != cap(b) || b[0] != 1 {
		t.Fatal("Reallocate within the capacity did not grow in place, keeping the bytes")
	}
	grown := p.Reallocate(cap(b)+poolMin, b)
	if len(grown) != cap(b)+poolMin || grown[0] != 1 {
		t.Fatal("Reallocate beyond the capacity did not keep the bytes")
	}
	if small := p.Allocate(100); len(small) != 100 {
		t.Fatalf("a small buffer of %d bytes", len(small))
	}
	for i := range poolKeep + 3 {
		p.Free(make([]byte, poolMin*(i+1)))
	}
	if len(p.free) != poolKeep {
		t.Fatalf("%d buffers kept, want %d", len(p.free), poolKeep)
	}
	for _, f := range p.free {
		if cap(f) < poolMin*4 {
			t.Errorf("kept a buffer of %d bytes over larger ones", cap(f))
		}
	}
	if c := p.Allocate(poolMin * 100); cap(c) < poolMin*100 {
		t.Fatalf("a request no kept buffer holds got %d bytes", cap(c))
	}
}
