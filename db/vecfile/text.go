package vecfile

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// textSource reads word2vec text, fastText .vec and GloVe files. The
// producer cuts the file into chunks of whole lines; workers parse chunks in
// parallel.
type textSource struct {
	glove bool
	dim   int
	line0 int // line number of the first row line
	lines int // lines seen by the producer (valid after a Read)
}

// parseW2VHeader parses a word2vec header line "count dim" as gensim does
// (two whitespace-separated integers in Python's int() syntax). isHeader
// reports that the line has that shape, whatever the numbers; problem says
// what is wrong with them ("" when count ≥ 0 and dim ≥ 1), so that a
// header such as "-5 3" or "0 0" is refused as a header rather than read as
// a row of a GloVe file. dim > maxDim is left to the caller.
func parseW2VHeader(line []byte) (rows, dim int, isHeader bool, problem string) {
	f := bytes.Fields(line)
	if len(f) != 2 {
		return 0, 0, false, ""
	}
	r, err1 := parsePyInt(f[0])
	d, err2 := parsePyInt(f[1])
	if !isRangeErr(err1) && err1 != nil || !isRangeErr(err2) && err2 != nil {
		return 0, 0, false, ""
	}
	shown := fmt.Sprintf("word2vec header %q", clip(bytes.Join(f, []byte{' '}), 60))
	switch {
	case err1 != nil:
		return 0, 0, true, shown + ": count is out of range"
	case err2 != nil:
		return 0, 0, true, shown + ": dimension is out of range"
	case r < 0:
		return 0, 0, true, fmt.Sprintf("%s: count %d is negative", shown, r)
	case d < 0:
		return 0, 0, true, fmt.Sprintf("%s: dimension %d is negative", shown, d)
	case d == 0:
		// gensim loads "0 0" as an empty set of 0-dimensional vectors, which
		// no table can hold; a header promising rows of no values is no
		// vector file either.
		return 0, 0, true, shown + ": dimension 0, but a vector needs at least one value"
	}
	return r, d, true, ""
}

// isRangeErr reports whether err is strconv's out-of-range error: the
// syntax was that of an integer.
func isRangeErr(err error) bool { return errors.Is(err, strconv.ErrRange) }

// parsePyInt parses an integer as Python's int() does (sign, digits,
// underscores between digits).
func parsePyInt(b []byte) (int, error) {
	s := string(b)
	if bytes.IndexByte(b, '_') >= 0 {
		clean := make([]byte, 0, len(b))
		for i, c := range b {
			if c == '_' {
				if i == 0 || i+1 == len(b) || !isDigit(b[i-1]) || !isDigit(b[i+1]) {
					return 0, strconv.ErrSyntax
				}
				continue
			}
			clean = append(clean, c)
		}
		s = string(clean)
	}
	return strconv.Atoi(s)
}

// openText reads the header (word2vec) or the first line (GloVe).
func (r *Reader) openText(head []byte) error {
	ts := &textSource{glove: r.hdr.Format == GloVe}
	r.src = ts
	r.hdr.DType = Float32
	start := 0
	if bytes.HasPrefix(head, utf8BOM) {
		start = len(utf8BOM)
	}
	nl := bytes.IndexByte(head[start:], '\n')
	if nl < 0 && int64(len(head)) < r.size {
		return errLine(r.path, 1, int64(start), ErrTooLarge, "first line is longer than %d bytes", headBytes)
	}
	var line []byte
	if nl < 0 {
		line = head[start:]
	} else {
		line = head[start : start+nl]
	}
	if !ts.glove {
		rows, dim, isHeader, problem := parseW2VHeader(line)
		switch {
		case len(head) == 0:
			return errLine(r.path, 1, 0, ErrHeader, "empty file: no word2vec header \"count dim\"")
		case !isHeader:
			return errLine(r.path, 1, int64(start), ErrHeader,
				"word2vec header must be \"count dim\" (two integers, dim ≥ 1), found %q", clip(line, 60))
		case problem != "":
			return errLine(r.path, 1, int64(start), ErrHeader, "%s", problem)
		}
		if dim > maxDim {
			return errLine(r.path, 1, int64(start), ErrTooLarge, "dimension %d exceeds %d", dim, maxDim)
		}
		if r.opts.Limit > 0 {
			rows = min(rows, r.opts.Limit)
		}
		r.hdr.Rows, r.hdr.Dim = rows, dim
		ts.dim, ts.line0 = dim, 2
		r.dataStart = int64(start + len(line) + 1)
		if nl < 0 {
			r.dataStart = r.size
		}
		return nil
	}
	// GloVe: no header; the first line's values give the dimension, as
	// gensim's no_header=True does (the fields after the first).
	line = trimRightSpace(line)
	if len(line) == 0 {
		if len(bytes.TrimSpace(head)) == 0 {
			return errLine(r.path, 1, int64(start), ErrHeader, "empty GloVe file")
		}
		return errLine(r.path, 1, int64(start), ErrHeader, "first line is empty; GloVe files start with a row")
	}
	sp := bytes.IndexByte(line, ' ')
	dim := 0
	if sp >= 0 {
		dim = len(bytes.FieldsFunc(line[sp+1:], isSep))
	}
	if dim == 0 {
		return errLine(r.path, 1, int64(start), ErrDimension, "first line has a word but no values")
	}
	if dim > maxDim {
		return errLine(r.path, 1, int64(start), ErrTooLarge, "dimension %d exceeds %d", dim, maxDim)
	}
	r.hdr.Rows, r.hdr.Dim = -1, dim
	ts.dim, ts.line0 = dim, 1
	r.dataStart = int64(start)
	return nil
}

