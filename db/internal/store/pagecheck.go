package store

// A walk of bbolt's page structure that never trusts it.
//
// bbolt's Tx.Check reads pages through the mmap and believes every count,
// offset and page id it finds: one flipped bit makes it fault (in a
// goroutine of its own, where no recover reaches), recurse until the stack
// overflows, or loop allocating without end. The walk here reads the file
// with ReadAt, checks every offset against the page's span and the file
// before reading it, visits each page at most once, and so runs in time
// and memory bounded by the file's page count.
//
// The on-disk format (go.etcd.io/bbolt, internal/common): a page is a
// 16-byte header (id u64, flags u16, count u16, overflow u32) followed by
// count elements and their data; the page spans overflow+1 pages. A branch
// element is (pos u32, ksize u32, child page id u64), a leaf element
// (flags u32, pos u32, ksize u32, vsize u32); pos counts from the
// element's own first byte. A leaf element with flag 1 is a bucket: its
// value is (root page id u64, sequence u64), followed, when the root is 0,
// by the bucket's whole leaf page inline. A freelist page's elements are
// page ids (u64); a count of 0xFFFF means the real count is the first
// element. Every page below the meta's high-water mark is exactly one of:
// a meta (0 and 1), part of the freelist's span, reachable from the root
// bucket, or on the freelist.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

const (
	BoltBranchFlag    = 0x01
	BoltLeafFlag      = 0x02
	boltBucketFlag    = 0x01 // on a leaf element
	BoltElemSize      = 16   // branch and leaf elements alike
	BoltBucketHeader  = 16   // root page id, sequence
	boltMaxKeySize    = 32768
	maxPageProblems   = 50  // lines reported before "... and N more"
	maxSnapshotsTried = 8   // metas overwritten under a walk before it gives up
	walkCheckEvery    = 256 // pages between looks at the context
)

// ErrSnapshotMoved means that neither meta page holds the transaction's id
// any more: writers committed twice between the Begin and the walk's read
// of the metas. Begin again.
var ErrSnapshotMoved = errors.New("db: the transaction's meta page was overwritten; begin again")

// PageProblems walks the page structure of the snapshot tx reads and
// returns one line per structural problem; none means bbolt can safely
// read it. It reads the file through d.file, never through bbolt's mmap,
// so damage gives lines, not faults. For a writable tx it checks the state
// the tx started from, not changes it has made. It returns ErrSnapshotMoved
// (rarely, under heavy writing) when the snapshot's meta page has been
// reused; begin a new transaction and call it again.
func (d *DB) PageProblems(ctx context.Context, tx *bolt.Tx) ([]string, error) {
	txid := uint64(tx.ID())
	if tx.Writable() {
		txid-- // a writer's id is one past the meta it started from
	}
	pageSize := int64(d.bolt.Info().PageSize)
	st, err := d.file.Stat()
	if err != nil {
		return nil, err
	}
	m, err := snapshotMeta(d.file, pageSize, txid)
	if err != nil {
		return nil, err
	}
	w := newPageWalk(ctx, d.file, pageSize, st.Size(), m)
	w.mem = mappedFile(d.bolt, st.Size())
	w.walk(m)
	return w.lines(), ctx.Err()
}

// walkMeta is what the walk needs of a meta page.
type walkMeta struct {
	BoltMeta
	root uint64 // root page of the root bucket
}

// snapshotMeta reads both metas and returns the valid one whose txid is
// txid.
func snapshotMeta(f *os.File, pageSize int64, txid uint64) (walkMeta, error) {
	buf := make([]byte, BoltPageHeader+64)
	for i := int64(0); i < 2; i++ {
		if _, err := f.ReadAt(buf, i*pageSize); err != nil && err != io.EOF {
			return walkMeta{}, err
		}
		m, ok := ReadBoltMeta(buf)
		if ok && m.Txid == txid {
			return walkMeta{BoltMeta: m, root: binary.LittleEndian.Uint64(buf[BoltPageHeader+16:])}, nil
		}
	}
	return walkMeta{}, ErrSnapshotMoved
}

