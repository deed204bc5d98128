package vecfile

import (
	"fmt"
	"io"
	"runtime/debug"
)

// windowBlock is how many bytes a window reads at a time when the file is
// not mapped.
var windowBlock = 1 << 20

// errShrunk is a window's error when the file has fewer bytes than it had
// when it was opened.
var errShrunk = fmt.Errorf("%w: the file became shorter while it was read", ErrTruncated)

// A window serves a parser the bytes of a file in order: from a memory map
// of the whole file when there is one (the parser copies each vector out of
// the page cache once, where read(2) copied it into a buffer first: IMPORT
// of a 1M x 100 word2vec binary file, 0.78 -> 0.73 s), or else through a
// buffer refilled with ReadAt.
type window struct {
	ra     io.ReaderAt
	size   int64
	buf    []byte // the file's bytes [bufOff, bufOff+len(buf))
	bufOff int64
	mapped bool // buf is a map of the whole file
}

// window returns a window on the file's bytes, mapped if the file came
// from Open and the system can map it.
func (r *Reader) window() *window {
	if r.mapping == nil && r.file != nil {
		if m, unmap := mapFile(r.file, r.size); m != nil {
			r.mapping = m
			r.closers = append(r.closers, unmap)
		}
	}
	if r.mapping != nil {
		return &window{ra: r.ra, size: r.size, buf: r.mapping, mapped: true}
	}
	return &window{ra: r.ra, size: r.size}
}

// at returns the file's bytes [off, off+n), or fewer where the file ends
// first. They stay valid until the next call.
func (w *window) at(off int64, n int) ([]byte, error) {
	end := min(off+int64(n), w.size)
	if off >= end {
		return nil, nil
	}
	if off >= w.bufOff && end <= w.bufOff+int64(len(w.buf)) {
		return w.buf[off-w.bufOff : end-w.bufOff], nil // always, for a map of the whole file
	}
	size := int(min(int64(max(windowBlock, n)), w.size-off))
	if cap(w.buf) < size {
		w.buf = make([]byte, max(windowBlock, n))
	}
	w.buf = w.buf[:size]
	got, err := w.ra.ReadAt(w.buf, off)
	w.buf, w.bufOff = w.buf[:got], off
	if got < size {
		if err == nil || err == io.EOF {
			err = errShrunk
		}
		return nil, err
	}
	return w.buf[:end-off], nil
}

// guard makes a fault on a mapped window (the file was cut short while
// mapped, SIGBUS) an error rather than a crash, for the function that
// defers it: defer w.guard(path, &err)(). Without a map it does nothing.
func (w *window) guard(path string, err *error) func() {
	if !w.mapped {
		return func() {}
	}
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if p := recover(); p != nil {
			if _, fault := p.(interface{ Addr() uintptr }); !fault {
				panic(p)
			}
			*err = fmt.Errorf("read %s: %w", path, errShrunk)
		}
	}
}
