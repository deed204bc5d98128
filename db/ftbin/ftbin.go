// Package ftbin reads and writes Facebook fastText's binary model format (.bin, version 12),
// the files fastText's `skipgram`/`cbow` write and gensim's load_facebook_model and
// save_facebook_model read and write: the training arguments, the dictionary (words with
// their counts), the input matrix (one row per word, then one per n-gram bucket) and the
// output matrix. Only unsupervised models are supported: no labels, no quantized matrices,
// as in gensim.
//
// The layout, little-endian as fastText writes it on the machines it runs on: int32 magic
// 793712314, int32 version 12; Args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss,
// model, bucket, minn, maxn, lrUpdateRate, float64 t; Dictionary: int32 size, nwords,
// nlabels, int64 ntokens, int64 pruneidx_size, then per entry the word's bytes, a 0 byte,
// int64 count, int8 type, then pruneidx_size pairs of int32; bool quant, int64 rows, int64
// cols, float32 data (the input); bool quant, int64 rows, int64 cols, float32 data (the
// output).
//
// # Concurrency
//
// Read and Write keep no state: calls may run concurrently on different streams.
package ftbin

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/embeddb/embeddb/internal/vec"
)

// Magic and Version identify a fastText .bin file.
const (
	Magic   = 793712314
	Version = 12
)

// Loss and model numbers of fastText's Args.
const (
	LossHS       = 1
	LossNS       = 2
	ModelCBOW    = 1
	ModelSG      = 2
	maxDim       = 10000
	maxWordBytes = 1 << 16
)

// ErrFormat is wrapped by every error about a malformed or unsupported file.
var ErrFormat = errors.New("ftbin: not a fastText model")

// Args are fastText's training arguments as the file stores them.
type Args struct {
	Dim, WS, Epoch, MinCount, Neg, WordNgrams, Loss, Model, Bucket, MinN, MaxN, LRUpdateRate int32
	// T is the sampling threshold.
	T float64
}

// Model is the content of a .bin file.
type Model struct {
	Args Args
	// Words and Counts are the dictionary, in the file's order.
	Words  []string
	Counts []int64
	// NTokens is the number of tokens of the training corpus.
	NTokens int64
	// Input has len(Words)+Args.Bucket rows of Args.Dim values: the words' own vectors,
	// then the n-gram buckets' (gensim's vectors_vocab and vectors_ngrams).
	Input []float32
	// Output has OutputRows rows of Args.Dim values (the output layer), or is empty.
	Output     []float32
	OutputRows int
}

type reader struct {
	r    *bufio.Reader
	off  int64
	size int64 // bytes the stream holds, or -1 when unknown
	err  error
	// scratch holds the last number read: what bytes returns for n <= 8, valid until
	// its next call.
	scratch [8]byte
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: at byte %d: %s", ErrFormat, r.off, fmt.Sprintf(format, args...))
	}
}

func (r *reader) bytes(n int) []byte {
	var b []byte
	if n <= len(r.scratch) {
		b = r.scratch[:n] // the numbers of the dictionary: no allocation for each
		clear(b)
	} else {
		b = make([]byte, n)
	}
	if r.err != nil {
		return b
	}
	k, err := io.ReadFull(r.r, b)
	r.off += int64(k)
	if err != nil {
		r.fail("truncated (%v)", err)
	}
	return b
}

func (r *reader) i32() int32   { return int32(binary.LittleEndian.Uint32(r.bytes(4))) }
func (r *reader) i64() int64   { return int64(binary.LittleEndian.Uint64(r.bytes(8))) }
func (r *reader) f64() float64 { return math.Float64frombits(binary.LittleEndian.Uint64(r.bytes(8))) }

// left says whether n more bytes can be in the stream (always true when its size is unknown).
func (r *reader) left(n int64) bool { return r.size < 0 || n <= r.size-r.off }

