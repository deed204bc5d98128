package vecfile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/embeddb/embeddb/internal/vec"
)

var npyMagic = []byte("\x93NUMPY")

// maxNPYHeader bounds the NPY header dictionary (NumPy itself refuses
// headers over 10000 bytes unless told otherwise).
const maxNPYHeader = headBytes - 16

// rawKind is how a matrix's elements are stored in the file.
type rawKind struct {
	size    int  // bytes per element in the file
	float64 bool // float64 in the file, delivered as float32
	swap    bool // big-endian in the file
}

// rawSource reads a dense row-major matrix at a file offset (NPY and
// safetensors), with an optional NPY words file.
type rawSource struct {
	kind     rawKind
	dim      int
	dataOff  int64 // file offset of row 0
	path     string
	words    *os.File
	wordPath string
}

// npyHeader is the parsed NPY header dictionary.
type npyHeader struct {
	descr   string
	fortran bool
	shape   []int64
}

func (r *Reader) openNPY(head []byte, fromFile bool) error {
	if len(head) < 10 || !bytes.HasPrefix(head, npyMagic) {
		return errAt(r.path, 0, ErrHeader, "not an NPY file (no \\x93NUMPY magic)")
	}
	major := head[6]
	var hlen, dataOff int64
	switch major {
	case 1:
		hlen, dataOff = int64(binary.LittleEndian.Uint16(head[8:])), 10
	case 2, 3:
		if len(head) < 12 {
			return errAt(r.path, 8, ErrTruncated, "NPY header is cut short")
		}
		hlen, dataOff = int64(binary.LittleEndian.Uint32(head[8:])), 12
	default:
		return errAt(r.path, 6, ErrHeader, "NPY version %d.%d is not supported (1.0, 2.0 and 3.0 are)", major, head[7])
	}
	if hlen > maxNPYHeader {
		return errAt(r.path, 8, ErrTooLarge, "NPY header of %d bytes exceeds %d", hlen, maxNPYHeader)
	}
	if dataOff+hlen > int64(len(head)) {
		return errAt(r.path, dataOff, ErrTruncated, "NPY header needs %d bytes, the file has %d", hlen, r.size-dataOff)
	}
	h, err := parseNPYDict(head[dataOff : dataOff+hlen])
	if err != nil {
		return errAt(r.path, dataOff, ErrHeader, "NPY header %q: %v", clip(bytes.TrimSpace(head[dataOff:dataOff+hlen]), 120), err)
	}
	dataOff += hlen
	kind, dt, err := npyKind(h.descr)
	if err != nil {
		return errAt(r.path, 10, ErrDType, "%v", err)
	}
	if len(h.shape) != 2 {
		return errAt(r.path, 10, ErrShape, "NPY array has shape %s; a 2-D matrix (rows, dim) is needed", fmtShape(h.shape))
	}
	rows, dim := h.shape[0], h.shape[1]
	if h.fortran && rows > 1 && dim > 1 {
		return errAt(r.path, 10, ErrLayout,
			"NPY array is in Fortran (column-major) order; save it with numpy.save(path, numpy.ascontiguousarray(a))")
	}
	if err := r.checkMatrix(rows, dim, kind.size, dataOff, r.size-dataOff, 10, ErrTruncated); err != nil {
		return err
	}
	if r.opts.Limit > 0 {
		rows = min(rows, int64(r.opts.Limit))
	}
	r.hdr = Header{Format: NPY, Rows: int(rows), Dim: int(dim), DType: dt}
	r.dataStart = dataOff
	src := &rawSource{kind: kind, dim: int(dim), dataOff: dataOff, path: r.path}
	r.src = src
	wp := r.opts.WordsPath
	if wp == "" && fromFile {
		wp = strings.TrimSuffix(r.path, ".npy") + ".words.txt"
	}
	return r.openWords(src, wp)
}

// openWords opens the words file of a matrix, if there is one.
func (r *Reader) openWords(src *rawSource, path string) error {
	if path == "" || path == "-" {
		return nil
	}
	f, err := openFile(path)
	if err != nil {
		return fmt.Errorf("words of %s (one per line; set words to another file, or '-' for none): %w", r.path, err)
	}
	src.words, src.wordPath = f, path
	r.closers = append(r.closers, f)
	return nil
}

// checkMatrix checks that a rows × dim matrix of size-byte elements fits in
// the avail bytes at dataOff, without overflowing; short is the error when
// it does not.
func (r *Reader) checkMatrix(rows, dim int64, size int, dataOff, avail, hdrOff int64, short error) error {
	if rows < 0 || dim < 0 {
		return errAt(r.path, hdrOff, ErrShape, "negative shape (%d, %d)", rows, dim)
	}
	if dim == 0 {
		return errAt(r.path, hdrOff, ErrShape, "matrix of shape (%d, 0) has no columns", rows)
	}
	if dim > maxDim {
		return errAt(r.path, hdrOff, ErrTooLarge, "dimension %d exceeds %d", dim, maxDim)
	}
	hi, n := bits.Mul64(uint64(rows), uint64(dim)*uint64(size))
	if hi != 0 || n > math.MaxInt64 || int64(n) > avail {
		where := "the file has"
		if short == ErrLayout {
			where = "its data_offsets hold"
		}
		return errAt(r.path, dataOff, short, "a (%d, %d) matrix needs %d·%d·%d bytes, %s %d",
			rows, dim, rows, dim, size, where, avail)
	}
	return nil
}