// PageProblemsNow begins read transactions until one's meta is still in
// place, and returns its page problems.
func (d *DB) PageProblemsNow(ctx context.Context) (problems []string, err error) {
	for range maxSnapshotsTried {
		err = d.run(false, func(tx *bolt.Tx) error {
			problems, err = d.PageProblems(ctx, tx)
			return err
		})
		if !errors.Is(err, ErrSnapshotMoved) {
			return problems, err
		}
	}
	return []string{metaLost}, nil
}

// metaLost is the problem of a file none of whose metas is the one bbolt
// read, snapshot after snapshot: writers cannot commit that fast, so the
// page size or the metas bbolt was given must be wrong.
const metaLost = "meta pages: neither is the meta bbolt reads (is the page size damaged?)"

// bitset is a set of page ids below a bound fixed at creation.
type bitset []uint64

func newBitset(n uint64) bitset         { return make(bitset, (n+63)/64) }
func (b bitset) has(i uint64) bool      { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) set(i uint64)           { b[i/64] |= 1 << (i % 64) }
func (b bitset) hasAny(i, n uint64) int { return b.find(i, n, true) }

// find returns the offset from i of the first of n ids whose membership
// is want, or -1.
func (b bitset) find(i, n uint64, want bool) int {
	for k := uint64(0); k < n; k++ {
		if b.has(i+k) == want {
			return int(k)
		}
	}
	return -1
}

// pageWalk is the state of one walk.
type pageWalk struct {
	ctx      context.Context
	f        *os.File
	mem      []byte // the file as bbolt maps it, when the walk may read it there
	pageSize uint64
	pgid     uint64 // the high-water mark, capped by the file's size
	seen     bitset // metas, freelist span and pages reached
	free     bitset // ids on the freelist
	stack    []walkItem
	problems []string
	more     int // problems past maxPageProblems
	reads    int
}

// walkItem is a page to visit: its id, where the reference came from and
// the range its keys must lie in (min inclusive, max exclusive; nil is
// unbounded).
type walkItem struct {
	id, from uint64
	min, max []byte
}

// newPageWalk starts a walk of the snapshot m describes in a file of size
// bytes, capping the high-water mark at the pages the file holds.
func newPageWalk(ctx context.Context, f *os.File, pageSize, size int64, m walkMeta) *pageWalk {
	w := &pageWalk{ctx: ctx, f: f, pageSize: uint64(pageSize), pgid: m.Pgid}
	if pages := uint64(size / pageSize); m.Pgid > pages {
		w.report("meta (txid %d): %d pages in use, but the %d-byte file holds %d", m.Txid, m.Pgid, size, pages)
		w.pgid = pages
	}
	w.seen, w.free = newBitset(w.pgid), newBitset(w.pgid)
	return w
}

// report adds a problem, or counts it once maxPageProblems are listed.
func (w *pageWalk) report(format string, a ...any) {
	if len(w.problems) >= maxPageProblems {
		w.more++
		return
	}
	w.problems = append(w.problems, fmt.Sprintf(format, a...))
}

// lines returns the problems, the last line counting those left out.
func (w *pageWalk) lines() []string {
	if w.more > 0 {
		return append(w.problems, fmt.Sprintf("... and %d more", w.more))
	}
	return w.problems
}

// walk checks the metas' pages, the freelist, the tree from the root
// bucket down, and that every page is accounted for.
func (w *pageWalk) walk(m walkMeta) {
	for i := uint64(0); i < 2 && i < w.pgid; i++ {
		w.seen.set(i)
	}
	hasFreelist := m.Freelist != boltNoFreelist
	if hasFreelist {
		w.freelist(m.Freelist)
	}
	if m.root < 2 || m.root >= w.pgid {
		w.report("meta (txid %d): root page %d is outside pages 2..%d", m.Txid, m.root, w.pgid-1)
	} else {
		w.stack = append(w.stack, walkItem{id: m.root})
	}
	for len(w.stack) > 0 && w.ctx.Err() == nil {
		it := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		w.visit(it)
	}
	if hasFreelist && w.ctx.Err() == nil {
		w.unaccounted()
	}
}

