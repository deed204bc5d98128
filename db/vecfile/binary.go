package vecfile

import (
	"bytes"
	"context"
	"fmt"
	"unicode/utf8"
)

// binarySource reads word2vec binary files: the header line, then per row
// the word, a space, and dim little-endian float32s. Like gensim, it strips
// newlines from the start of a word, so files with (C tool) and without
// (gensim) a newline after each row both read.
type binarySource struct {
	dim int
}

func (r *Reader) openBinary(head []byte) error {
	start := 0
	if bytes.HasPrefix(head, utf8BOM) {
		start = len(utf8BOM)
	}
	nl := bytes.IndexByte(head[start:], '\n')
	if len(head) == 0 {
		return errAt(r.path, 0, ErrHeader, "empty file: no header line \"count dim\"")
	}
	if nl < 0 {
		return errAt(r.path, int64(start), ErrHeader, "no header line \"count dim\"")
	}
	line := head[start : start+nl]
	rows, dim, isHeader, problem := parseW2VHeader(line)
	if !isHeader {
		return errAt(r.path, int64(start), ErrHeader,
			"word2vec header must be \"count dim\" (two integers, dim ≥ 1), found %q", clip(line, 60))
	}
	if problem != "" {
		return errAt(r.path, int64(start), ErrHeader, "%s", problem)
	}
	if dim > maxDim {
		return errAt(r.path, int64(start), ErrTooLarge, "dimension %d exceeds %d", dim, maxDim)
	}
	if r.opts.Limit > 0 {
		rows = min(rows, r.opts.Limit)
	}
	r.hdr = Header{Format: Word2VecBinary, Rows: rows, Dim: dim, DType: Float32}
	r.dataStart = int64(start + nl + 1)
	r.src = &binarySource{dim: dim}
	return nil
}

func (bs *binarySource) where(r *Reader, t *task, i int) (string, int, int64) {
	return r.path, 0, t.offs[i]
}

func (bs *binarySource) rowEnd(t *task, i int) int64 {
	if i+1 < len(t.offs) {
		return t.offs[i+1]
	}
	return t.end
}

func (bs *binarySource) stage(r *Reader) stage {
	win := r.window()
	off := r.dataStart
	left := r.hdr.Rows
	rowBytes := 4 * bs.dim
	batchRows := max(1, batchBytes/rowBytes)
	read := 0
	produce := func(ctx context.Context, t *task) (more bool, err error) {
		defer t.finishWords()
		if err := ctx.Err(); err != nil {
			return false, err
		}
		defer win.guard(r.path, &err)()
		t.off = off
		for t.rows < batchRows && left > 0 {
			rowOff := off
			// The word ends at a space: look a little way first, then as
			// far as a word may go.
			b, err := win.at(off, 256)
			sp := bytes.IndexByte(b, ' ')
			if sp < 0 && err == nil && len(b) == 256 {
				b, err = win.at(off, maxWord)
				sp = bytes.IndexByte(b, ' ')
			}
			switch {
			case err != nil:
				return false, fmt.Errorf("read %s: %w", r.path, err)
			case sp < 0 && len(b) == maxWord:
				return false, errAt(r.path, rowOff, ErrTooLarge, "row %d: no space within %d bytes (a word ends with a space)", read+1, maxWord)
			case sp < 0 && len(bytes.TrimLeft(b, "\n")) == 0:
				return false, errAt(r.path, rowOff, ErrTruncated, "file ends after %d rows, the header says %d", read, r.hdr.Rows)
			case sp < 0:
				return false, errAt(r.path, rowOff, ErrTruncated, "file ends in the word of row %d", read+1)
			}
			off += int64(sp + 1)
			w := bytes.TrimLeft(b[:sp], "\n")
			if off+int64(rowBytes) > r.size {
				return false, errAt(r.path, off, ErrTruncated, "row %d (%q) needs %d bytes, the file has %d left",
					read+1, clip(w, 40), rowBytes, r.size-off)
			}
			if utf8.Valid(w) {
				t.addWord(w)
			} else if r.umode == unicodeStrict {
				if _, bad := decodeUTF8(nil, w, unicodeStrict); bad >= 0 {
					return false, errAt(r.path, rowOff+int64(bad), ErrUnicode,
						"row %d: invalid UTF-8 in the word (byte %#02x); unicode_errors = 'replace' or 'ignore' reads it", read+1, w[bad])
				}
				t.addWord(w)
			} else {
				t.scr, _ = decodeUTF8(t.scr[:0], w, r.umode)
				t.addWord(t.scr)
			}
			n := len(t.data)
			if cap(t.data)-n < rowBytes {
				grown := make([]byte, n, max(2*cap(t.data), n+rowBytes, min(batchRows, left)*rowBytes))
				copy(grown, t.data)
				t.data = grown
			}
			// w is not used past here: reading on may refill the window.
			v, err := win.at(off, rowBytes)
			if err == nil && len(v) < rowBytes {
				err = errShrunk // the size was checked above
			}
			if err != nil {
				return false, fmt.Errorf("read %s: %w", r.path, err)
			}
			t.data = append(t.data, v...)
			off += int64(rowBytes)
			if nl, _ := win.at(off, 1); len(nl) == 1 && nl[0] == '\n' {
				off++ // the C tool's newline after the row
			}
			t.offs = append(t.offs, rowOff)
			t.rows++
			read++
			left--
		}
		t.end = off
		return left > 0, nil
	}
	return stage{produce: produce, process: func(t *task) {
		t.nfin, t.ffirst = countNonFinite(t.data, Float32, bs.dim)
	}}
}