// npyKind maps an NPY descr to the stored kind and the delivered DType.
func npyKind(descr string) (rawKind, DType, error) {
	if len(descr) == 3 {
		big := descr[0] == '>'
		if descr[0] == '<' || big || descr[0] == '=' || descr[0] == '|' {
			switch descr[1:] {
			case "f4":
				return rawKind{size: 4, swap: big}, Float32, nil
			case "f2":
				return rawKind{size: 2, swap: big}, Float16, nil
			case "f8":
				return rawKind{size: 8, float64: true, swap: big}, Float32, nil
			}
		}
	}
	return rawKind{}, Float32, fmt.Errorf("NPY element type %q is not supported (float32 '<f4', float16 '<f2' and float64 '<f8', read as float32)", descr)
}

func fmtShape(s []int64) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.FormatInt(v, 10)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// parseNPYDict parses the Python dict literal of an NPY header:
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
func parseNPYDict(b []byte) (npyHeader, error) {
	p := &pyLit{b: b}
	var h npyHeader
	if !p.eat('{') {
		return h, errors.New("expected '{'")
	}
	seen := map[string]bool{}
	for {
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return h, err
		}
		if !p.eat(':') {
			return h, fmt.Errorf("expected ':' after %q", key)
		}
		switch key {
		case "descr":
			if h.descr, err = p.str(); err != nil {
				return h, fmt.Errorf("descr: %w (structured dtypes are not supported)", err)
			}
		case "fortran_order":
			if h.fortran, err = p.boolean(); err != nil {
				return h, err
			}
		case "shape":
			if h.shape, err = p.tuple(); err != nil {
				return h, err
			}
		default:
			return h, fmt.Errorf("unexpected key %q", key)
		}
		seen[key] = true
		if !p.eat(',') {
			if !p.eat('}') {
				return h, errors.New("expected ',' or '}'")
			}
			break
		}
	}
	if !seen["descr"] || !seen["fortran_order"] || !seen["shape"] {
		return h, errors.New("the keys must be descr, fortran_order and shape")
	}
	return h, nil
}

// pyLit scans a Python literal.
type pyLit struct {
	b []byte
	i int
}