// readPage reads the first page of the span starting at page id (which
// the caller has checked is below pgid). Later bytes are read on demand.
func (w *pageWalk) readPage(id uint64) (*pageSpan, error) {
	w.reads++
	if w.reads%walkCheckEvery == 0 && w.ctx.Err() != nil {
		return nil, w.ctx.Err()
	}
	head, err := w.read(int64(id*w.pageSize), w.pageSize)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	return &pageSpan{w: w, id: id, head: head, off: int64(id * w.pageSize),
		hdrID: le.Uint64(head), flags: le.Uint16(head[8:]), count: int(le.Uint16(head[10:])),
		overflow: uint64(le.Uint32(head[12:]))}, nil
}

// read returns n bytes of the file from offset off, which the caller has
// checked lie within the pages in use, and so within the file. It slices
// them out of bbolt's memory map when the walk has it: a walk at Open reads
// the first page of every branch and leaf page, and a read(2) for each was
// most of its time (45-53 ms of a 436 MB file, go test ./db -bench
// 'Open$'). The bytes must not be written.
func (w *pageWalk) read(off int64, n uint64) ([]byte, error) {
	if w.mem != nil && off >= 0 && uint64(off)+n <= uint64(len(w.mem)) {
		return w.mem[off : uint64(off)+n : uint64(off)+n], nil
	}
	b := make([]byte, n)
	if _, err := w.f.ReadAt(b, off); err != nil && err != io.EOF {
		return nil, err
	}
	return b, nil
}

// pageSpan is a page with its overflow, or a bucket's inline page.
type pageSpan struct {
	w        *pageWalk
	id       uint64 // the page, or for an inline page the page holding it
	inline   string // for an inline page, the bucket's key
	head     []byte // the first bytes (all of an inline page)
	off      int64  // where the span starts in the file
	size     uint64 // bytes in the span
	hdrID    uint64
	flags    uint16
	count    int
	overflow uint64
}

// name says where a problem is, for the start of a line.
func (s *pageSpan) name() string {
	if s.inline != "" {
		return fmt.Sprintf("page %d: inline bucket %s", s.id, s.inline)
	}
	return fmt.Sprintf("page %d", s.id)
}

// bytes returns n bytes from offset off of the span; the caller has checked
// that they lie inside it.
func (s *pageSpan) bytes(off, n uint64) ([]byte, error) {
	if off+n <= uint64(len(s.head)) {
		return s.head[off : off+n], nil
	}
	return s.w.read(s.off+int64(off), n)
}

// visit checks one page of the tree and queues its children.
func (w *pageWalk) visit(it walkItem) {
	if w.seen.has(it.id) {
		w.report("page %d: reached again from page %d (a cycle or a shared page)", it.id, it.from)
		return
	}
	s, err := w.readPage(it.id)
	if err != nil {
		w.report("page %d: %v", it.id, err)
		return
	}
	if w.free.has(it.id) {
		w.report("page %d: reached from page %d but on the freelist", it.id, it.from)
	}
	w.seen.set(it.id)
	switch {
	case s.hdrID != it.id:
		w.report("page %d: its header says page %d (reached from page %d)", it.id, s.hdrID, it.from)
		return
	case s.flags != BoltBranchFlag && s.flags != BoltLeafFlag:
		w.report("page %d: flags %#x, not a branch or leaf page (reached from page %d)", it.id, s.flags, it.from)
		return
	case s.overflow >= w.pgid-it.id:
		w.report("page %d: overflow %d runs past the %d pages in use", it.id, s.overflow, w.pgid)
		return
	}
	if k := w.seen.hasAny(it.id+1, s.overflow); k >= 0 {
		w.report("page %d: its overflow reaches page %d, which is in use elsewhere", it.id, it.id+1+uint64(k))
		return
	}
	for k := uint64(1); k <= s.overflow; k++ {
		w.seen.set(it.id + k)
	}
	s.size = (s.overflow + 1) * w.pageSize
	if s.flags == BoltBranchFlag {
		w.branch(s, it)
	} else {
		w.leaf(s, it)
	}
}

