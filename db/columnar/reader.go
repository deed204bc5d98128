//go:build !nocolumnar

package columnar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"

	"github.com/embeddb/embeddb/internal/vec"
)

// defaultVector and defaultKey are the column names tried, in order.
var (
	defaultVector = []string{"vector", "embedding", "embeddings", "vec", "emb"}
	defaultKey    = []string{"word", "key", "token", "term", "text"}
)

// Reader reads a table from a columnar file. It is not safe for concurrent
// use.
type Reader struct {
	path  string
	opts  ReadOptions
	hdr   Header
	parts []string // Spark's data files still to open
	src   recSource
	cols  columns
	first arrow.RecordBatch // a record read to learn the dimension
	done  int64
	// dimMeta says the dimension of list vectors came from the file's
	// metadata, not its first row (parallel.go).
	dimMeta bool
}

// recSource yields the records of one file.
type recSource interface {
	schema() *arrow.Schema
	// next returns the next record, valid until the following call, or
	// io.EOF.
	next() (arrow.RecordBatch, error)
	rows() int64 // -1 if unknown
	metadata() map[string]string
	close() error
}

// Open opens the table at path: a Parquet or Arrow IPC file, or a Spark
// Word2VecModel directory.
func Open(path string, opts ReadOptions) (*Reader, error) {
	if opts.Limit < 0 {
		return nil, fmt.Errorf("%w: limit %d", ErrInvalidOption, opts.Limit)
	}
	format := opts.Format
	if format == FormatNone {
		format = FromPath(path)
	}
	r := &Reader{path: path, opts: opts}
	if format == Spark {
		m, parts, err := openSpark(path)
		if err != nil {
			return nil, err
		}
		r.hdr.Spark, r.parts = m.ParamMap, parts
		src, err := openFile(parts[0], Parquet)
		if err != nil {
			return nil, err
		}
		r.parts = parts[1:]
		return r.start(src, format)
	}
	src, err := openFile(path, format)
	if err != nil {
		return nil, err
	}
	return r.start(src, format)
}

// NewReader reads a Parquet or Arrow IPC file held in ra; name is used in
// error messages. ra is not closed by Close.
func NewReader(ra parquet.ReaderAtSeeker, name string, opts ReadOptions) (*Reader, error) {
	if opts.Limit < 0 {
		return nil, fmt.Errorf("%w: limit %d", ErrInvalidOption, opts.Limit)
	}
	format := opts.Format
	if format == FormatNone || format == Spark {
		format = sniff(ra)
	}
	src, err := newSource(ra, nil, name, format)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: name, opts: opts}
	return r.start(src, format)
}

// openFile opens one Parquet or Arrow file.
func openFile(path string, format Format) (recSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%w: %s is not a regular file", ErrFormat, path)
		}
		return nil, err
	}
	if format == FormatNone {
		format = sniff(f)
	}
	src, err := newSource(f, f, path, format)
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}

// sniff tells Parquet from Arrow by the first bytes.
func sniff(ra io.ReaderAt) Format {
	head := make([]byte, 8)
	n, _ := ra.ReadAt(head, 0)
	switch {
	case bytes.HasPrefix(head[:n], []byte("PAR1")):
		return Parquet
	case bytes.HasPrefix(head[:n], []byte("ARROW1")), bytes.HasPrefix(head[:n], []byte{0xff, 0xff, 0xff, 0xff}):
		return Arrow
	}
	return FormatNone
}

func newSource(ra parquet.ReaderAtSeeker, c io.Closer, path string, format Format) (src recSource, err error) {
	// The Arrow library panics on some malformed input; a file is user input.
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, fmt.Errorf("%w: %s: %v", ErrFormat, path, p)
		}
	}()
	switch format {
	case Parquet:
		return newParquetSource(ra, c, path)
	case Arrow:
		return newArrowSource(ra, c, path)
	}
	return nil, fmt.Errorf("%w: %s is neither Parquet nor Arrow IPC (say format = 'parquet' or 'arrow')", ErrFormat, path)
}

