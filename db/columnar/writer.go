//go:build !nocolumnar

package columnar

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/embeddb/embeddb/internal/atomicfile"
	"github.com/embeddb/embeddb/internal/vec"
)

// Row groups (record batches) hold about this many bytes of vectors, within
// the row bounds below: small enough to stream, large enough that DuckDB and
// Spark split the work well (DuckDB's own row groups hold 122,880 rows).
//
// An Arrow IPC record batch is read whole, its body as one buffer, and
// handed on whole, so its batches are smaller: 4 MiB of vectors, at most
// 65,536 rows (pyarrow's Feather writer's default chunk); a reader holds
// two or three at once (arrow-go's file reader keeps the previous batch
// while it reads the next, and decoding overlaps the caller's work).
const (
	groupBytes      = 32 << 20
	minGroupRows    = 1024
	maxGroupRows    = 122880
	arrowBatchBytes = 4 << 20
	maxArrowRows    = 65536
)

// Writer writes a table to a columnar file. Nothing appears at the path
// until Close succeeds; Abort (or a failed Close) removes what was written.
type Writer struct {
	path   string
	dim    int
	opts   WriteOptions
	rows   int64 // rows written
	queued int64 // rows handed to flush
	group  int

	tmp       *os.File // the temporary file (Parquet, Arrow)
	tmpDir    string   // the temporary directory (Spark)
	sparkPart string   // the data file's final path in tmpDir (Spark)
	schema    *arrow.Schema
	pq        *file.Writer
	ipcw      *ipc.FileWriter
	closed    bool
	err       error

	// The rows of the group being filled.
	*pending
	// The group being written on another goroutine, and its outcome.
	inflight *pending
	done     chan error
	spare    *pending

	// Parquet's definition and repetition levels of levelRows vectors.
	defs, reps []int16
}

// pending is a group of rows held to be written together.
type pending struct {
	words  []string
	ids    []int64
	counts []int64
	vecs   []float32
	half   []byte
	cols   [][]any // the values of WriteOptions.Columns (columns_write.go)
}

// Create starts writing rows of dim elements to path.
func Create(path string, dim int, opts WriteOptions) (*Writer, error) {
	if opts.Format == FormatNone {
		opts.Format = FromPath(path)
		if opts.Format == FormatNone {
			opts.Format = Parquet
		}
	}
	if opts.Format < Parquet || opts.Format > Spark {
		return nil, fmt.Errorf("%w: format %d", ErrInvalidOption, int(opts.Format))
	}
	if dim < 1 || dim > math.MaxInt32 {
		return nil, fmt.Errorf("%w: dimension %d", ErrInvalidOption, dim)
	}
	if opts.Elem != vec.Float32 && opts.Elem != vec.Float16 {
		return nil, fmt.Errorf("%w: Arrow has no %s; write float32 or float16", ErrInvalidOption, opts.Elem)
	}
	if opts.Format == Spark && opts.Elem != vec.Float32 {
		return nil, fmt.Errorf("%w: Spark's Word2VecModel holds float32 vectors", ErrInvalidOption)
	}
	if opts.GroupRows < 0 {
		return nil, fmt.Errorf("%w: row group size %d", ErrInvalidOption, opts.GroupRows)
	}
	if _, err := parquetCodec(opts.Compression); err != nil {
		return nil, err
	}
	if err := checkFields(opts); err != nil {
		return nil, err
	}
	// The dimension always goes in the metadata: it is all that tells an
	// empty file's readers, since the Arrow schema is not trusted on read.
	md := map[string]string{MetaDim: strconv.Itoa(dim)}
	maps.Copy(md, opts.Metadata)
	opts.Metadata = md
	w := &Writer{path: path, dim: dim, opts: opts, group: opts.GroupRows, pending: &pending{}}
	if w.group == 0 {
		w.group = min(max(groupBytes/(dim*4), minGroupRows), maxGroupRows)
		if opts.Format == Arrow {
			w.group = min(max(arrowBatchBytes/(dim*4), minGroupRows), maxArrowRows)
		}
	}
	if !opts.Overwrite {
		if _, err := os.Lstat(path); err == nil {
			return nil, fmt.Errorf("%s: %w", path, fs.ErrExist)
		}
	} else if opts.Format != Spark {
		t, err := atomicfile.Target(path)
		if err != nil {
			return nil, err
		}
		w.path = t
	}
	if err := w.open(); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// parquetCodec maps a compression name to Parquet's codec.
func parquetCodec(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "", "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "lz4":
		return compress.Codecs.Lz4Raw, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("%w: compression %q (want zstd, snappy, gzip, lz4 or none)", ErrInvalidOption, name)
}

// vectorType is the Arrow type of the vector column.
func (w *Writer) vectorType() arrow.DataType {
	if w.opts.Format == Spark {
		return arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float32})
	}
	elem := arrow.DataType(arrow.PrimitiveTypes.Float32)
	if w.opts.Elem == vec.Float16 {
		elem = arrow.FixedWidthTypes.Float16
	}
	return arrow.FixedSizeListOfField(int32(w.dim), arrow.Field{Name: "element", Type: elem})
}