func (p *pyLit) skip() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *pyLit) eat(c byte) bool {
	p.skip()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *pyLit) str() (string, error) {
	p.skip()
	if p.i >= len(p.b) || p.b[p.i] != '\'' && p.b[p.i] != '"' {
		return "", errors.New("expected a string")
	}
	q := p.b[p.i]
	end := bytes.IndexByte(p.b[p.i+1:], q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	s := string(p.b[p.i+1 : p.i+1+end])
	p.i += end + 2
	return s, nil
}

func (p *pyLit) boolean() (bool, error) {
	p.skip()
	rest := p.b[p.i:]
	switch {
	case bytes.HasPrefix(rest, []byte("True")):
		p.i += 4
		return true, nil
	case bytes.HasPrefix(rest, []byte("False")):
		p.i += 5
		return false, nil
	}
	return false, errors.New("fortran_order: expected True or False")
}

func (p *pyLit) tuple() ([]int64, error) {
	if !p.eat('(') {
		return nil, errors.New("shape: expected a tuple")
	}
	var out []int64
	for {
		if p.eat(')') {
			return out, nil
		}
		p.skip()
		j := p.i
		for j < len(p.b) && isDigit(p.b[j]) {
			j++
		}
		if j == p.i || j-p.i > 18 {
			return nil, errors.New("shape: expected a non-negative integer")
		}
		v, _ := strconv.ParseInt(string(p.b[p.i:j]), 10, 64)
		out = append(out, v)
		p.i = j
		if p.i < len(p.b) && p.b[p.i] == 'L' { // Python 2's long suffix
			p.i++
		}
		if len(out) > 32 {
			return nil, errors.New("shape: too many dimensions")
		}
		if !p.eat(',') {
			if !p.eat(')') {
				return nil, errors.New("shape: expected ',' or ')'")
			}
			return out, nil
		}
	}
}

func (rs *rawSource) where(r *Reader, t *task, i int) (string, int, int64) {
	if rs.words != nil {
		return rs.wordPath, t.line + i, -1
	}
	return r.path, 0, rs.rowEnd(t, i-1)
}

func (rs *rawSource) rowEnd(t *task, i int) int64 {
	return t.off + int64(i+1)*int64(rs.dim*rs.kind.size)
}

func (rs *rawSource) stage(r *Reader) stage {
	fileRow := int64(rs.dim * rs.kind.size)
	outRow := rs.dim * r.hdr.DType.Size()
	batchRows := max(1, batchBytes/int(fileRow))
	row := 0
	left := r.hdr.Rows
	var wr *bufio.Reader
	if rs.words != nil {
		wr = bufio.NewReaderSize(io.NewSectionReader(rs.words, 0, math.MaxInt64>>1), maxWord)
	}
	produce := func(ctx context.Context, t *task) (bool, error) {
		defer t.finishWords()
		if err := ctx.Err(); err != nil {
			return false, err
		}
		n := min(batchRows, left)
		t.off = rs.dataOff + int64(row)*fileRow
		t.end = t.off + int64(n)*fileRow
		t.line = row + 1
		dst := grow(&t.data, n*outRow)
		in := dst
		if rs.kind.float64 || rs.kind.swap {
			in = grow(&t.buf, n*int(fileRow))
		}
		if got, err := r.ra.ReadAt(in, t.off); got < len(in) {
			if err == nil || errors.Is(err, io.EOF) {
				return false, errAt(r.path, t.off+int64(got), ErrTruncated, "file is shorter than its size %d", r.size)
			}
			return false, fmt.Errorf("read %s: %w", r.path, err)
		}
		if wr != nil {
			for i := 0; i < n; i++ {
				if err := rs.readWord(r, t, wr, row+i); err != nil {
					return false, err
				}
			}
			if left == n && r.opts.Limit == 0 {
				if extra, _ := wr.Peek(1); len(extra) > 0 {
					return false, &FormatError{Path: rs.wordPath, Line: r.hdr.Rows + 1, Offset: -1, Err: ErrWords,
						Msg: fmt.Sprintf("words file has more lines than the matrix %s has rows (%d)", r.path, r.hdr.Rows)}
				}
			}
		}
		t.rows = n
		row += n
		left -= n
		return left > 0, nil
	}
	process := func(t *task) {
		if rs.kind.float64 || rs.kind.swap {
			convertRaw(t.data[:t.rows*outRow], t.buf, rs.kind)
		}
		t.nfin, t.ffirst = countNonFinite(t.data[:t.rows*outRow], r.hdr.DType, rs.dim)
	}
	return stage{produce: produce, process: process}
}

// readWord reads the word of row (0-based) from an NPY words file.
func (rs *rawSource) readWord(r *Reader, t *task, wr *bufio.Reader, row int) error {
	w, err := wr.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return &FormatError{Path: rs.wordPath, Line: row + 1, Offset: -1, Err: ErrTooLarge,
			Msg: fmt.Sprintf("line is longer than %d bytes", maxWord)}
	case errors.Is(err, io.EOF):
		if len(w) == 0 {
			return &FormatError{Path: rs.wordPath, Line: row + 1, Offset: -1, Err: ErrWords,
				Msg: fmt.Sprintf("words file has %d lines, the matrix %s has %d rows", row, r.path, r.hdr.Rows)}
		}
	case err != nil:
		return fmt.Errorf("read %s: %w", rs.wordPath, err)
	}
	w = bytes.TrimSuffix(bytes.TrimSuffix(w, []byte{'\n'}), []byte{'\r'})
	if utf8.Valid(w) {
		t.addWord(w)
		return nil
	}
	if r.umode == unicodeStrict {
		if _, bad := decodeUTF8(nil, w, unicodeStrict); bad >= 0 {
			return &FormatError{Path: rs.wordPath, Line: row + 1, Offset: -1, Err: ErrUnicode,
				Msg: fmt.Sprintf("invalid UTF-8 (byte %#02x at column %d); unicode_errors = 'replace' or 'ignore' reads it", w[bad], bad+1)}
		}
		t.addWord(w)
		return nil
	}
	t.scr, _ = decodeUTF8(t.scr[:0], w, r.umode)
	t.addWord(t.scr)
	return nil
}

// convertRaw turns src (elements of kind) into little-endian dst elements:
// float64 to float32, and big-endian to little-endian.
func convertRaw(dst, src []byte, k rawKind) {
	switch {
	case k.float64:
		for i := 0; i+8 <= len(src); i += 8 {
			var u uint64
			if k.swap {
				u = binary.BigEndian.Uint64(src[i:])
			} else {
				u = binary.LittleEndian.Uint64(src[i:])
			}
			binary.LittleEndian.PutUint32(dst[i/2:], math.Float32bits(float32(math.Float64frombits(u))))
		}
	case k.size == 4:
		for i := 0; i+4 <= len(src); i += 4 {
			binary.LittleEndian.PutUint32(dst[i:], binary.BigEndian.Uint32(src[i:]))
		}
	case k.size == 2:
		for i := 0; i+2 <= len(src); i += 2 {
			binary.LittleEndian.PutUint16(dst[i:], binary.BigEndian.Uint16(src[i:]))
		}
	}
}

// grow sets *b to length n, reallocating only when its capacity is short.
func grow(b *[]byte, n int) []byte {
	if cap(*b) < n {
		*b = make([]byte, n)
	}
	*b = (*b)[:n]
	return *b
}

// widen returns the float32 value of element i of a row in dt.
func widen(data []byte, dt DType, i int) float32 {
	switch dt {
	case Float16:
		return vec.Float16ToFloat32(binary.LittleEndian.Uint16(data[2*i:]))
	case BFloat16:
		return vec.BFloat16ToFloat32(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
}