// elements checks that the span holds count element headers and returns
// them.
func (w *pageWalk) elements(s *pageSpan) ([]byte, bool) {
	need := BoltPageHeader + uint64(s.count)*BoltElemSize
	if need > s.size {
		w.report("%s: %d elements need %d bytes, past its %d-byte span", s.name(), s.count, need, s.size)
		return nil, false
	}
	b, err := s.bytes(BoltPageHeader, need-BoltPageHeader)
	if err != nil {
		w.report("%s: %v", s.name(), err)
		return nil, false
	}
	return b, true
}

// key reads element i's key at pos from the element (at elemOff) and
// checks that it, and vsize bytes of value after it, lie in the span.
func (w *pageWalk) key(s *pageSpan, i int, elemOff, pos, ksize, vsize uint64) ([]byte, bool) {
	start := elemOff + pos
	if end := start + ksize + vsize; end > s.size {
		w.report("%s: element %d ends at byte %d, past its %d-byte span", s.name(), i, end, s.size)
		return nil, false
	}
	if ksize > boltMaxKeySize || ksize == 0 {
		w.report("%s: element %d has a key of %d bytes", s.name(), i, ksize)
		return nil, false
	}
	k, err := s.bytes(start, ksize)
	if err != nil {
		w.report("%s: %v", s.name(), err)
		return nil, false
	}
	return append([]byte(nil), k...), true
}

// inOrder checks that key follows prev and lies in [it.min, it.max).
func (w *pageWalk) inOrder(s *pageSpan, i int, key, prev []byte, it walkItem) bool {
	switch {
	case prev != nil && string(key) <= string(prev):
		w.report("%s: key of element %d (%x) is not after the one before (%x)", s.name(), i, trimKey(key), trimKey(prev))
	case it.min != nil && string(key) < string(it.min):
		w.report("%s: key of element %d (%x) is below its parent's range, which starts at %x", s.name(), i, trimKey(key), trimKey(it.min))
	case it.max != nil && string(key) >= string(it.max):
		w.report("%s: key of element %d (%x) is past its parent's range, which ends before %x", s.name(), i, trimKey(key), trimKey(it.max))
	default:
		return true
	}
	return false
}

// trimKey shortens a key for a problem's line: keys may be 32 KiB.
func trimKey(k []byte) []byte { return k[:min(len(k), 16)] }

// branch checks a branch page and queues its children, each with the key
// range its parent gives it.
func (w *pageWalk) branch(s *pageSpan, it walkItem) {
	if s.count == 0 {
		w.report("%s: a branch page with no elements", s.name())
		return
	}
	els, ok := w.elements(s)
	if !ok {
		return
	}
	le := binary.LittleEndian
	keys := make([][]byte, s.count)
	kids := make([]uint64, s.count)
	for i := range s.count {
		e := els[i*BoltElemSize:]
		k, ok := w.key(s, i, BoltPageHeader+uint64(i)*BoltElemSize, uint64(le.Uint32(e)), uint64(le.Uint32(e[4:])), 0)
		if !ok || !w.inOrder(s, i, k, prevKey(keys, i), it) {
			return // the ranges of the children are unknown
		}
		keys[i], kids[i] = k, le.Uint64(e[8:])
		if kids[i] < 2 || kids[i] >= w.pgid {
			w.report("%s: element %d points to page %d, outside pages 2..%d", s.name(), i, kids[i], w.pgid-1)
			return
		}
	}
	for i := s.count - 1; i >= 0; i-- {
		next := it.max
		if i+1 < s.count {
			next = keys[i+1]
		}
		lo := keys[i]
		if i == 0 {
			lo = it.min // bbolt leaves a branch's first key stale when deleting
		}
		w.stack = append(w.stack, walkItem{id: kids[i], from: s.id, min: lo, max: next})
	}
}