// open builds the schema and starts the file (or Spark's directory).
func (w *Writer) open() error {
	fields := []arrow.Field{{Name: "word", Type: arrow.BinaryTypes.String}}
	if w.opts.Format != Spark {
		fields = append(fields, arrow.Field{Name: "id", Type: arrow.PrimitiveTypes.Int64},
			arrow.Field{Name: "count", Type: arrow.PrimitiveTypes.Int64})
		fields = append(fields, arrowFields(w.opts.Columns)...)
	}
	fields = append(fields, arrow.Field{Name: "vector", Type: w.vectorType()})
	var md *arrow.Metadata
	if w.opts.Format == Arrow && len(w.opts.Metadata) > 0 {
		m := arrow.MetadataFrom(w.opts.Metadata)
		md = &m
	}
	w.schema = arrow.NewSchema(fields, md)

	dataPath := w.path
	if w.opts.Format == Spark {
		dir, file, err := w.startSpark()
		if err != nil {
			return err
		}
		w.tmpDir, dataPath = dir, file
	}
	f, err := atomicfile.CreateTemp(dataPath, "tmp")
	if err != nil {
		return err
	}
	w.tmp = f
	if w.opts.Format == Arrow {
		opts := []ipc.Option{ipc.WithSchema(w.schema)}
		switch strings.ToLower(w.opts.Compression) {
		case "zstd":
			opts = append(opts, ipc.WithZstd())
		case "lz4":
			opts = append(opts, ipc.WithLZ4())
		case "", "none", "uncompressed":
		default:
			return fmt.Errorf("%w: Arrow IPC compresses with zstd or lz4, not %s", ErrInvalidOption, w.opts.Compression)
		}
		w.ipcw, err = ipc.NewFileWriter(f, opts...)
		return err
	}
	// The Parquet writer closes a sink that has a Close method; Finish
	// closes f.
	return w.openParquet(struct{ io.Writer }{f})
}

// Rows returns the number of rows written so far.
func (w *Writer) Rows() int64 { return w.rows }

// Format returns the format being written.
func (w *Writer) Format() Format { return w.opts.Format }

// Write adds rows: words[i], ids[i], counts[i] (ids and counts may be nil:
// row numbers and zeros) and the vector vecs[i*dim:(i+1)*dim]. The rows are
// copied; a full group is written on another goroutine while later rows
// arrive, and an error writing it is returned by a later Write or Close.
func (w *Writer) Write(words []string, ids, counts []int64, vecs []float32) error {
	return w.WriteColumns(words, ids, counts, vecs, nil)
}