// start picks the columns and learns the dimension.
func (r *Reader) start(src recSource, format Format) (*Reader, error) {
	r.src = src
	r.hdr.Format = format
	r.hdr.Metadata = src.metadata()
	r.hdr.Rows = src.rows()
	if err := r.pickColumns(src.schema()); err != nil {
		r.Close()
		return nil, err
	}
	if format == Spark && r.hdr.Rows >= 0 {
		for _, p := range r.parts {
			s, err := openFile(p, Parquet)
			if err != nil {
				r.Close()
				return nil, err
			}
			r.hdr.Rows += s.rows()
			s.close()
		}
	}
	if r.opts.Limit > 0 && (r.hdr.Rows < 0 || r.hdr.Rows > r.opts.Limit) && format != Arrow {
		r.hdr.Rows = min(r.hdr.Rows, r.opts.Limit)
	}
	if ps, ok := src.(*parquetSource); ok {
		if err := ps.startRecords(r.cols, r.hdr.Dim); err != nil {
			r.Close()
			return nil, err
		}
		r.prepareParallel() // parallel.go
	}
	if r.hdr.Dim == 0 {
		if err := r.learnDim(); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// learnDim reads the first record of a file whose vectors are variable-
// length lists, to take the dimension from its first row.
func (r *Reader) learnDim() error {
	for {
		rec, err := r.next()
		if err == io.EOF {
			if d, err := strconv.Atoi(r.hdr.Metadata[MetaDim]); err == nil && d > 0 {
				r.hdr.Dim = d
				return nil
			}
			return fmt.Errorf("%w: %s has no rows to tell the vectors' dimension", ErrFormat, r.path)
		}
		if err != nil {
			return err
		}
		if rec.NumRows() == 0 {
			continue
		}
		d, err := firstLen(column(rec, r.hdr.Vector), r.path, r.hdr.Vector)
		if err != nil {
			return err
		}
		rec.Retain()
		r.first, r.hdr.Dim = rec, d
		return nil
	}
}

// next returns the next record of the current file or the following ones.
func (r *Reader) next() (arrow.RecordBatch, error) {
	for {
		rec, err := r.safeNext()
		if err != io.EOF || len(r.parts) == 0 {
			return rec, err
		}
		r.src.close()
		src, err := openFile(r.parts[0], Parquet)
		if err != nil {
			return nil, err
		}
		r.parts, r.src = r.parts[1:], src
		if err := r.checkSchema(src.schema()); err != nil {
			return nil, err
		}
		if err := src.(*parquetSource).startRecords(r.cols, r.hdr.Dim); err != nil {
			return nil, err
		}
	}
}

// safeNext turns a panic of the Arrow library on a malformed file into an
// error.
func (r *Reader) safeNext() (rec arrow.RecordBatch, err error) {
	defer func() {
		if p := recover(); p != nil {
			rec, err = nil, fmt.Errorf("%w: %s: %v", ErrFormat, r.path, p)
		}
	}()
	rec, err = r.src.next()
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %s: %v", ErrFormat, r.path, err)
	}
	return rec, err
}

// Header returns what Open learned of the file.
func (r *Reader) Header() Header { return r.hdr }

// Read delivers the rows to fn in file order, in batches, and stops at the
// first error, which it returns (fn's own errors unchanged). It checks ctx
// between batches. A Reader reads its file once. The next batch is decoded
// on another goroutine while fn runs, so that decoding overlaps what fn
// does with the rows; fn is called from Read's goroutine. A Parquet file
// of several row groups has them decoded by a few goroutines at once
// (parallel.go), delivered in file order all the same.
func (r *Reader) Read(ctx context.Context, fn func(b *Batch) error) error {
	if n := r.decoders(); n > 1 {
		return r.readParallel(ctx, fn, n)
	}
	out := make(chan *Batch, 1)
	free := make(chan *Batch, 2)
	free <- new(Batch)
	free <- new(Batch)
	stop := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- r.produce(ctx, out, free, stop)
	}()
	var err error
	for b := range out {
		if err == nil {
			if err = fn(b); err != nil {
				close(stop)
			}
		}
		free <- b
	}
	if perr := <-errc; err == nil {
		err = perr
	}
	return err
}

