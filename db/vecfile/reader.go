package vecfile

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/embeddb/embeddb/internal/osfile"
)

// Limits that keep a hostile or broken file from making a reader allocate
// what the file does not hold.
const (
	maxDim    = 1 << 24   // elements in a row
	maxLine   = 256 << 20 // bytes in a text line
	maxWord   = 1 << 20   // bytes in a word2vec binary word or an NPY words-file line
	headBytes = 1 << 20   // bytes read to detect a format or find a text header
)

// batchBytes is the target size of a batch's input; tests lower it to cross
// many batch boundaries with small files.
var batchBytes = 4 << 20

// Batch is a run of consecutive rows handed to the callback of
// [Reader.Read].
type Batch struct {
	// Start is the index of the batch's first row among the rows delivered
	// so far (rows left out as duplicates do not count).
	Start int
	// Words holds the rows' words, or is nil for a matrix without words
	// (safetensors, or NPY without a words file). The strings stay valid
	// after the callback returns.
	Words []string
	// Data holds the rows, Header.Dim elements of Header.DType each,
	// little-endian, row after row. Its memory is reused once the callback
	// returns: copy what must be kept.
	Data []byte
}

// Reader reads the rows of one vector file. Open or NewReader read the
// header; Read delivers the rows. A Reader is not safe for concurrent use.
type Reader struct {
	path    string
	ra      io.ReaderAt
	size    int64
	closers []io.Closer
	opts    ReadOptions
	umode   unicodeMode
	hdr     Header
	src     source
	stats   Stats
	// dataStart is the file offset of the first row.
	dataStart int64
	file      *os.File // the file, if Open opened it
	mapping   []byte   // a map of it, once a window made one
}

// source is one format's reading logic.
type source interface {
	// stage returns a fresh producer (and processor) for one Read.
	stage(r *Reader) stage
	// where locates row i of t for an error message.
	where(r *Reader, t *task, i int) (path string, line int, off int64)
	// rowEnd is the file offset just past row i of t.
	rowEnd(t *task, i int) int64
}

// Open opens the vector file at path and reads its header, detecting the
// format when opts.Format is FormatAuto. path may also be a directory that
// holds model.safetensors.index.json or model.safetensors. The caller must
// Close the Reader.
func Open(path string, opts ReadOptions) (*Reader, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		p, err := checkpointInDir(path)
		if err != nil {
			return nil, err
		}
		path = p
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	fi, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := newReader(f, fi.Size(), path, opts, true)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closers = append(r.closers, f)
	r.file = f
	return r, nil
}

// NewReader reads the header of a vector file held in r, of the given size;
// name is used in error messages and to guess the format. It reads an NPY
// words file only when opts.WordsPath names one, and it cannot follow a
// sharded safetensors index (use [Open]). Close releases the words file;
// r itself is not closed.
func NewReader(r io.ReaderAt, size int64, name string, opts ReadOptions) (*Reader, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("%w: negative size %d", ErrInvalidOption, size)
	}
	return newReader(r, size, name, opts, false)
}

