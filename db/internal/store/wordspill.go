package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"
)

// wordMaxFanIn is how many spilled runs one merge reads at once; with more,
// runs are first merged into longer ones (as SQLite's sorter merges its
// spilled arrays in levels), so the read buffers stay bounded too.
var wordMaxFanIn = 64

// wordRunBuf is the read buffer of each spilled run during a merge.
const wordRunBuf = 64 << 10

// wordSpill is the temporary file a wordSorter writes its sorted runs to.
// A run is a sequence of entries, each
//
//	uvarint len(word) ++ word ++ uvarint id ++ uvarint count
//
// in word order; the file is only ever read back by the process that
// wrote it, so its format is free to change.
type wordSpill struct {
	f       *os.File
	removed bool // unlinked already
	size    int64
	spans   [][2]int64 // the runs: offset, length
	written int        // runs written, merged ones too
	bw      *bufio.Writer
}

func newWordSpill(dir string) (*wordSpill, error) {
	f, removed, err := createSpill(dir)
	if err != nil {
		return nil, fmt.Errorf("db: bulk load: sorting the words index: %w", err)
	}
	return &wordSpill{f: f, removed: removed, bw: bufio.NewWriterSize(f, 1<<20)}, nil
}

// writeRun merges runs into one run appended to the file.
func (sp *wordSpill) writeRun(runs []wordRun) error {
	var buf []byte
	var n int64
	var werr error
	err := mergeWordRuns(runs, func(e *wordEntry) bool {
		buf = binary.AppendUvarint(buf[:0], uint64(len(e.word)))
		buf = append(buf, e.word...)
		buf = binary.AppendUvarint(buf, uint64(e.id))
		buf = binary.AppendUvarint(buf, uint64(e.count))
		_, werr = sp.bw.Write(buf)
		n += int64(len(buf))
		return werr == nil
	})
	if err == nil {
		err = werr
	}
	if err == nil {
		err = sp.bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("db: bulk load: sorting the words index: %w", err)
	}
	sp.spans = append(sp.spans, [2]int64{sp.size, n})
	sp.written++
	sp.size += n
	return nil
}

// runs returns readers of the spilled runs, in the order written.
func (sp *wordSpill) runs() []wordRun { return sp.readers(sp.spans) }

// readers returns readers of the runs at spans.
func (sp *wordSpill) readers(spans [][2]int64) []wordRun {
	out := make([]wordRun, len(spans))
	for i, s := range spans {
		out[i] = &fileRun{r: bufio.NewReaderSize(io.NewSectionReader(sp.f, s[0], s[1]), wordRunBuf)}
	}
	return out
}

// reduce merges runs wordMaxFanIn at a time, oldest first, until at most
// wordMaxFanIn are left, so that the last merge reads few enough.
func (sp *wordSpill) reduce(stopped func() bool) error {
	for len(sp.spans) > wordMaxFanIn {
		if stopped() {
			return errors.New("db: bulk load aborted")
		}
		if err := sp.writeRun(sp.readers(sp.spans[:wordMaxFanIn])); err != nil {
			return err
		}
		sp.spans = sp.spans[wordMaxFanIn:]
	}
	return nil
}

// close closes and removes the file; a nil spill does nothing.
func (sp *wordSpill) close() {
	if sp == nil {
		return
	}
	sp.f.Close()
	if !sp.removed {
		os.Remove(sp.f.Name())
	}
}

// wordRun is a run of entries sorted by word.
type wordRun interface {
	// next returns the run's next entry; ok is false at its end.
	next() (e wordEntry, ok bool, err error)
}

// memRun is a sorted run in memory.
type memRun struct{ es []wordEntry }

func (r *memRun) next() (wordEntry, bool, error) {
	if len(r.es) == 0 {
		return wordEntry{}, false, nil
	}
	e := r.es[0]
	r.es = r.es[1:]
	return e, true, nil
}

// fileRun reads a spilled run back.
type fileRun struct {
	r     *bufio.Reader
	arena []byte // the words read, in blocks never written again
}

func (r *fileRun) next() (wordEntry, bool, error) {
	n, err := binary.ReadUvarint(r.r)
	if err == io.EOF {
		return wordEntry{}, false, nil
	}
	if err != nil || n > MaxWordLen {
		return wordEntry{}, false, spillError(err)
	}
	if cap(r.arena)-len(r.arena) < int(n) {
		r.arena = make([]byte, 0, max(int(n), 32<<10))
	}
	at := len(r.arena)
	r.arena = r.arena[:at+int(n)]
	if _, err := io.ReadFull(r.r, r.arena[at:]); err != nil {
		return wordEntry{}, false, spillError(err)
	}
	id, err := binary.ReadUvarint(r.r)
	if err != nil {
		return wordEntry{}, false, spillError(err)
	}
	count, err := binary.ReadUvarint(r.r)
	if err != nil {
		return wordEntry{}, false, spillError(err)
	}
	var word string
	if n > 0 {
		// The arena's bytes are never written again, so the string may
		// share them: one allocation per block instead of one per word.
		word = unsafe.String(&r.arena[at], int(n))
	}
	return wordEntry{word: word, id: uint32(id), count: int64(count)}, true, nil
}

func spillError(err error) error {
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("db: bulk load: reading back the words index's spill file: %w", err)
}

// wordHead is the next entry of one run in a merge.
type wordHead struct {
	e   wordEntry
	run int
}

// mergeWordRuns calls emit with the entries of runs in word order (among
// equal words, the earlier run's first), until emit returns false or the
// runs end. The entry emit gets is valid only during the call.
func mergeWordRuns(runs []wordRun, emit func(*wordEntry) bool) error {
	h := make([]wordHead, 0, len(runs))
	for i, r := range runs {
		e, ok, err := r.next()
		if err != nil {
			return err
		}
		if ok {
			h = append(h, wordHead{e, i})
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftWordHead(h, i)
	}
	for len(h) > 0 {
		if !emit(&h[0].e) {
			return nil
		}
		e, ok, err := runs[h[0].run].next()
		if err != nil {
			return err
		}
		if ok {
			h[0].e = e
		} else {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		siftWordHead(h, 0)
	}
	return nil
}

func lessWordHead(a, b *wordHead) bool {
	if c := strings.Compare(a.e.word, b.e.word); c != 0 {
		return c < 0
	}
	return a.run < b.run
}

// siftWordHead moves h[i] down to its place in the min-heap h.
func siftWordHead(h []wordHead, i int) {
	for {
		m := i
		if l := 2*i + 1; l < len(h) && lessWordHead(&h[l], &h[m]) {
			m = l
		}
		if r := 2*i + 2; r < len(h) && lessWordHead(&h[r], &h[m]) {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