// Read reads a .bin model. size is the number of bytes r holds (the file's size), used to
// refuse, before allocating, matrices a truncated or corrupt file cannot hold; -1 when unknown.
// Errors wrap [ErrFormat] and name the byte offset.
func Read(rd io.Reader, size int64) (*Model, error) {
	r := &reader{r: bufio.NewReaderSize(rd, 1<<20), size: size}
	if magic := r.i32(); r.err == nil && magic != Magic {
		return nil, fmt.Errorf("%w: bad magic number %d (a fastText .bin starts with %d)", ErrFormat, magic, Magic)
	}
	if v := r.i32(); r.err == nil && v != Version {
		return nil, fmt.Errorf("%w: version %d (this build reads version %d)", ErrFormat, v, Version)
	}
	m := &Model{}
	a := &m.Args
	for _, p := range []*int32{&a.Dim, &a.WS, &a.Epoch, &a.MinCount, &a.Neg, &a.WordNgrams, &a.Loss, &a.Model,
		&a.Bucket, &a.MinN, &a.MaxN, &a.LRUpdateRate} {
		*p = r.i32()
	}
	a.T = r.f64()
	switch {
	case r.err != nil:
	case a.Dim < 1 || a.Dim > maxDim:
		r.fail("dimension %d", a.Dim)
	case a.Bucket < 0 || a.MinN < 0 || a.MaxN < 0 || a.MaxN > 1000:
		r.fail("bucket %d, minn %d, maxn %d", a.Bucket, a.MinN, a.MaxN)
	}
	if err := m.readDict(r); err != nil {
		return nil, err
	}
	in, rows, err := r.matrix("input", int(a.Dim))
	if err != nil {
		return nil, err
	}
	if rows != len(m.Words)+int(a.Bucket) {
		return nil, fmt.Errorf("%w: input matrix has %d rows, want %d words + %d buckets", ErrFormat, rows, len(m.Words), a.Bucket)
	}
	m.Input = in
	if m.Output, m.OutputRows, err = r.matrix("output", int(a.Dim)); err != nil {
		return nil, err
	}
	if _, err := r.r.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: bytes after the output matrix, at byte %d", ErrFormat, r.off)
	}
	return m, nil
}

func (m *Model) readDict(r *reader) error {
	size, nwords, nlabels := r.i32(), r.i32(), r.i32()
	m.NTokens = r.i64()
	prune := r.i64()
	switch {
	case r.err != nil:
		return r.err
	case nlabels != 0:
		r.fail("%d labels: supervised models are not supported", nlabels)
	case size != nwords || nwords < 0:
		r.fail("dictionary of %d entries, %d words", size, nwords)
	case !r.left(int64(nwords) * 10):
		r.fail("%d words cannot fit in the file", nwords)
	case prune > 0:
		r.fail("a pruned (quantized) model is not supported")
	}
	if r.err != nil {
		return r.err
	}
	m.Words = make([]string, 0, nwords)
	m.Counts = make([]int64, 0, nwords)
	// One map assignment per word finds a repeated one (the map does not grow): a lookup
	// and then an assignment cost two random reads of a map of a million words.
	seen := make(map[string]struct{}, nwords)
	for i := int32(0); i < nwords && r.err == nil; i++ {
		w, err := r.r.ReadSlice(0)
		if err != nil || len(w) > maxWordBytes {
			r.fail("word %d: not terminated", i)
			break
		}
		r.off += int64(len(w))
		word := string(w[:len(w)-1])
		count := r.i64()
		typ := r.bytes(1)[0]
		n := len(seen)
		seen[word] = struct{}{}
		switch {
		case r.err != nil:
		case word == "" || !utf8.ValidString(word):
			r.fail("word %d is empty or not UTF-8", i)
		case typ != 0:
			r.fail("entry %d is a label", i)
		case count < 0:
			r.fail("word %q has count %d", word, count)
		case len(seen) == n:
			r.fail("word %q appears twice", word)
		}
		m.Words = append(m.Words, word)
		m.Counts = append(m.Counts, count)
	}
	return r.err
}