// prevKey returns the key before element i, or nil for the first.
func prevKey(keys [][]byte, i int) []byte {
	if i == 0 {
		return nil
	}
	return keys[i-1]
}

// leaf checks a leaf page (or an inline one) and the buckets it holds.
func (w *pageWalk) leaf(s *pageSpan, it walkItem) {
	els, ok := w.elements(s)
	if !ok {
		return
	}
	le := binary.LittleEndian
	var prev []byte
	for i := range s.count {
		e := els[i*BoltElemSize:]
		flags, pos, ksize, vsize := le.Uint32(e), uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		k, ok := w.key(s, i, BoltPageHeader+uint64(i)*BoltElemSize, pos, ksize, vsize)
		if !ok || !w.inOrder(s, i, k, prev, it) {
			return
		}
		prev = k
		if flags&^boltBucketFlag != 0 {
			w.report("%s: element %d has flags %#x", s.name(), i, flags)
		}
		if flags&boltBucketFlag != 0 {
			w.bucket(s, i, k, BoltPageHeader+uint64(i)*BoltElemSize+pos+ksize, vsize)
		}
	}
}

// bucket checks the value of a bucket element: a root page to queue, or
// an inline page to check now.
func (w *pageWalk) bucket(s *pageSpan, i int, key []byte, off, vsize uint64) {
	if vsize < BoltBucketHeader || vsize > w.pageSize {
		w.report("%s: bucket %x (element %d) has a value of %d bytes", s.name(), trimKey(key), i, vsize)
		return
	}
	v, err := s.bytes(off, vsize)
	if err != nil {
		w.report("%s: %v", s.name(), err)
		return
	}
	root := binary.LittleEndian.Uint64(v)
	if root != 0 {
		if root < 2 || root >= w.pgid {
			w.report("%s: bucket %x (element %d) has root page %d, outside pages 2..%d", s.name(), trimKey(key), i, root, w.pgid-1)
			return
		}
		w.stack = append(w.stack, walkItem{id: root, from: s.id})
		return
	}
	page := v[BoltBucketHeader:]
	in := &pageSpan{w: w, id: s.id, inline: fmt.Sprintf("%x", trimKey(key)), head: page, size: uint64(len(page))}
	if len(page) < BoltPageHeader {
		w.report("%s: inline page of %d bytes", in.name(), len(page))
		return
	}
	le := binary.LittleEndian
	in.flags, in.count = le.Uint16(page[8:]), int(le.Uint16(page[10:]))
	if in.flags != BoltLeafFlag {
		w.report("%s: inline page has flags %#x, not a leaf", in.name(), in.flags)
		return
	}
	// An inline page lies inside its parent's value, so nesting shrinks.
	w.leaf(in, walkItem{from: s.id})
}

// freelist checks the freelist page and marks its ids free.
func (w *pageWalk) freelist(id uint64) {
	if id < 2 || id >= w.pgid {
		w.report("meta: freelist page %d is outside pages 2..%d", id, w.pgid-1)
		return
	}
	s, err := w.readPage(id)
	if err != nil {
		w.report("page %d (freelist): %v", id, err)
		return
	}
	switch {
	case s.flags != boltFreelistFlag:
		w.report("page %d: flags %#x, but the meta names it the freelist", id, s.flags)
		return
	case s.overflow >= w.pgid-id:
		w.report("page %d (freelist): overflow %d runs past the %d pages in use", id, s.overflow, w.pgid)
		return
	}
	for k := uint64(0); k <= s.overflow; k++ {
		w.seen.set(id + k)
	}
	s.size = (s.overflow + 1) * w.pageSize
	first, count := uint64(0), uint64(s.count)
	if s.count == 0xFFFF {
		first, count = 1, binary.LittleEndian.Uint64(s.head[BoltPageHeader:])
	}
	if room := (s.size - BoltPageHeader) / 8; count > room-first {
		w.report("page %d (freelist): %d ids, past the %d its %d-byte span holds", id, count, room-first, s.size)
		return
	}
	w.freeIDs(s, first, count)
}