// WriteColumns is Write with the values of WriteOptions.Columns:
// cols[j][i] is column j of row i (cols nil: every column NULL).
func (w *Writer) WriteColumns(words []string, ids, counts []int64, vecs []float32, cols [][]any) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return fmt.Errorf("%w: write after close", ErrInvalidOption)
	}
	if len(vecs) != len(words)*w.dim || (ids != nil && len(ids) != len(words)) || (counts != nil && len(counts) != len(words)) {
		return fmt.Errorf("%w: %d words, %d ids, %d counts, %d elements of dimension %d", ErrInvalidOption,
			len(words), len(ids), len(counts), len(vecs), w.dim)
	}
	if err := w.checkColumns(len(words), cols); err != nil {
		return err
	}
	cols = slices.Clone(cols) // appendColumns moves along the caller's columns
	if cap(w.vecs) == 0 && w.group*w.dim <= groupBytes/4 {
		// A group's exact size (for the default sizes): append's growth
		// would hold up to a quarter more, twice over.
		w.words, w.ids, w.counts = make([]string, 0, w.group), make([]int64, 0, w.group), make([]int64, 0, w.group)
		w.vecs = make([]float32, 0, w.group*w.dim)
	}
	for len(words) > 0 {
		n := min(len(words), w.group-len(w.words))
		w.words = append(w.words, words[:n]...)
		for i := range n {
			id, c := w.queued+int64(len(w.words)-n+i), int64(0)
			if ids != nil {
				id = ids[i]
			}
			if counts != nil {
				c = counts[i]
			}
			w.ids, w.counts = append(w.ids, id), append(w.counts, c)
		}
		w.vecs = append(w.vecs, vecs[:n*w.dim]...)
		cols = w.appendColumns(cols, n)
		words, vecs = words[n:], vecs[n*w.dim:]
		if ids != nil {
			ids = ids[n:]
		}
		if counts != nil {
			counts = counts[n:]
		}
		if len(w.words) == w.group {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush hands the rows held to another goroutine, which writes them as
// one row group (record batch) while the caller fills the next: encoding
// and compressing a group then overlaps reading the next from the table.
// At most two groups are held.
func (w *Writer) flush() error {
	n := len(w.words)
	if n == 0 {
		return nil
	}
	if w.opts.Elem == vec.Float16 {
		if err := w.toHalf(); err != nil {
			w.err = err
			return err
		}
	}
	if err := w.wait(); err != nil {
		return err
	}
	p := w.pending
	w.pending, w.spare = w.spare, nil
	if w.pending == nil {
		w.pending = &pending{}
	}
	w.queued += int64(n)
	w.inflight, w.done = p, make(chan error, 1)
	go func() { w.done <- w.writePending(p) }()
	return nil
}

// writePending writes p's rows, recovering a panic of the Arrow library.
func (w *Writer) writePending(p *pending) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	if w.pq != nil {
		return w.writeGroup(p)
	}
	rec := w.record(p)
	defer rec.Release()
	return w.ipcw.Write(rec)
}

// wait waits for the group being written, if any.
func (w *Writer) wait() error {
	if w.inflight == nil {
		return w.err
	}
	err := <-w.done
	p := w.inflight
	w.inflight, w.done = nil, nil
	if err != nil {
		if w.err == nil {
			w.err = fmt.Errorf("write %s: %w", w.path, err)
		}
		return w.err
	}
	w.rows += int64(len(p.words))
	p.words, p.ids, p.counts, p.vecs = p.words[:0], p.ids[:0], p.counts[:0], p.vecs[:0]
	for j := range p.cols {
		clear(p.cols[j])
		p.cols[j] = p.cols[j][:0]
	}
	w.spare = p
	return w.err
}

// toHalf converts the vectors held to float16 in w.half.
func (w *Writer) toHalf() error {
	if cap(w.half) < 2*len(w.vecs) {
		w.half = make([]byte, 2*len(w.vecs))
	}
	w.half = w.half[:2*len(w.vecs)]
	if i := toHalf(w.half, w.vecs); i >= 0 {
		return &RowError{Path: w.path, Row: w.queued + int64(i/w.dim), Column: "vector", Err: ErrRange,
			Msg: fmt.Sprintf("element %d, %g, is beyond float16's range (±65504); export with type = 'float32'", i%w.dim, w.vecs[i])}
	}
	return nil
}

// record makes an Arrow record of p's rows, sharing their memory.
func (w *Writer) record(p *pending) arrow.RecordBatch {
	n := len(p.words)
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	defer sb.Release()
	sb.AppendValues(p.words, nil)
	wordArr := sb.NewArray()
	defer wordArr.Release()
	cols := []arrow.Array{wordArr, int64Array(p.ids), int64Array(p.counts)}
	cols = append(cols, columnArrays(w.opts.Columns, p.cols)...)
	var values arrow.ArrayData
	if w.opts.Elem == vec.Float16 {
		values = array.NewData(arrow.FixedWidthTypes.Float16, len(p.vecs),
			[]*memory.Buffer{nil, memory.NewBufferBytes(p.half)}, nil, 0, 0)
	} else {
		values = array.NewData(arrow.PrimitiveTypes.Float32, len(p.vecs),
			[]*memory.Buffer{nil, memory.NewBufferBytes(bytesOf(p.vecs))}, nil, 0, 0)
	}
	defer values.Release()
	list := array.NewData(w.vectorType(), n, []*memory.Buffer{nil}, []arrow.ArrayData{values}, 0, 0)
	defer list.Release()
	listArr := array.MakeFromData(list)
	defer listArr.Release()
	cols = append(cols, listArr)
	rec := array.NewRecordBatch(w.schema, cols, int64(n))
	for _, c := range cols[1 : len(cols)-1] {
		c.Release()
	}
	return rec
}

func int64Array(v []int64) arrow.Array {
	d := array.NewData(arrow.PrimitiveTypes.Int64, len(v), []*memory.Buffer{nil, memory.NewBufferBytes(bytesOf(v))}, nil, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// bytesOf views a slice of fixed-size numbers as its bytes (little-endian
// on the platforms Go's Arrow supports), without copying.
func bytesOf[T float32 | float64 | uint16 | int32 | int64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// toHalf converts src to little-endian float16 in dst, rounding to
// nearest even as the table's own float16 storage does, and returns the
// index of the first finite value float16 cannot hold, or -1.
func toHalf(dst []byte, src []float32) int {
	for i, f := range src {
		// 65520 and beyond round to infinity.
		if (f >= 65520 || f <= -65520) && !math.IsInf(float64(f), 0) {
			return i
		}
	}
	vec.Float16.Encode(dst, src)
	return -1
}

// Close writes what is held, finishes the file and puts it at the path.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	if err := w.flush(); err != nil {
		w.Abort()
		return err
	}
	if err := w.wait(); err != nil {
		w.Abort()
		return err
	}
	var err error
	if w.pq != nil {
		err = w.pq.Close()
	} else {
		err = w.ipcw.Close()
	}
	w.pq, w.ipcw = nil, nil
	if err == nil {
		err = w.place()
	}
	if err != nil {
		w.Abort()
		w.err = err
		return err
	}
	w.closed = true
	return nil
}

// place puts the finished temporary file (or directory) at the path.
func (w *Writer) place() error {
	f := w.tmp
	if err := atomicfile.Finish(f, 0o644); err != nil {
		return err
	}
	w.tmp = nil
	if w.opts.Format == Spark {
		return w.finishSpark(f.Name())
	}
	if w.opts.Overwrite {
		return atomicfile.Replace(f.Name(), w.path)
	}
	return atomicfile.PlaceNew(f.Name(), w.path)
}

// Abort removes what was written. It does nothing after a successful Close.
func (w *Writer) Abort() error {
	if w.closed && w.err == nil {
		return nil
	}
	w.closed = true
	w.wait() // the group being written, before the file goes
	if w.pq != nil {
		w.pq.Close()
	}
	if w.ipcw != nil {
		w.ipcw.Close()
	}
	var errs []error
	if w.tmp != nil {
		w.tmp.Close()
		if err := os.Remove(w.tmp.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		w.tmp = nil
	}
	if w.tmpDir != "" {
		errs = append(errs, os.RemoveAll(w.tmpDir))
		w.tmpDir = ""
	}
	return errors.Join(errs...)
}