func newReader(ra io.ReaderAt, size int64, path string, opts ReadOptions, fromFile bool) (*Reader, error) {
	umode, _ := parseUnicodeErrors(opts.UnicodeErrors)
	r := &Reader{path: path, ra: ra, size: size, opts: opts, umode: umode}
	format := opts.Format
	if opts.Binary && (format == FormatAuto || format == Word2VecText) {
		format = Word2VecBinary
	}
	head, err := readHead(ra, size, path)
	if err != nil {
		return nil, err
	}
	if format == FormatAuto {
		format, err = detectHead(head, size, path)
		if err != nil {
			return nil, err
		}
	}
	r.hdr.Format = format
	switch format {
	case Word2VecText, GloVe:
		err = r.openText(head)
	case Word2VecBinary:
		err = r.openBinary(head)
	case NPY:
		err = r.openNPY(head, fromFile)
	case Safetensors:
		err = r.openSafetensors(head, fromFile)
	default:
		err = fmt.Errorf("%w: format %s", ErrInvalidOption, format)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Header returns the header read by Open or NewReader.
func (r *Reader) Header() Header { return r.hdr }

// Stats returns what the last call of Read delivered.
func (r *Reader) Stats() Stats { return r.stats }

// Close releases the file (and the words file). It is safe to call twice.
func (r *Reader) Close() error {
	var err error
	for _, c := range r.closers {
		if cerr := c.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	r.closers = nil
	r.file, r.mapping = nil, nil // unmapped above
	return err
}

// Read delivers the file's rows to fn in file order, in batches, and stops
// at the first error, which it returns (fn's own errors unchanged). Text
// files are parsed by opts.Workers goroutines while fn runs; fn is always
// called on the calling goroutine. Read checks ctx between batches. Read may
// be called again to read the file from the start.
func (r *Reader) Read(ctx context.Context, fn func(b *Batch) error) error {
	r.stats = Stats{FirstNonFinite: -1}
	rowBytes := r.hdr.Dim * r.hdr.DType.Size()
	want := int64(r.hdr.Rows) // rows of the file to read, or -1 for all
	if want < 0 && r.opts.Limit > 0 {
		want = int64(r.opts.Limit)
	}
	var (
		fileRows int64            // rows of the file consumed, duplicates included
		seen     map[string]int64 // word → where it was first seen
		lastEnd  = r.dataStart    // file offset just past the last row consumed
		batch    Batch
		done     = want == 0
	)
	consume := func(t *task) (bool, error) {
		n := t.rows
		if want >= 0 && int64(n) >= want-fileRows {
			n = int(want - fileRows)
			done = true
		}
		if !done && t.err != nil {
			return true, t.err
		}
		words := t.words
		data := t.data[:n*rowBytes]
		recount := n < t.rows
		if words != nil {
			words = words[:n]
		}
		if words != nil && r.opts.Duplicates != DuplicatesUnchecked {
			var dropped bool
			var err error
			if words, data, dropped, err = r.dropDuplicates(t, &seen, words, data); err != nil {
				return true, err
			}
			recount = recount || dropped
		}
		fileRows += int64(n)
		if recount {
			nf, first := countNonFinite(data, r.hdr.DType, r.hdr.Dim)
			r.addNonFinite(nf, first)
		} else {
			r.addNonFinite(t.nfin, t.ffirst)
		}
		if n > 0 {
			lastEnd = r.src.rowEnd(t, n-1)
		}
		if kept := len(data) / max(rowBytes, 1); kept > 0 {
			batch = Batch{Start: int(r.stats.Rows), Words: words, Data: data}
			if err := fn(&batch); err != nil {
				return true, err
			}
			r.stats.Rows += int64(kept)
		}
		if r.opts.Progress != nil {
			r.opts.Progress(lastEnd, r.size)
		}
		return done, nil
	}
	if !done {
		if err := runPipeline(ctx, r.opts.workers(), r.src.stage(r), consume); err != nil {
			return err
		}
	}
	if !done && want >= 0 && r.hdr.Rows >= 0 {
		return r.shortError(fileRows)
	}
	if done {
		r.stats.Unread = r.size - lastEnd
	}
	if r.opts.Progress != nil {
		r.opts.Progress(r.size, r.size)
	}
	return nil
}

// dropDuplicates takes out of a task's rows (words, with their data) the
// words seen before, in this task or an earlier one (seen, made on first
// use), or fails on the first as Options.Duplicates says. dropped reports
// whether a row went.
func (r *Reader) dropDuplicates(t *task, seen *map[string]int64, words []string, data []byte) (_ []string, _ []byte, dropped bool, _ error) {
	rowBytes := r.hdr.Dim * r.hdr.DType.Size()
	if *seen == nil {
		// Sized for the whole file when its header says, so the map
		// does not grow (and rehash) row by row; but never beyond
		// the rows the file can hold (every format spends at least
		// two bytes on a value), whatever the header claims.
		fits := (r.size - r.dataStart) / int64(2*max(r.hdr.Dim, 1))
		*seen = make(map[string]int64, min(max(r.hdr.Rows, 0), int(fits), 1<<22))
	}
	k := 0
	for i, w := range words {
		_, line, off := r.src.where(r, t, i)
		loc := off
		if line > 0 {
			loc = int64(line)
		}
		if first, dup := (*seen)[w]; dup {
			if r.opts.Duplicates == DuplicatesError {
				return nil, nil, false, r.dupError(t, i, w, first)
			}
			r.stats.Duplicates++
			dropped = true
			continue
		}
		(*seen)[w] = loc
		if k != i {
			words[k] = w
			copy(data[k*rowBytes:(k+1)*rowBytes], data[i*rowBytes:(i+1)*rowBytes])
		}
		k++
	}
	return words[:k], data[:k*rowBytes], dropped, nil
}

func (r *Reader) addNonFinite(n int64, first int) {
	if n == 0 {
		return
	}
	if r.stats.NonFinite == 0 && first >= 0 {
		r.stats.FirstNonFinite = r.stats.Rows + int64(first)
	}
	r.stats.NonFinite += n
}

// dupError reports the second occurrence of w, at row i of t; first is
// where the first was: a line number, or a byte offset for binary files.
func (r *Reader) dupError(t *task, i int, w string, first int64) error {
	path, line, off := r.src.where(r, t, i)
	firstAt := fmt.Sprintf("first on line %d", first)
	if line == 0 {
		firstAt = fmt.Sprintf("first at byte %d", first)
	}
	return &FormatError{Path: path, Line: line, Offset: off, Err: ErrDuplicate,
		Msg: fmt.Sprintf("duplicate word %q (%s); duplicates = 'skip' keeps the first", w, firstAt)}
}

// shortError reports a file that ends before the rows its header promises.
func (r *Reader) shortError(got int64) error {
	line := 0
	if ts, ok := r.src.(*textSource); ok {
		line = ts.lines + 1
	}
	return &FormatError{Path: r.path, Line: line, Offset: r.size, Err: ErrTruncated,
		Msg: fmt.Sprintf("file ends after %d rows, the header says %d", got, r.hdr.Rows)}
}

// countNonFinite counts the NaN and ±Inf elements of data and returns the
// index of the first row that has one, or -1.
func countNonFinite(data []byte, dt DType, dim int) (n int64, firstRow int) {
	firstRow = -1
	first := -1
	switch dt {
	case Float32:
		// Two elements at a time: an element is NaN or ±Inf when its
		// exponent bits are all set, which carries into its sign bit when
		// 1 is added at the bottom of the exponent. Lanes cannot carry
		// into each other.
		var flags uint64
		for i := 0; i+8 <= len(data); i += 8 {
			x := binary.LittleEndian.Uint64(data[i:])
			flags |= (x&0x7f8000007f800000 + 0x0080000000800000) & 0x8000000080000000
		}
		if flags == 0 && len(data)%8 == 0 {
			return 0, -1
		}
		for i := 0; i+4 <= len(data); i += 4 {
			if binary.LittleEndian.Uint32(data[i:])&0x7f800000 == 0x7f800000 {
				if first < 0 {
					first = i / 4
				}
				n++
			}
		}
	case Float16, BFloat16:
		mask := uint16(0x7c00)
		if dt == BFloat16 {
			mask = 0x7f80
		}
		// Four elements at a time, as for float32 above.
		m4 := uint64(mask) * 0x0001000100010001
		one := (uint64(mask) & -uint64(mask)) * 0x0001000100010001
		var flags uint64
		for i := 0; i+8 <= len(data); i += 8 {
			x := binary.LittleEndian.Uint64(data[i:])
			flags |= (x&m4 + one) & 0x8000800080008000
		}
		if flags == 0 && len(data)%8 == 0 {
			return 0, -1
		}
		for i := 0; i+2 <= len(data); i += 2 {
			if binary.LittleEndian.Uint16(data[i:])&mask == mask {
				if first < 0 {
					first = i / 2
				}
				n++
			}
		}
	}
	if first >= 0 && dim > 0 {
		firstRow = first / dim
	}
	return n, firstRow
}

// readHead reads the first headBytes of the file (or all of it).
func readHead(ra io.ReaderAt, size int64, path string) ([]byte, error) {
	n := min(size, headBytes)
	head := make([]byte, n)
	got, err := ra.ReadAt(head, 0)
	if got < len(head) {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, errAt(path, int64(got), ErrTruncated, "file is shorter than its size %d", size)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return head, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// fastTextMagic starts fastText's model files (FASTTEXT_FILEFORMAT_MAGIC_INT32).
const fastTextMagic = 793712314

// Detect reads the start of the file at path and returns its format; see
// the package documentation for the rules. A directory holding a sharded or
// single safetensors checkpoint is Safetensors.
func Detect(path string) (Format, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return FormatAuto, err
	}
	if fi.IsDir() {
		if _, err := checkpointInDir(path); err != nil {
			return FormatAuto, err
		}
		return Safetensors, nil
	}
	f, err := openFile(path)
	if err != nil {
		return FormatAuto, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return FormatAuto, err
	}
	head, err := readHead(f, fi.Size(), path)
	if err != nil {
		return FormatAuto, err
	}
	return detectHead(head, fi.Size(), path)
}

// openFile opens a file this package reads: a vector file, a shard or a
// words file. It refuses, without blocking, anything but a regular file: a
// named pipe with no writer would block the open for ever, and none of them
// can be read at byte offsets, or read again from the start, as every
// reader here does.
func openFile(path string) (*os.File, error) {
	f, err := osfile.OpenRegular(path)
	return f, osfile.WithReason(err, "vector and words files are read at byte offsets, and more than once, so they must be regular files")
}

// detectHead tells the format from the file's first bytes and its name.
// boltMagic opens the meta on the first page of a bbolt file, after the
// 16-byte page header: an embeddb database given to IMPORT by mistake.
const boltMagic = 0xED0CDAED

func detectHead(head []byte, size int64, path string) (Format, error) {
	name := strings.ToLower(filepath.Base(path))
	if bytes.HasPrefix(head, npyMagic) {
		return NPY, nil
	}
	if len(head) >= 9 {
		n := binary.LittleEndian.Uint64(head)
		if n >= 2 && n <= uint64(size-8) && head[8] == '{' {
			return Safetensors, nil
		}
	}
	if len(head) >= 20 && binary.LittleEndian.Uint32(head[16:]) == boltMagic {
		return FormatAuto, &FormatError{Path: path, Offset: -1, Err: ErrUnknownFormat,
			Msg: "this is a database file (embeddb's, or another bbolt file), not a vector file; open it with embeddb, or EXPORT its tables from there"}
	}
	if len(head) >= 4 && binary.LittleEndian.Uint32(head) == fastTextMagic {
		return FormatAuto, &FormatError{Path: path, Offset: 0, Err: ErrUnknownFormat,
			Msg: "a fastText model (.bin) is not a vector file; import its .vec file, or run fasttext print-word-vectors"}
	}
	text := bytes.TrimPrefix(head, utf8BOM)
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' && strings.HasSuffix(name, ".json") {
		return Safetensors, nil
	}
	if len(bytes.TrimSpace(text)) == 0 && int64(len(head)) == size {
		msg := "the file is empty (0 bytes)"
		if size > 0 {
			msg = fmt.Sprintf("the file holds only blank lines (%d bytes)", size)
		}
		return FormatAuto, &FormatError{Path: path, Offset: -1, Err: ErrUnknownFormat, Msg: msg}
	}
	line, rest, _ := bytes.Cut(text, []byte{'\n'})
	if rows, dim, isHeader, problem := parseW2VHeader(line); isHeader {
		// A first line of two integers is a header, even one without a
		// line break or with numbers no header may have: reading it as a
		// GloVe row would import the header as data.
		if problem != "" {
			return FormatAuto, errLine(path, 1, int64(len(head)-len(text)), ErrHeader,
				"%s; if this is a GloVe file whose first word is a number, give format = 'glove'", problem)
		}
		if rows == 0 || len(rest) == 0 {
			if strings.HasSuffix(name, ".bin") {
				return Word2VecBinary, nil
			}
			return Word2VecText, nil
		}
		next, _, _ := bytes.Cut(rest, []byte{'\n'})
		if looksLikeTextRow(next, dim) {
			return Word2VecText, nil
		}
		if strings.HasSuffix(name, ".bin") || hasBinaryBytes(rest[:min(len(rest), 4*dim+64)]) {
			return Word2VecBinary, nil
		}
		return Word2VecText, nil
	}
	if len(bytes.TrimSpace(line)) > 0 && looksLikeTextRow(line, -1) {
		return GloVe, nil
	}
	switch {
	case strings.HasSuffix(name, ".npy"):
		return NPY, nil
	case strings.HasSuffix(name, ".safetensors"):
		return Safetensors, nil
	}
	return FormatAuto, &FormatError{Path: path, Offset: 0, Err: ErrUnknownFormat,
		Msg: "cannot tell the format (not word2vec, GloVe, NPY or safetensors); give it with format = '…'"}
}

// looksLikeTextRow reports whether line is "word v1 … vdim" (any number of
// values ≥ 1 when dim < 0).
func looksLikeTextRow(line []byte, dim int) bool {
	line = trimRightSpace(line)
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return false
	}
	n := 0
	for _, f := range bytes.FieldsFunc(line[sp+1:], isSep) {
		if _, ok := parseFloat32(f); !ok {
			return false
		}
		n++
	}
	return n > 0 && (dim < 0 || n == dim)
}

// hasBinaryBytes reports whether b has control bytes other than tab, CR and
// LF, or is not UTF-8 apart from a sequence cut at its end.
func hasBinaryBytes(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return true
		}
	}
	_, bad := decodeUTF8(nil, b, unicodeStrict)
	return bad >= 0 && bad < len(b)-4
}

func isSep(r rune) bool { return r == ' ' || r == '\t' }

// trimRightSpace drops trailing ASCII whitespace, as Python's bytes.rstrip().
func trimRightSpace(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return b
}

// checkpointInDir finds the safetensors checkpoint in a directory.
func checkpointInDir(dir string) (string, error) {
	for _, name := range []string{"model.safetensors.index.json", "model.safetensors"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("open %s: a directory, and it holds neither model.safetensors.index.json nor model.safetensors", dir)
}

// isFinite32 reports whether f is neither NaN nor infinite.
func isFinite32(f float32) bool {
	return math.Float32bits(f)&0x7f800000 != 0x7f800000
}
