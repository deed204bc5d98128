package store

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
)

// wordSortBatch is how many words a bulk load hands to its sorter at a
// time (a variable for tests).
var wordSortBatch = 1 << 16

// wordRunBytes bounds the memory a bulk load's word sort holds: once the
// sorted batches it keeps reach this many bytes (entries and their words),
// they are merged into one sorted run written to a spill file, and memory
// starts again from nothing. A variable so that tests can cross it with a
// few words.
var wordRunBytes = 16 << 20

// wordBatchBytes is about how many bytes of encoded words-index chunks the
// sorter hands to Commit at a time, each written in a transaction of its
// own. A batch is held about five times over at its peak (the one being
// cut, the one waiting, the one written, bbolt's pages for it and bbolt's
// copy when the file grows), so it is kept as small as a vector flush
// (bulkFlush); a million words make about six.
var wordBatchBytes = 4 << 20

// wordEntryBytes is what an entry holds in memory besides its word's bytes.
const wordEntryBytes = 32

// wordSorter sorts the words of a bulk load by word while the load goes on
// and cuts them into the chunks of the table's words index, in memory that
// does not grow with the rows. It is an external merge sort, like the
// sorter behind SQLite's CREATE INDEX (VdbeSorter, which spills "packed
// memory arrays" to a temporary file and merges them) and DuckDB's: batches
// are sorted as they arrive, on a goroutine of its own; when the sorted
// batches held reach wordRunBytes, they are merged into one run written to
// a spill file next to the database; at the end, the spilled runs and the
// batches still in memory are merged (k ways, through a heap) straight into
// chunks, handed to Commit a wordBatchBytes batch at a time while the next
// fills. The merge finds a repeated word on the way.
//
// The spill file is removed from its directory as soon as it is created
// (where the system allows an open file to be unlinked), so a crash leaves
// nothing behind, and closed when the sorter ends, whatever the outcome.
type wordSorter struct {
	dir  string // where the spill file goes; "" for os.TempDir
	in   chan []wordEntry
	out  chan wordIndexBatch
	stop chan struct{}
	done chan struct{} // closed when the goroutine has ended and cleaned up
	err  atomic.Pointer[error]
	// ended says in is closed; stopped says stop is.
	ended, stopped bool
	// spilled counts the runs written to the spill file; read it only
	// after done is closed.
	spilled int
	// held is about how many bytes of sorted batches the sorter holds in
	// memory (at most wordRunBytes plus a batch), for tests.
	held atomic.Int64
}

// wordIndexBatch is what a wordSorter hands back, batch after batch: chunks
// of the words index, as their keys and values, in order; last marks the
// final batch. A batch with err or dup set is the last: err is why sorting
// failed, dup the first pair of rows found with the same word.
type wordIndexBatch struct {
	keys, vals [][]byte
	dup        *[2]wordEntry
	err        error
	last       bool
}