func (ts *textSource) where(r *Reader, t *task, i int) (string, int, int64) {
	off := t.off
	if i > 0 {
		off = t.ends[i-1]
	}
	return r.path, t.lines[i], off
}

func (ts *textSource) rowEnd(t *task, i int) int64 { return t.ends[i] }

func (ts *textSource) stage(r *Reader) stage {
	off := r.dataStart
	line := ts.line0
	var carry []byte
	ts.lines = line - 1
	produce := func(ctx context.Context, t *task) (bool, error) {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		t.off, t.line = off-int64(len(carry)), line
		// A batch of batchBytes, or the rest of a smaller file (plus one
		// byte, so that reading hits the end), or room for a long line.
		want := int(min(int64(batchBytes), r.size-off+1)) + len(carry)
		want = max(want, 2*len(carry))
		if cap(t.buf) < want {
			t.buf = make([]byte, 0, want)
		}
		t.buf = append(t.buf[:0], carry...)
		for {
			n := min(int64(cap(t.buf)-len(t.buf)), r.size-off)
			got, err := r.ra.ReadAt(t.buf[len(t.buf):len(t.buf)+int(n)], off)
			t.buf = t.buf[:len(t.buf)+got]
			off += int64(got)
			if got < int(n) {
				if err == nil || errors.Is(err, io.EOF) {
					return false, errAt(r.path, off, ErrTruncated, "file is shorter than its size %d", r.size)
				}
				return false, fmt.Errorf("read %s: %w", r.path, err)
			}
			if off == r.size {
				carry = carry[:0]
				break
			}
			if i := bytes.LastIndexByte(t.buf, '\n'); i >= 0 {
				carry = append(carry[:0], t.buf[i+1:]...)
				t.buf = t.buf[:i+1]
				break
			}
			if len(t.buf) >= maxLine {
				return false, errLine(r.path, line, t.off, ErrTooLarge, "line is longer than %d bytes", maxLine)
			}
			t.buf = append(t.buf, make([]byte, cap(t.buf))...)[:len(t.buf)]
		}
		t.end = t.off + int64(len(t.buf))
		nl := bytes.Count(t.buf, []byte{'\n'})
		line += nl
		ts.lines = line - 1
		if len(t.buf) > 0 && t.buf[len(t.buf)-1] != '\n' {
			ts.lines++
		}
		return off < r.size, nil
	}
	return stage{produce: produce, process: func(t *task) { ts.parse(r, t) }}
}

// parse parses the lines of t.buf into rows.
func (ts *textSource) parse(r *Reader, t *task) {
	defer t.finishWords()
	buf := t.buf
	valid := utf8.Valid(buf)
	line := t.line
	for pos := 0; pos < len(buf); line++ {
		next := len(buf)
		ln := buf[pos:]
		if nl := bytes.IndexByte(ln, '\n'); nl >= 0 {
			ln = ln[:nl]
			next = pos + nl + 1
		}
		lineOff := t.off + int64(pos)
		pos = next
		ln = trimRightSpace(ln)
		if len(ln) == 0 {
			continue // gensim would fail on an empty line inside the rows
		}
		if !valid && !utf8.Valid(ln) {
			if r.umode == unicodeStrict {
				_, bad := decodeUTF8(nil, ln, unicodeStrict)
				t.err = errLine(r.path, line, lineOff+int64(bad), ErrUnicode,
					"invalid UTF-8 at byte %d of the line (byte %#02x); unicode_errors = 'replace' or 'ignore' reads it",
					bad+1, ln[bad])
				return
			}
			t.scr, _ = decodeUTF8(t.scr[:0], ln, r.umode)
			ln = t.scr
		}
		if err := ts.parseLine(r, t, ln, line, lineOff); err != nil {
			t.err = err
			return
		}
		t.ends = append(t.ends, t.off+int64(next))
		t.lines = append(t.lines, line)
		t.rows++
	}
}