func (r *reader) matrix(what string, dim int) ([]float32, int, error) {
	quant := r.bytes(1)[0]
	rows, cols := r.i64(), r.i64()
	switch {
	case r.err != nil:
	case quant != 0:
		r.fail("quantized %s matrix: not supported", what)
	case cols != int64(dim) || rows < 0 || rows > math.MaxInt32:
		r.fail("%s matrix is %d×%d, want %d columns", what, rows, cols, dim)
	case !r.left(rows * cols * 4):
		r.fail("%s matrix of %d×%d floats is larger than the file", what, rows, cols)
	}
	if r.err != nil {
		return nil, 0, r.err
	}
	out := make([]float32, rows*cols)
	if err := r.floats(out); err != nil {
		r.fail("%s matrix truncated (%v)", what, err)
		return nil, 0, r.err
	}
	return out, int(rows), nil
}

// readChunk is how many bytes of a matrix one read asks for: large, so the reads go from the
// file straight into the matrix (bufio passes reads larger than its buffer through), small
// enough that a truncation is reported near where it is.
const readChunk = 8 << 20

// floats reads len(out) little-endian float32s into out. On a little-endian machine the file's
// bytes are the floats' memory, so they are read into it directly, with no copy or conversion
// (a 1.2 GB matrix took 0.9 s of CPU to decode through a buffer).
func (r *reader) floats(out []float32) error {
	if !vec.LittleEndian() {
		buf := make([]byte, 1<<16)
		for off := 0; off < len(out); {
			k := min(len(out)-off, len(buf)/4)
			n, err := io.ReadFull(r.r, buf[:4*k])
			r.off += int64(n)
			if err != nil {
				return err
			}
			vec.Float32.Decode(out[off:off+k], buf[:4*k])
			off += k
		}
		return nil
	}
	b := vec.AsBytes(out)
	for len(b) > 0 {
		k := min(len(b), readChunk)
		n, err := io.ReadFull(r.r, b[:k])
		r.off += int64(n)
		if err != nil {
			return err
		}
		b = b[k:]
	}
	return nil
}

// Write writes m in the .bin format. len(m.Input) must be (len(Words)+Bucket)·Dim and
// len(m.Output) OutputRows·Dim.
func Write(w io.Writer, m *Model) error {
	a := m.Args
	if a.Dim < 1 || len(m.Counts) != len(m.Words) || len(m.Input) != (len(m.Words)+int(a.Bucket))*int(a.Dim) ||
		len(m.Output) != m.OutputRows*int(a.Dim) {
		return fmt.Errorf("ftbin: inconsistent model: %d words, %d counts, %d input and %d output values for dimension %d and %d buckets",
			len(m.Words), len(m.Counts), len(m.Input), len(m.Output), a.Dim, a.Bucket)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	le := binary.LittleEndian
	var b [8]byte
	i32 := func(v int32) { le.PutUint32(b[:4], uint32(v)); bw.Write(b[:4]) }
	i64 := func(v int64) { le.PutUint64(b[:], uint64(v)); bw.Write(b[:]) }
	i32(Magic)
	i32(Version)
	for _, v := range []int32{a.Dim, a.WS, a.Epoch, a.MinCount, a.Neg, a.WordNgrams, a.Loss, a.Model, a.Bucket, a.MinN, a.MaxN, a.LRUpdateRate} {
		i32(v)
	}
	i64(int64(math.Float64bits(a.T)))
	n := int32(len(m.Words))
	i32(n)
	i32(n)
	i32(0)
	i64(m.NTokens)
	i64(-1) // no pruning
	for i, word := range m.Words {
		bw.WriteString(word)
		bw.WriteByte(0)
		i64(m.Counts[i])
		bw.WriteByte(0) // a word, not a label
	}
	matrix := func(rows int, data []float32) {
		bw.WriteByte(0) // not quantized
		i64(int64(rows))
		i64(int64(a.Dim))
		vec.WriteFloat32s(bw, data) // an error sticks in bw: Flush reports it
	}
	matrix(len(m.Words)+int(a.Bucket), m.Input)
	matrix(m.OutputRows, m.Output)
	return bw.Flush()
}