// newWordSorter starts a sorter that spills to a file in dir.
func newWordSorter(dir string) *wordSorter {
	s := &wordSorter{
		dir:  dir,
		in:   make(chan []wordEntry, 2),
		out:  make(chan wordIndexBatch, 1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go s.run()
	return s
}

func (s *wordSorter) run() {
	defer close(s.done)
	var sp *wordSpill
	defer func() {
		if sp != nil {
			s.spilled = sp.written
		}
		sp.close()
	}()
	var held []wordRun // sorted batches in memory
	size := 0
	var err error
	for b := range s.in {
		if err != nil || s.isStopped() {
			continue // drain, so that the load is never blocked
		}
		slices.SortFunc(b, compareWords)
		held = append(held, &memRun{es: b})
		size += entriesBytes(b)
		s.held.Store(int64(size))
		if size < wordRunBytes {
			continue
		}
		if sp == nil {
			sp, err = newWordSpill(s.dir)
		}
		if err == nil {
			err = sp.writeRun(held)
		}
		if err != nil {
			s.err.Store(&err)
		}
		held, size = nil, 0
		s.held.Store(0)
	}
	if err == nil && sp != nil {
		err = sp.reduce(s.isStopped)
	}
	if err != nil {
		s.send(wordIndexBatch{err: err, last: true})
		return
	}
	var runs []wordRun
	if sp != nil {
		runs = sp.runs()
	}
	s.emitChunks(append(runs, held...))
}

// emitChunks merges runs into the chunks of the words index and sends
// them, a batch at a time.
func (s *wordSorter) emitChunks(runs []wordRun) {
	var c wordChunker
	var prev wordEntry
	havePrev, bytes, counted := false, 0, 0
	var dup *[2]wordEntry
	stopped := false
	err := mergeWordRuns(runs, func(e *wordEntry) bool {
		if havePrev && prev.word == e.word {
			dup = &[2]wordEntry{prev, *e}
			return false
		}
		c.add(*e)
		prev, havePrev = *e, true
		for ; counted < len(c.vals); counted++ {
			bytes += len(c.vals[counted])
		}
		if bytes >= wordBatchBytes {
			if !s.send(wordIndexBatch{keys: c.keys, vals: c.vals}) {
				stopped = true
				return false
			}
			c.keys, c.vals, bytes, counted = nil, nil, 0, 0
		}
		return true
	})
	switch {
	case stopped:
	case err != nil:
		s.send(wordIndexBatch{err: err, last: true})
	case dup != nil:
		s.send(wordIndexBatch{dup: dup, last: true})
	default:
		c.flush()
		s.send(wordIndexBatch{keys: c.keys, vals: c.vals, last: true})
	}
}

// send hands b to Commit; false if the sorter was abandoned.
func (s *wordSorter) send(b wordIndexBatch) bool {
	select {
	case s.out <- b:
		return true
	case <-s.stop:
		return false
	}
}

func (s *wordSorter) isStopped() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// add hands over a batch of words; the sorter owns it from then on. It
// returns the error that stopped the sorter (writing its spill file), if
// one did, so that the load fails at once.
func (s *wordSorter) add(b []wordEntry) error {
	if p := s.err.Load(); p != nil {
		return *p
	}
	if len(b) > 0 {
		s.in <- b
	}
	return nil
}

// end says no more words will come, so the last merges can start.
func (s *wordSorter) end() {
	if !s.ended {
		s.ended = true
		close(s.in)
	}
}

// next returns the next batch of the words index; call it until a batch
// says last.
func (s *wordSorter) next() wordIndexBatch {
	s.end()
	return <-s.out
}

// abandon ends the sorter without waiting for its result, and waits until
// its goroutine has removed the spill file.
func (s *wordSorter) abandon() {
	if !s.stopped {
		s.stopped = true
		close(s.stop)
	}
	s.end()
	<-s.done
}

func compareWords(a, b wordEntry) int { return strings.Compare(a.word, b.word) }

// entriesBytes is about what es holds in memory.
func entriesBytes(es []wordEntry) int {
	n := wordEntryBytes * cap(es)
	for i := range es {
		n += len(es[i].word)
	}
	return n
}

// spillDir returns the directory for a bulk load's spill file: the
// database's own, so that a large sort lands on the disk that holds the
// table (often bigger than a tmpfs /tmp, which would spill to memory).
func spillDir(dbPath string) string {
	if dbPath == "" {
		return ""
	}
	return filepath.Dir(dbPath)
}

// createSpill creates a temporary file in dir, or in os.TempDir when dir
// is not writable, and unlinks it at once where an open file may be
// unlinked; removed says it is gone from its directory.
func createSpill(dir string) (f *os.File, removed bool, err error) {
	f, err = os.CreateTemp(dir, ".embeddb-sort-*.tmp")
	if err != nil && dir != "" {
		f, err = os.CreateTemp("", "embeddb-sort-*.tmp")
	}
	if err != nil {
		return nil, false, err
	}
	return f, os.Remove(f.Name()) == nil, nil
}