// produce decodes batches into the buffers free hands it and sends them
// to out, until the file or the limit ends, an error, or stop.
func (r *Reader) produce(ctx context.Context, out, free chan *Batch, stop chan struct{}) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.opts.Limit > 0 && r.done >= r.opts.Limit {
			return nil
		}
		// The record Open read is released as soon as it is copied, not
		// when the read ends: it holds a whole batch of the file.
		rec, release := r.first, func() {}
		r.first = nil
		if rec != nil {
			release = rec.Release
		} else {
			var err error
			if rec, err = r.next(); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
		}
		n := rec.NumRows()
		if r.opts.Limit > 0 {
			n = min(n, r.opts.Limit-r.done)
		}
		if n == 0 {
			release()
			continue
		}
		var b *Batch
		select {
		case b = <-free:
		case <-stop:
			release()
			return nil
		}
		err := r.fill(b, rec, int(n))
		release()
		if err != nil {
			return err
		}
		select {
		case out <- b:
		case <-stop:
			return nil
		}
		r.done += n
	}
}

// Close releases the file.
func (r *Reader) Close() error {
	if r.first != nil {
		r.first.Release()
		r.first = nil
	}
	if r.src == nil {
		return nil
	}
	err := r.src.close()
	r.src = nil
	return err
}

// columns are the indices of the columns read, in the record's schema.
type columns struct {
	vector, key, count int // -1: none
}

// pickColumns chooses the vector, key and count columns of schema.
func (r *Reader) pickColumns(sc *arrow.Schema) error {
	names := make([]string, sc.NumFields())
	for i, f := range sc.Fields() {
		names[i] = f.Name
	}
	find := func(opt, what string, defaults []string) (int, error) {
		if opt != "" {
			if i := slices.Index(names, opt); i >= 0 {
				return i, nil
			}
			return -1, fmt.Errorf("%w: %s has no column %q for the %s (its columns: %s)", ErrNoColumn, r.path, opt, what, strings.Join(names, ", "))
		}
		for _, d := range defaults {
			if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, d) }); i >= 0 {
				return i, nil
			}
		}
		return -1, nil
	}
	vi, err := find(r.opts.Vector, "vectors", defaultVector)
	if err != nil {
		return err
	}
	if vi < 0 {
		var cands []int
		for i, f := range sc.Fields() {
			if _, ok := listElem(f.Type); ok {
				cands = append(cands, i)
			}
		}
		if len(cands) != 1 {
			return fmt.Errorf("%w: %s: say which column holds the vectors, WITH (vector = 'column'); its columns: %s",
				ErrNoColumn, r.path, strings.Join(names, ", "))
		}
		vi = cands[0]
	}
	elem, ok := listElem(sc.Field(vi).Type)
	if !ok {
		return fmt.Errorf("%w: %s: column %q is %s, not a list of float32, float64 or float16",
			ErrFormat, r.path, names[vi], sc.Field(vi).Type)
	}
	ki, err := find(r.opts.Key, "words", defaultKey)
	if err != nil {
		return err
	}
	if ki >= 0 && !keyType(sc.Field(ki).Type) {
		return fmt.Errorf("%w: %s: key column %q is %s, not strings or integers", ErrFormat, r.path, names[ki], sc.Field(ki).Type)
	}
	ci := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, "count") })
	if ci >= 0 && (!arrow.IsInteger(sc.Field(ci).Type.ID()) || ci == ki) {
		ci = -1
	}
	r.cols = columns{vector: vi, key: ki, count: ci}
	r.hdr.Vector, r.hdr.Elem = names[vi], vec.Float32
	if elem.ID() == arrow.FLOAT16 {
		r.hdr.Elem = vec.Float16
	}
	if fl, ok := sc.Field(vi).Type.(*arrow.FixedSizeListType); ok {
		r.hdr.Dim = int(fl.Len())
		if r.hdr.Dim < 1 {
			return fmt.Errorf("%w: %s: column %q has vectors of %d elements", ErrFormat, r.path, names[vi], r.hdr.Dim)
		}
	}
	for i, n := range names {
		switch i {
		case vi:
		case ki:
			r.hdr.Key = n
		case ci:
			r.hdr.Count = n
		default:
			r.hdr.Ignored = append(r.hdr.Ignored, n)
		}
	}
	return r.chooseFields(sc) // columns_read.go
}

