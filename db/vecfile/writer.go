package vecfile

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/embeddb/embeddb/internal/atomicfile"
	"github.com/embeddb/embeddb/internal/vec"
)

// Writer writes a vector file. It writes to a temporary file beside the
// destination and renames it into place on Close, so a failed or aborted
// export leaves nothing half-written. A Writer is not safe for concurrent
// use.
type Writer struct {
	path    string
	format  Format
	opts    WriteOptions
	rows    int
	dim     int
	written int

	f  *os.File
	bw *bufio.Writer

	wordsPath string
	wf        *os.File
	wbw       *bufio.Writer
	hasWords  int // 0: not known yet, 1: rows come with words, 2: without

	scratch []byte
	parts   [][]byte
	err     error // sticky: a failed Write poisons the Writer
	closed  bool
}

// Create starts writing a file of rows × dim vectors at path. The format
// comes from opts (or the path's extension when opts.Format is
// FormatAuto). The file appears at path only when Close succeeds.
func Create(path string, rows, dim int, opts WriteOptions) (*Writer, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if rows < 0 || dim < 1 || dim > maxDim {
		return nil, fmt.Errorf("%w: %d rows of dimension %d (want rows ≥ 0, 1 ≤ dim ≤ %d)", ErrInvalidOption, rows, dim, maxDim)
	}
	format := opts.Format
	if format == FormatAuto {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".bin":
			format = Word2VecBinary
		case ".npy":
			format = NPY
		case ".safetensors":
			format = Safetensors
		default:
			format = Word2VecText
		}
	}
	if opts.Binary && format == Word2VecText {
		format = Word2VecBinary
	}
	if format == NPY && opts.DType == BFloat16 {
		return nil, fmt.Errorf("%w: NumPy has no bfloat16; write float32 or float16", ErrInvalidOption)
	}
	w := &Writer{path: path, format: format, opts: opts, rows: rows, dim: dim}
	switch format {
	case NPY:
		w.wordsPath = opts.WordsPath
		if w.wordsPath == "" {
			w.wordsPath = strings.TrimSuffix(path, ".npy") + ".words.txt"
		}
	case Safetensors:
		w.wordsPath = opts.WordsPath
	}
	if err := w.resolvePaths(); err != nil {
		return nil, err
	}
	f, err := createTemp(w.path)
	if err != nil {
		return nil, err
	}
	w.f = f
	w.bw = bufio.NewWriterSize(f, 1<<20)
	if err := w.writeHeader(); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// resolvePaths refuses destinations that exist unless the options allow
// overwriting them; when they do, a destination that is a symlink is
// replaced where it points, so the link stays a link.
func (w *Writer) resolvePaths() error {
	for _, p := range []*string{&w.path, &w.wordsPath} {
		if *p == "" {
			continue
		}
		if !w.opts.Overwrite {
			if _, err := os.Lstat(*p); err == nil {
				return fmt.Errorf("%s: %w", *p, fs.ErrExist)
			}
			continue
		}
		t, err := atomicfile.Target(*p)
		if err != nil {
			return err
		}
		*p = t
	}
	return nil
}

// Paths returns the files Close will write: the vectors, and the words
// file when there is one (symlinks resolved when overwriting).
func (w *Writer) Paths() []string {
	if w.wordsPath == "" {
		return []string{w.path}
	}
	return []string{w.path, w.wordsPath}
}

// createTemp creates a temporary file beside path.
func createTemp(path string) (*os.File, error) {
	f, err := atomicfile.CreateTemp(path, "tmp")
	if err != nil {
		return nil, err // "create PATH: ..."
	}
	return f, nil
}

// Format returns the format being written.
func (w *Writer) Format() Format { return w.format }

func (w *Writer) writeHeader() error {
	var err error
	switch w.format {
	case Word2VecText, Word2VecBinary:
		_, err = fmt.Fprintf(w.bw, "%d %d\n", w.rows, w.dim)
	case NPY:
		_, err = w.bw.Write(npyHeaderBytes(w.opts.DType, w.rows, w.dim))
	case Safetensors:
		var b []byte
		b, err = safetensorsHeaderBytes(w.tensorName(), w.opts.DType, w.rows, w.dim)
		if err == nil {
			_, err = w.bw.Write(b)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", w.path, err)
	}
	return nil
}

func (w *Writer) tensorName() string {
	if w.opts.Tensor != "" {
		return w.opts.Tensor
	}
	return "embeddings"
}

// npyHeaderBytes returns the NPY header for a rows × dim matrix, padded so
// the data starts at a multiple of 64 bytes, as numpy.save does.
func npyHeaderBytes(dt DType, rows, dim int) []byte {
	descr := "<f4"
	if dt == Float16 {
		descr = "<f2"
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, rows, dim)
	major, pre := byte(1), 10
	if len(dict)+1+pre > 65535 {
		major, pre = 2, 12
	}
	total := (pre + len(dict) + 1 + 63) / 64 * 64
	hlen := total - pre
	b := make([]byte, 0, total)
	b = append(b, npyMagic...)
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(hlen))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(hlen))
	}
	b = append(b, dict...)
	for len(b) < total-1 {
		b = append(b, ' ')
	}
	return append(b, '\n')
}

