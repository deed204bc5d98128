package exec

import (
	"slices"
	"unsafe"
)

// A result of k rows would allocate once for every string and number put
// in its cells (Go boxes each value it stores in an interface). For the
// results a query returns many of, NEAREST's above all, boxEach boxes a
// column at one allocation.

// eface is the layout of an empty interface: the value's type, then a
// pointer to the value (for the types boxEach takes, which are not
// pointer-shaped). Package reflect and the runtime rely on this layout.
type eface struct {
	typ, data unsafe.Pointer
}

// boxable are the types boxEach boxes: those whose interface value points
// to a copy of the value.
type boxable interface {
	string | float32 | float64 | int64
}

// boxEach sets dst[i*stride] = src[i] for every i, as those assignments
// would, but with one allocation for them all rather than one each: the
// interfaces point into one copy of src. A boxed value can never be
// changed, so the interfaces may share the copy, which the garbage
// collector keeps while any of them is alive.
func boxEach[T boxable](dst []any, stride int, src []T) {
	if len(src) == 0 {
		return
	}
	boxIn(dst, stride, slices.Clone(src))
}

// boxIn sets dst[i*stride] = own[i] for every i as boxEach does, with the
// interfaces pointing into own itself, which must never change after.
func boxIn[T boxable](dst []any, stride int, own []T) {
	if len(own) == 0 {
		return
	}
	_ = dst[(len(own)-1)*stride] // one bounds check, before any store
	var zero any = *new(T)
	typ := (*eface)(unsafe.Pointer(&zero)).typ
	for i := range own {
		*(*eface)(unsafe.Pointer(&dst[i*stride])) = eface{typ: typ, data: unsafe.Pointer(&own[i])}
	}
}