// checkSchema checks that a later Spark part has the columns of the first.
func (r *Reader) checkSchema(sc *arrow.Schema) error {
	want := r.cols
	saved := r.hdr
	defer func() { r.hdr = saved }()
	if err := r.pickColumns(sc); err != nil {
		return err
	}
	if r.cols != want {
		return fmt.Errorf("%w: %s: its parts have different columns", ErrFormat, r.path)
	}
	return nil
}

// listElem returns the element type of a list-of-floats type.
func listElem(t arrow.DataType) (arrow.DataType, bool) {
	var elem arrow.DataType
	switch lt := t.(type) {
	case *arrow.FixedSizeListType:
		elem = lt.Elem()
	case *arrow.ListType:
		elem = lt.Elem()
	case *arrow.LargeListType:
		elem = lt.Elem()
	default:
		return nil, false
	}
	switch elem.ID() {
	case arrow.FLOAT32, arrow.FLOAT64, arrow.FLOAT16:
		return elem, true
	}
	return nil, false
}

func keyType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW, arrow.BINARY, arrow.LARGE_BINARY:
		return true
	}
	return arrow.IsInteger(t.ID())
}

// errClosed is returned by a source read after close.
var errClosed = errors.New("columnar: reader closed")

// arrowSource reads an Arrow IPC file or stream.
type arrowSource struct {
	fr   *ipc.FileReader
	sr   *ipc.Reader
	c    io.Closer
	path string
	// The next record of fr to read, and the last one read: it is let go
	// before the next is read, so that one record batch is held, not two
	// (fr.Read keeps the previous one until the next is in memory).
	i    int
	prev arrow.RecordBatch
}

func newArrowSource(ra parquet.ReaderAtSeeker, c io.Closer, path string) (*arrowSource, error) {
	s := &arrowSource{c: c, path: path}
	head := make([]byte, 6)
	n, _ := ra.ReadAt(head, 0)
	size, err := ipcSize(ra)
	if err != nil {
		return nil, err
	}
	file := string(head[:n]) == "ARROW1"
	if file {
		err = checkIPCFile(ra, size)
	} else {
		err = checkIPCStream(ra, size)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	if file {
		s.fr, err = ipc.NewFileReader(ra.(ipc.ReadAtSeeker), ipc.WithAllocator(memory.DefaultAllocator))
	} else {
		s.sr, err = ipc.NewReader(io.NewSectionReader(ra, 0, size), ipc.WithAllocator(memory.DefaultAllocator))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	return s, nil
}

func (s *arrowSource) schema() *arrow.Schema {
	if s.fr != nil {
		return s.fr.Schema()
	}
	return s.sr.Schema()
}

func (s *arrowSource) rows() int64 { return -1 }

func (s *arrowSource) metadata() map[string]string {
	md := s.schema().Metadata()
	out := make(map[string]string, md.Len())
	for i, k := range md.Keys() {
		out[k] = md.Values()[i]
	}
	return out
}

func (s *arrowSource) next() (arrow.RecordBatch, error) {
	if s.prev != nil {
		s.prev.Release()
		s.prev = nil
	}
	if s.fr != nil {
		if s.i >= s.fr.NumRecords() {
			return nil, io.EOF
		}
		rec, err := s.fr.RecordBatchAt(s.i)
		if err != nil {
			return nil, err
		}
		s.i++
		s.prev = rec
		return rec, nil
	}
	if s.sr == nil {
		return nil, errClosed
	}
	if !s.sr.Next() {
		if err := s.sr.Err(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	return s.sr.RecordBatch(), nil
}

func (s *arrowSource) close() error {
	if s.prev != nil {
		s.prev.Release()
		s.prev = nil
	}
	if s.fr != nil {
		s.fr.Close()
	}
	if s.sr != nil {
		s.sr.Release()
	}
	s.fr, s.sr = nil, nil
	if s.c != nil {
		err := s.c.Close()
		s.c = nil
		return err
	}
	return nil
}