// freeIDs reads count ids from slot first of the freelist span s, a chunk
// at a time, and marks them free.
func (w *pageWalk) freeIDs(s *pageSpan, first, count uint64) {
	const chunk = 8192
	for done := uint64(0); done < count; {
		n := min(count-done, chunk)
		b, err := s.bytes(BoltPageHeader+(first+done)*8, n*8)
		if err != nil {
			w.report("page %d (freelist): %v", s.id, err)
			return
		}
		for j := uint64(0); j < n; j++ {
			p := binary.LittleEndian.Uint64(b[j*8:])
			switch {
			case p < 2 || p >= w.pgid:
				w.report("page %d (freelist): free id %d is outside pages 2..%d", s.id, p, w.pgid-1)
			case w.free.has(p):
				w.report("page %d: freed twice", p)
			case w.seen.has(p):
				w.report("page %d: on the freelist, but part of the freelist's own span", p)
			default:
				w.free.set(p)
			}
		}
		done += n
	}
}

// unaccounted reports pages neither reached nor free, a run per line.
func (w *pageWalk) unaccounted() {
	for i := uint64(0); i < w.pgid; {
		if w.seen.has(i) || w.free.has(i) {
			i++
			continue
		}
		j := i + 1
		for j < w.pgid && !w.seen.has(j) && !w.free.has(j) {
			j++
		}
		if j == i+1 {
			w.report("page %d: neither reachable nor free", i)
		} else {
			w.report("pages %d-%d: neither reachable nor free", i, j-1)
		}
		i = j
	}
}

// walkAtOpen walks the page structure once when the file is opened, before
// anything reads it through bbolt. bbolt trusts the structure: on a damaged
// file a statement could recurse until the stack overflows, loop without
// end or fault in a goroutine of bbolt's, none of which recover can turn
// into an error. A file with damage opens, but only Check runs on it; its
// other statements get ErrCorrupt. The walk reads the branch and leaf
// pages' first pages, not the values that overflow them.
func (d *DB) walkAtOpen() error {
	problems, err := d.PageProblemsNow(context.Background())
	if err != nil {
		return err
	}
	d.damage = problems
	return nil
}

// refuseDamaged returns ErrCorrupt, naming the first problem, if Open found
// the file's page structure damaged.
func (d *DB) refuseDamaged() error {
	if len(d.damage) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s (CHECK DATABASE lists every problem)", ErrCorrupt, d.damage[0])
}

// mappedFile returns the first size bytes of bbolt's memory map of the
// file. It is only to be read inside a transaction (which keeps bbolt from
// remapping) and inside run, where a fault (the file cut short under the
// map) becomes ErrCorrupt. It returns nil when bbolt has no map, and the
// walk then reads with ReadAt.
func mappedFile(bdb *bolt.DB, size int64) []byte {
	info := bdb.Info()
	if info == nil || info.Data == 0 || size <= 0 {
		return nil
	}
	// bbolt maps at least the whole file: it grows the map before the file
	// and never shrinks it while a transaction is open. The map is not Go
	// memory, so the garbage collector cannot move what bbolt's uintptr
	// points to.
	p := *(*unsafe.Pointer)(unsafe.Pointer(&info.Data))
	return unsafe.Slice((*byte)(p), size)
}