// parseLine parses "word v1 … vdim" and appends the row to t. Values are
// separated by runs of spaces or tabs; the word ends at the first space,
// as in gensim (so it may hold tabs). For GloVe a line whose word itself
// holds spaces (glove.840B has some) is read by taking the last dim fields
// as the values.
func (ts *textSource) parseLine(r *Reader, t *task, ln []byte, line int, off int64) error {
	dim := ts.dim
	sp := bytes.IndexByte(ln, ' ')
	if sp < 0 {
		return errLine(r.path, line, off, ErrDimension, "found a word and no values, want %d values", dim)
	}
	if len(ln)-sp < 2*dim {
		// Too short to hold dim values: don't allocate a row for it.
		if err := ts.parseSpaced(r, t, ln, line, off); err == nil {
			return nil
		}
		return errLine(r.path, line, off, ErrDimension, "found %s, want %d%s",
			values(countFields(ln[sp+1:])), dim, ts.dimSource())
	}
	rowBytes := 4 * dim
	n := len(t.data)
	if cap(t.data)-n < rowBytes {
		grown := make([]byte, n, max(2*cap(t.data), n+rowBytes, len(t.buf)/2))
		copy(grown, t.data)
		t.data = grown
	}
	t.data = t.data[:n+rowBytes]
	row := t.data[n:]
	count := 0
	nonFinite := 0
	for p := sp + 1; ; {
		for p < len(ln) && (ln[p] == ' ' || ln[p] == '\t') {
			p++
		}
		if p == len(ln) {
			break
		}
		f, flen, ok := scanFloat32(ln[p:])
		q := p + flen
		if !ok || q < len(ln) && ln[q] != ' ' && ln[q] != '\t' {
			for q < len(ln) && ln[q] != ' ' && ln[q] != '\t' {
				q++
			}
			f, ok = parseFloat32Slow(ln[p:q])
		}
		if count == dim {
			t.data = t.data[:n]
			if err := ts.parseSpaced(r, t, ln, line, off); err == nil {
				return nil
			}
			return errLine(r.path, line, off, ErrDimension, "found %s, want %d%s",
				values(dim+countFields(ln[p:])), dim, ts.dimSource())
		}
		if !ok {
			t.data = t.data[:n]
			if err := ts.parseSpaced(r, t, ln, line, off); err == nil {
				return nil
			}
			return errLine(r.path, line, off+int64(p), ErrNumber, "value %d, %q, is not a number", count+1, clip(ln[p:q], 40))
		}
		bits := math.Float32bits(f)
		if bits&0x7f800000 == 0x7f800000 {
			nonFinite++
		}
		binary.LittleEndian.PutUint32(row[4*count:], bits)
		count++
		p = q
	}
	if count != dim {
		t.data = t.data[:n]
		return errLine(r.path, line, off, ErrDimension, "found %s, want %d%s", values(count), dim, ts.dimSource())
	}
	if nonFinite > 0 {
		if t.ffirst < 0 {
			t.ffirst = t.rows
		}
		t.nfin += int64(nonFinite)
	}
	t.addWord(ln[:sp])
	return nil
}

// parseSpaced reads a GloVe line whose word holds spaces: the last dim
// fields are the values and everything before them is the word. It fails
// for word2vec files, whose words never hold spaces.
func (ts *textSource) parseSpaced(r *Reader, t *task, ln []byte, line int, off int64) error {
	if !ts.glove {
		return ErrDimension
	}
	// Find the start of the last dim fields, from the right.
	p := len(ln)
	starts := 0
	for starts < ts.dim {
		for p > 0 && (ln[p-1] == ' ' || ln[p-1] == '\t') {
			p--
		}
		if p == 0 {
			return ErrDimension
		}
		for p > 0 && ln[p-1] != ' ' && ln[p-1] != '\t' {
			p--
		}
		starts++
	}
	word := bytes.TrimRight(ln[:p], " \t")
	if len(word) == 0 || bytes.IndexByte(word, ' ') < 0 {
		return ErrDimension // not a spaced word: the normal error applies
	}
	n := len(t.data)
	t.data = append(t.data, make([]byte, 4*ts.dim)...)
	row := t.data[n:]
	nonFinite := 0
	for i, fld := range bytes.FieldsFunc(ln[p:], isSep) {
		f, ok := parseFloat32(fld)
		if !ok {
			t.data = t.data[:n]
			return ErrNumber
		}
		if !isFinite32(f) {
			nonFinite++
		}
		binary.LittleEndian.PutUint32(row[4*i:], math.Float32bits(f))
	}
	if nonFinite > 0 {
		if t.ffirst < 0 {
			t.ffirst = t.rows
		}
		t.nfin += int64(nonFinite)
	}
	t.addWord(word)
	return nil
}

func (ts *textSource) dimSource() string {
	if ts.glove {
		return " (the number of values on the first line)"
	}
	return " (the header's dimension)"
}

// countFields counts the space- or tab-separated fields of b.
func countFields(b []byte) int {
	n := 0
	in := false
	for _, c := range b {
		sep := c == ' ' || c == '\t'
		if !sep && !in {
			n++
		}
		in = !sep
	}
	return n
}

// values says "1 value" or "n values".
func values(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

// clip shortens b for an error message.
func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