// safetensorsHeaderBytes returns the length prefix and JSON header of a file
// holding one rows × dim tensor, padded with spaces to a multiple of 8 bytes
// as the safetensors library does.
func safetensorsHeaderBytes(name string, dt DType, rows, dim int) ([]byte, error) {
	code := map[DType]string{Float32: "F32", Float16: "F16", BFloat16: "BF16"}[dt]
	n := int64(rows) * int64(dim) * int64(dt.Size())
	hdr := map[string]any{
		"__metadata__": map[string]string{"format": "pt"},
		name:           stTensor{DType: code, Shape: []int64{int64(rows), int64(dim)}, DataOffsets: []int64{0, n}},
	}
	js, err := json.Marshal(hdr)
	if err != nil {
		return nil, err
	}
	for len(js)%8 != 0 {
		js = append(js, ' ')
	}
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
	return append(b, js...), nil
}

// checkWords checks that words can be written in w's format.
func (w *Writer) checkWords(words []string) error {
	for i, word := range words {
		bad := ""
		switch {
		case !utf8.ValidString(word):
			bad = "is not valid UTF-8"
		case strings.ContainsRune(word, '\n'):
			bad = "contains a line break"
		case w.format == NPY || w.format == Safetensors:
			if strings.HasSuffix(word, "\r") {
				bad = "ends with a carriage return"
			}
		case strings.ContainsRune(word, ' '):
			bad = "contains a space"
		case w.format == GloVe && w.written+i == 0 && strings.HasPrefix(word, "\uFEFF"):
			bad = "starts with U+FEFF, which a reader takes for a byte order mark"
		}
		if bad != "" {
			return fmt.Errorf("%w: row %d: word %q %s (%s)", ErrInvalidWord, w.written+i+1, word, bad, w.format)
		}
	}
	return nil
}

// Write appends len(vecs)/dim rows. words gives their words; it may be nil
// for NPY and safetensors files, whose words are optional (then no words
// file is written), but must be nil or not nil on every call.
func (w *Writer) Write(words []string, vecs []float32) error {
	if err := w.begin(words, len(vecs)); err != nil {
		return err
	}
	n := len(vecs) / w.dim
	switch w.format {
	case Word2VecText, GloVe:
		w.err = w.writeText(words, n, func(r, j int) float32 { return vecs[r*w.dim+j] })
	default:
		w.err = w.writeRows(words, n, func(dst []byte, r int) {
			putRow(dst, w.fileDType(), vecs[r*w.dim:(r+1)*w.dim])
		})
	}
	return w.finish(n)
}

// WriteRaw is Write for rows given as little-endian elements of
// opts.DType, row after row, as [Batch.Data] holds them. NPY and
// safetensors files of that DType get the bytes unchanged; other files get
// them converted.
func (w *Writer) WriteRaw(words []string, data []byte) error {
	size := w.opts.DType.Size()
	if len(data)%size != 0 {
		return fmt.Errorf("%w: %d bytes of %s data", ErrInvalidOption, len(data), w.opts.DType)
	}
	if err := w.begin(words, len(data)/size); err != nil {
		return err
	}
	n := len(data) / size / w.dim
	rowBytes := w.dim * size
	switch w.format {
	case Word2VecText, GloVe:
		w.err = w.writeText(words, n, func(r, j int) float32 { return widen(data[r*rowBytes:], w.opts.DType, j) })
	default:
		w.err = w.writeRows(words, n, func(dst []byte, r int) {
			src := data[r*rowBytes : (r+1)*rowBytes]
			if w.fileDType() == w.opts.DType {
				copy(dst, src)
				return
			}
			for j := 0; j < w.dim; j++ {
				putElem(dst, w.fileDType(), j, widen(src, w.opts.DType, j))
			}
		})
	}
	return w.finish(n)
}

// begin checks a Write call with elems elements.
func (w *Writer) begin(words []string, elems int) error {
	if w.closed {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if elems%w.dim != 0 {
		return fmt.Errorf("%w: %d values are not whole rows of dimension %d", ErrInvalidOption, elems, w.dim)
	}
	n := elems / w.dim
	if words == nil && (w.format == NPY || w.format == Safetensors) {
		if w.hasWords == 1 {
			return fmt.Errorf("%w: rows without words after rows with words", ErrInvalidOption)
		}
		w.hasWords = 2
	} else {
		if len(words) != n {
			return fmt.Errorf("%w: %d words for %d rows", ErrInvalidOption, len(words), n)
		}
		if w.hasWords == 2 {
			return fmt.Errorf("%w: rows with words after rows without", ErrInvalidOption)
		}
		w.hasWords = 1
	}
	if w.written+n > w.rows {
		return fmt.Errorf("%w: %d rows would exceed the %d the file was created for", ErrRowCount, w.written+n, w.rows)
	}
	if err := w.checkWords(words); err != nil {
		return err
	}
	return nil
}

func (w *Writer) finish(n int) error {
	if w.err != nil {
		return w.err
	}
	w.written += n
	return nil
}

// fileDType is the element type stored in the file.
func (w *Writer) fileDType() DType {
	if w.format == NPY || w.format == Safetensors {
		return w.opts.DType
	}
	return Float32
}

// writeText formats rows as "word v1 … vdim\n" (GloVe and word2vec text),
// spreading the formatting over GOMAXPROCS goroutines for large calls.
func (w *Writer) writeText(words []string, n int, at func(r, j int) float32) error {
	parts := 1
	if n*w.dim >= 1<<16 {
		parts = min(runtime.GOMAXPROCS(0), n)
	}
	for len(w.parts) < parts {
		w.parts = append(w.parts, nil)
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := w.parts[p][:0]
			for r := lo; r < hi; r++ {
				b = append(b, words[r]...)
				for j := 0; j < w.dim; j++ {
					b = append(b, ' ')
					b = strconv.AppendFloat(b, float64(at(r, j)), 'g', -1, 32)
				}
				b = append(b, '\n')
			}
			w.parts[p] = b
		}()
	}
	wg.Wait()
	for _, b := range w.parts[:parts] {
		if _, err := w.bw.Write(b); err != nil {
			return fmt.Errorf("write %s: %w", w.path, err)
		}
	}
	return nil
}

