package vecfile

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
	if nl < 0 {
		return errAt(r.path, int64(start), ErrHeader, "no header line \"count dim\"")
	}
	line := head[start : start+nl]
	rows, dim, ok := parseW2VHeader(line)
	if !ok {
		return errAt(r.path, int64(start), ErrHeader,
			"word2vec header must be \"count dim\" (two integers, dim ≥ 1), found %q", clip(line, 60))
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
	// The buffer bounds a word's length; a small file needs no more than itself.
	bufSize := int(min(int64(maxWord), r.size-r.dataStart+1))
	br := bufio.NewReaderSize(io.NewSectionReader(r.ra, r.dataStart, r.size-r.dataStart), bufSize)
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
		t.off = off
		for t.rows < batchRows && left > 0 {
			rowOff := off
			w, err := br.ReadSlice(' ')
			switch {
			case errors.Is(err, bufio.ErrBufferFull):
				return false, errAt(r.path, rowOff, ErrTooLarge, "row %d: no space within %d bytes (a word ends with a space)", read+1, maxWord)
			case errors.Is(err, io.EOF):
				if len(bytes.TrimLeft(w, "\n")) == 0 {
					return false, errAt(r.path, rowOff, ErrTruncated, "file ends after %d rows, the header says %d", read, r.hdr.Rows)
				}
				return false, errAt(r.path, rowOff, ErrTruncated, "file ends in the word of row %d", read+1)
			case err != nil:
				return false, fmt.Errorf("read %s: %w", r.path, err)
			}
			off += int64(len(w))
			w = bytes.TrimLeft(w[:len(w)-1], "\n")
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
			t.data = t.data[:n+rowBytes]
			if _, err := io.ReadFull(br, t.data[n:]); err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					return false, errAt(r.path, off, ErrTruncated, "row %d (%q) is cut short", read+1, clip(w, 40))
				}
				return false, fmt.Errorf("read %s: %w", r.path, err)
			}
			off += int64(rowBytes)
			if nl, _ := br.Peek(1); len(nl) == 1 && nl[0] == '\n' {
				br.Discard(1) // the C tool's newline after the row
				off++
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
