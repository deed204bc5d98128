package trainer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/embeddb/embeddb/internal/osfile"
)

// Corpus is training text, one sentence per line (gensim's LineSentence), read once for the
// vocabulary and once per epoch. Lines are tokenized with gensim's simple_preprocess.
type Corpus interface {
	// Each calls fn once for every source of the corpus, in order, with a reader at the start
	// of that source, and returns the first error. Every call must yield the same text.
	// A line never continues from one source into the next.
	Each(ctx context.Context, fn func(r io.Reader) error) error
}

// Files returns a corpus made of the named files, read in order and re-opened for every
// pass. Each must be a regular file: a named pipe, device or directory is refused (without
// blocking on it) with an error matching internal/osfile.ErrNotRegular; [Reader] spools a
// stream that can be read only once. Gzip-compressed files (detected by their magic bytes,
// whatever their name) are decompressed on the fly.
func Files(paths ...string) Corpus { return fileCorpus(append([]string(nil), paths...)) }

type fileCorpus []string

func (fc fileCorpus) Each(ctx context.Context, fn func(io.Reader) error) error {
	for _, p := range fc {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := eachFile(p, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachFile opens path and calls fn with its text. Only a regular file is
// opened: the corpus is read once for the vocabulary and once per epoch,
// which a pipe cannot serve, and open(2) of a pipe with no writer would
// block for ever, deaf to ctx.
func eachFile(path string, fn func(io.Reader) error) (err error) {
	f, err := osfile.OpenRegular(path)
	if err != nil {
		return osfile.WithReason(err, "a corpus is read once for the vocabulary and again for every epoch, so it must be a regular file")
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	if err := fn(r); err != nil {
		var se *sourceError
		if errors.As(err, &se) {
			return fmt.Errorf("read %s: %w", path, se.err)
		}
		return err
	}
	return nil
}

// sourceError marks an error from reading a source (as opposed to one from fn itself).
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// Text returns a corpus holding s in memory, mostly for tests and examples.
func Text(s string) Corpus { return textCorpus(s) }

type textCorpus string

func (t textCorpus) Each(ctx context.Context, fn func(io.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(strings.NewReader(string(t)))
}

// StreamCorpus is a corpus read from a stream that can be read only once. The first pass
// copies the stream to a temporary file (in os.TempDir) while reading it, and later passes
// read that file, so memory stays bounded. Close removes the file; call it when training is
// done.
type StreamCorpus struct {
	mu   sync.Mutex
	r    io.Reader
	path string
	done bool
	err  error
}

// Reader returns a corpus that reads r once and spools it to a temporary file for the later
// passes; see [StreamCorpus].
func Reader(r io.Reader) *StreamCorpus { return &StreamCorpus{r: r} }

// Each implements [Corpus].
func (s *StreamCorpus) Each(ctx context.Context, fn func(io.Reader) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.err != nil {
		return s.err
	}
	if s.done {
		if s.path == "" {
			return errors.New("trainer: stream corpus is closed")
		}
		return eachFile(s.path, fn)
	}
	f, err := os.CreateTemp("", "embeddb-corpus-*.txt")
	if err != nil {
		return fmt.Errorf("spool corpus: %w", err)
	}
	s.path = f.Name()
	bw := bufio.NewWriterSize(f, 1<<16)
	tee := &teeReader{r: s.r, w: bw}
	err = fn(tee)
	if err == nil && tee.werr == nil {
		// fn may stop early only on error; drain whatever it did not read.
		_, err = io.Copy(bw, s.r)
	}
	if err == nil {
		err = tee.werr
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	s.done = true
	if err != nil {
		os.Remove(s.path)
		s.path = ""
		s.err = fmt.Errorf("spool corpus: %w", err)
		return s.err
	}
	return nil
}

// Close removes the temporary file. It is safe to call more than once.
func (s *StreamCorpus) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
	if s.path == "" {
		return nil
	}
	err := os.Remove(s.path)
	s.path = ""
	return err
}

type teeReader struct {
	r    io.Reader
	w    io.Writer
	werr error
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 && t.werr == nil {
		_, t.werr = t.w.Write(p[:n])
	}
	return n, err
}

// chunkSize is the size of the blocks of whole lines handed to workers.
const chunkSize = 128 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readChunks reads r and calls emit with blocks of whole lines (each block ends just after
// a '\n', except the last one of the source). A leading UTF-8 BOM is dropped. A line longer
// than chunkSize makes a larger block. emit owns the block it is given; get supplies an empty
// buffer to fill.
func readChunks(ctx context.Context, r io.Reader, get func() []byte, emit func([]byte) error) error {
	buf := get()[:0]
	first := true
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if first && (len(buf) >= 3 || err != nil) {
			first = false
			if bytes.HasPrefix(buf, utf8BOM) {
				buf = buf[:copy(buf, buf[3:])]
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return &sourceError{err}
			}
			if len(buf) > 0 {
				return emit(buf)
			}
			return nil
		}
		if len(buf) < cap(buf) || first {
			continue
		}
		cut := bytes.LastIndexByte(buf, '\n')
		if cut < 0 {
			continue // a very long line: grow the buffer
		}
		next := get()[:0]
		if cap(next) < len(buf)-cut-1 {
			next = make([]byte, 0, max(chunkSize, 2*(len(buf)-cut-1)))
		}
		next = append(next, buf[cut+1:]...)
		if err := emit(buf[:cut+1]); err != nil {
			return err
		}
		buf = next
	}
}

// forEachLine calls fn for every line of a block, without its '\n'.
func forEachLine(block []byte, fn func(line []byte)) {
	for len(block) > 0 {
		i := bytes.IndexByte(block, '\n')
		if i < 0 {
			fn(block)
			return
		}
		fn(block[:i])
		block = block[i+1:]
	}
}