// writeRows writes binary rows (word2vec binary, NPY, safetensors), with the
// words in the file (word2vec) or in the words file (NPY, safetensors).
func (w *Writer) writeRows(words []string, n int, fill func(dst []byte, r int)) error {
	rowBytes := w.dim * w.fileDType().Size()
	row := grow(&w.scratch, rowBytes)
	for r := 0; r < n; r++ {
		if w.format == Word2VecBinary {
			w.bw.WriteString(words[r])
			w.bw.WriteByte(' ')
		}
		fill(row, r)
		w.bw.Write(row)
		if w.format == Word2VecBinary {
			w.bw.WriteByte('\n') // as the C tool does; gensim writes none, and reads both
		}
	}
	if w.format == NPY || w.format == Safetensors {
		if words != nil && w.wordsPath != "" {
			if err := w.writeWords(words); err != nil {
				return err
			}
		}
	}
	// bufio.Writer keeps the first error; report it now rather than at Close.
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", w.path, err)
	}
	return nil
}

// writeWords appends words to the words file, one per line.
func (w *Writer) writeWords(words []string) error {
	if w.wf == nil {
		f, err := createTemp(w.wordsPath)
		if err != nil {
			return err
		}
		w.wf = f
		w.wbw = bufio.NewWriterSize(f, 1<<16)
	}
	for _, word := range words {
		w.wbw.WriteString(word)
		w.wbw.WriteByte('\n')
	}
	if err := w.wbw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", w.wordsPath, err)
	}
	return nil
}

// putRow stores a float32 row as little-endian elements of dt.
func putRow(dst []byte, dt DType, row []float32) {
	for j, f := range row {
		putElem(dst, dt, j, f)
	}
}

func putElem(dst []byte, dt DType, j int, f float32) {
	switch dt {
	case Float16:
		binary.LittleEndian.PutUint16(dst[2*j:], vec.Float32ToFloat16(f))
	case BFloat16:
		binary.LittleEndian.PutUint16(dst[2*j:], vec.Float32ToBFloat16(f))
	default:
		binary.LittleEndian.PutUint32(dst[4*j:], math.Float32bits(f))
	}
}

// Close finishes the file and renames it (and the NPY words file) into
// place. It fails with [ErrRowCount], leaving nothing behind, when fewer rows
// were written than the file was created for. Close after Close or Abort
// returns nil.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	if w.written != w.rows {
		w.Abort()
		return fmt.Errorf("%w: wrote %d rows, the file was created for %d", ErrRowCount, w.written, w.rows)
	}
	if w.format == NPY && w.hasWords != 2 && w.wf == nil && w.rows == 0 {
		// An empty matrix still gets its (empty) words file.
		if err := w.writeWords(nil); err != nil {
			w.Abort()
			return err
		}
	}
	if err := w.commit(w.wf, w.wbw, w.wordsPath); err != nil {
		w.Abort()
		return err
	}
	w.wf = nil
	if err := w.commit(w.f, w.bw, w.path); err != nil {
		w.Abort()
		return err
	}
	w.f = nil
	w.closed = true
	return nil
}

// commit flushes, syncs and closes a temporary file and renames it to path.
func (w *Writer) commit(f *os.File, bw *bufio.Writer, path string) error {
	if f == nil {
		return nil
	}
	err := bw.Flush()
	if ferr := atomicfile.Finish(f, 0o644); err == nil {
		err = ferr
	}
	if err == nil && w.opts.Overwrite {
		err = atomicfile.Replace(f.Name(), path)
	} else if err == nil {
		err = atomicfile.PlaceNew(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Abort stops writing and removes the temporary files; nothing appears at
// the destination. Abort after Close or Abort does nothing.
func (w *Writer) Abort() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var errs []error
	for _, f := range []*os.File{w.f, w.wf} {
		if f == nil {
			continue
		}
		f.Close()
		if err := os.Remove(f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	w.f, w.wf = nil, nil
	return errors.Join(errs...)
}
