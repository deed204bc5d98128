package index

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"math/bits"
	"unsafe"
)

// The serialized form of an index, version 1, all integers little-endian:
//
//	magic     [8]byte "embdbidx"
//	kind      uint8   1 = Flat, 2 = HNSW, 3 = quantized HNSW
//	version   uint8   1
//	reserved  [2]byte zero
//	header and arrays of the kind (see writeFlat and writeHNSW)
//	checksum  uint32  CRC-32C of every byte before it
//
// Arrays are written as raw little-endian elements, so that loading a large
// index is a few big reads.
const (
	magic         = "embdbidx"
	kindFlat      = 1
	kindHNSW      = 2
	kindHNSWQ     = 3
	formatVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// littleEndian reports whether the machine stores integers little-endian, in
// which case arrays are read and written without conversion.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// encoder writes through a buffer, keeping the byte count and the checksum.
type encoder struct {
	w   *bufio.Writer
	crc hash.Hash32
	n   int64
	err error
	tmp [8]byte
}

func newEncoder(w io.Writer) *encoder {
	return &encoder{w: bufio.NewWriterSize(w, 1<<20), crc: crc32.New(castagnoli)}
}

func (e *encoder) bytes(p []byte) {
	if e.err != nil {
		return
	}
	e.crc.Write(p)
	n, err := e.w.Write(p)
	e.n += int64(n)
	e.err = err
}

func (e *encoder) u8(v uint8) { e.tmp[0] = v; e.bytes(e.tmp[:1]) }
func (e *encoder) u32(v uint32) {
	binary.LittleEndian.PutUint32(e.tmp[:4], v)
	e.bytes(e.tmp[:4])
}
func (e *encoder) u64(v uint64) {
	binary.LittleEndian.PutUint64(e.tmp[:8], v)
	e.bytes(e.tmp[:8])
}

// slice writes the elements of s little-endian.
func writeSlice[E uint8 | uint32 | uint64 | float32](e *encoder, s []E) {
	if len(s) == 0 {
		return
	}
	size := int(unsafe.Sizeof(s[0]))
	if littleEndian {
		e.bytes(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*size))
		return
	}
	buf := make([]byte, 0, 1<<16)
	for _, x := range s {
		var v uint64
		switch y := any(x).(type) {
		case uint8:
			v = uint64(y)
		case uint32:
			v = uint64(y)
		case uint64:
			v = y
		case float32:
			v = uint64(math.Float32bits(y))
		}
		buf = binary.LittleEndian.AppendUint64(buf, v)[:len(buf)+size]
		if len(buf)+8 > cap(buf) {
			e.bytes(buf)
			buf = buf[:0]
		}
	}
	e.bytes(buf)
}

func (e *encoder) header(kind uint8) {
	e.bytes([]byte(magic))
	e.bytes([]byte{kind, formatVersion, 0, 0})
}

// finish writes the checksum and flushes.
func (e *encoder) finish() (int64, error) {
	sum := e.crc.Sum32()
	if e.err == nil {
		binary.LittleEndian.PutUint32(e.tmp[:4], sum)
		n, err := e.w.Write(e.tmp[:4])
		e.n += int64(n)
		e.err = err
	}
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.n, e.err
}

// decoder reads through a buffer, keeping the checksum. Its first error
// sticks; later reads return zeros.
type decoder struct {
	r   *bufio.Reader
	crc hash.Hash32
	err error
	tmp [8]byte
}

func newDecoder(r io.Reader) *decoder {
	return &decoder{r: bufio.NewReaderSize(r, 1<<20), crc: crc32.New(castagnoli)}
}

func (d *decoder) full(p []byte) {
	if d.err != nil {
		clear(p)
		return
	}
	if _, err := io.ReadFull(d.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("truncated: %w", ErrCorrupt)
		}
		d.err = err
		clear(p)
		return
	}
	d.crc.Write(p)
}

func (d *decoder) u8() uint8 { d.full(d.tmp[:1]); return d.tmp[0] }
func (d *decoder) u32() uint32 {
	d.full(d.tmp[:4])
	return binary.LittleEndian.Uint32(d.tmp[:4])
}
func (d *decoder) u64() uint64 {
	d.full(d.tmp[:8])
	return binary.LittleEndian.Uint64(d.tmp[:8])
}

// readSlice reads n little-endian elements. It never allocates much more than
// the input holds: it grows the slice as data arrives, so a corrupt length
// fails with ErrCorrupt instead of exhausting memory.
func readSlice[E uint8 | uint32 | uint64 | float32](d *decoder, n uint64) []E {
	if d.err != nil || n == 0 {
		return nil
	}
	var zero E
	size := uint64(unsafe.Sizeof(zero))
	if n > math.MaxInt/size {
		d.err = fmt.Errorf("array of %d elements: %w", n, ErrCorrupt)
		return nil
	}
	const step = 1 << 22 // bytes allocated before any data arrives
	s := make([]E, 0, min(n, step/size))
	for uint64(len(s)) < n && d.err == nil {
		if len(s) == cap(s) {
			t := make([]E, len(s), min(n, 2*uint64(cap(s))))
			copy(t, s)
			s = t
		}
		lo := len(s)
		s = s[:cap(s)]
		d.full(unsafe.Slice((*byte)(unsafe.Pointer(&s[lo])), (len(s)-lo)*int(size)))
	}
	if d.err != nil {
		return nil
	}
	if !littleEndian {
		for i := range s {
			p := unsafe.Slice((*byte)(unsafe.Pointer(&s[i])), size)
			switch size {
			case 4:
				binary.NativeEndian.PutUint32(p, binary.LittleEndian.Uint32(p))
			case 8:
				binary.NativeEndian.PutUint64(p, binary.LittleEndian.Uint64(p))
			}
		}
	}
	return s
}

// start reads and checks the magic, kind and version.
func (d *decoder) start(kind uint8) error {
	_, err := d.startAny(kind)
	return err
}

// startAny reads and checks the magic, kind (one of kinds) and version,
// and returns the kind.
func (d *decoder) startAny(kinds ...uint8) (uint8, error) {
	var h [12]byte
	d.full(h[:])
	if d.err != nil {
		return 0, d.err
	}
	if string(h[:8]) != magic {
		return 0, fmt.Errorf("bad magic %q: %w", h[:8], ErrCorrupt)
	}
	if !bytes.Contains(kinds, h[8:9]) {
		return 0, fmt.Errorf("index kind %d, want %d: %w", h[8], kinds[0], ErrCorrupt)
	}
	kind := h[8]
	if h[9] != formatVersion {
		return 0, fmt.Errorf("format version %d, this build reads %d: %w", h[9], formatVersion, ErrVersion)
	}
	if h[10] != 0 || h[11] != 0 {
		return 0, fmt.Errorf("reserved header bytes set: %w", ErrCorrupt)
	}
	return kind, nil
}

// finish checks the trailing checksum.
func (d *decoder) finish() error {
	if d.err != nil {
		return d.err
	}
	want := d.crc.Sum32()
	var b [4]byte
	if _, err := io.ReadFull(d.r, b[:]); err != nil {
		return fmt.Errorf("checksum: truncated: %w", ErrCorrupt)
	}
	if got := binary.LittleEndian.Uint32(b[:]); got != want {
		return fmt.Errorf("checksum %08x, want %08x: %w", got, want, ErrCorrupt)
	}
	return nil
}

// WriteTo writes the index in the versioned binary format that ReadFlat
// reads, returning the number of bytes written.
func (f *Flat) WriteTo(w io.Writer) (int64, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	e := newEncoder(w)
	e.header(kindFlat)
	e.u32(uint32(f.dim))
	e.u8(uint8(f.metric))
	e.u64(uint64(len(f.ids)))
	writeSlice(e, f.ids)
	writeSlice(e, f.floatRows())
	n, err := e.finish()
	if err != nil {
		return n, fmt.Errorf("write flat index: %w", err)
	}
	return n, nil
}

// ReadFlat reads an index that Flat.WriteTo wrote. It returns an error
// wrapping ErrCorrupt (never panics) if the data is truncated or damaged, and
// ErrVersion if it was written in a newer format.
func ReadFlat(r io.Reader) (*Flat, error) {
	f, err := readFlat(newDecoder(r))
	if err != nil {
		return nil, fmt.Errorf("read flat index: %w", err)
	}
	return f, nil
}

func readFlat(d *decoder) (*Flat, error) {
	if err := d.start(kindFlat); err != nil {
		return nil, err
	}
	dim := d.u32()
	metric := Metric(d.u8())
	n := d.u64()
	if d.err != nil {
		return nil, d.err
	}
	if dim < 1 || dim > MaxDim || !metric.valid() || n > math.MaxUint32 {
		return nil, fmt.Errorf("header dim %d metric %d rows %d: %w", dim, metric, n, ErrCorrupt)
	}
	ids := readSlice[uint32](d, n)
	vecs := readSlice[float32](d, n*uint64(dim))
	if err := d.finish(); err != nil {
		return nil, err
	}
	if err := CheckFinite(vecs); err != nil {
		return nil, fmt.Errorf("vectors: %v: %w", err, ErrCorrupt)
	}
	f := &Flat{dim: int(dim), metric: metric, vecs: vecs, ids: ids, slotOf: make(map[uint32]uint32, n)}
	for s, id := range ids {
		if _, dup := f.slotOf[id]; dup {
			return nil, fmt.Errorf("row %d stored twice: %w", id, ErrCorrupt)
		}
		f.slotOf[id] = uint32(s)
	}
	return f, nil
}

// WriteTo writes the index, graph included, in the versioned binary format
// that ReadHNSW reads, returning the number of bytes written. Searches may
// run meanwhile; writers wait.
func (h *HNSW) WriteTo(w io.Writer) (int64, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	e := newEncoder(w)
	quant := h.opts.Quantization != QuantNone
	if quant {
		e.header(kindHNSWQ)
	} else {
		e.header(kindHNSW)
	}
	e.u32(uint32(h.dim))
	e.u8(uint8(h.opts.Metric))
	e.u32(uint32(h.opts.M))
	e.u32(uint32(h.opts.EfConstruction))
	e.u32(uint32(h.opts.EfSearch))
	e.u64(uint64(h.opts.Seed))
	e.u64(uint64(len(h.ids)))
	e.u32(h.entry)
	e.u32(uint32(int32(h.top)))
	e.u64(uint64(len(h.upper)))
	if quant {
		e.u8(uint8(h.opts.Quantization))
		e.u32(uint32(h.opts.Rescore))
		e.u8(boolByte(!h.noVecs))
	}
	writeSlice(e, h.ids)
	writeSlice(e, h.levels)
	writeSlice(e, h.deleted)
	writeSlice(e, h.vecs)
	writeSlice(e, h.links0Words())
	writeSlice(e, h.upperOff)
	writeSlice(e, h.upper)
	if quant {
		h.writeCodes(e)
	}
	n, err := e.finish()
	if err != nil {
		return n, fmt.Errorf("write hnsw index: %w", err)
	}
	return n, nil
}

// ReadHNSW reads an index that HNSW.WriteTo wrote; nothing is rebuilt. It
// checks every link, level and offset of the graph, so that a damaged file
// gives an error wrapping ErrCorrupt and never a panic, and returns
// ErrVersion if the data was written in a newer format. Options.Workers of
// the result is 0 (all cores).
func ReadHNSW(r io.Reader) (*HNSW, error) {
	h, err := readHNSW(newDecoder(r))
	if err != nil {
		return nil, fmt.Errorf("read hnsw index: %w", err)
	}
	h.adviseHugePages()
	return h, nil
}

func readHNSW(d *decoder) (*HNSW, error) {
	kind, err := d.startAny(kindHNSW, kindHNSWQ)
	if err != nil {
		return nil, err
	}
	dim := d.u32()
	o := Options{Metric: Metric(d.u8())}
	m, efc, efs := d.u32(), d.u32(), d.u32()
	o.Seed = int64(d.u64())
	n := d.u64()
	entry := d.u32()
	top := int32(d.u32())
	upperLen := d.u64()
	hasVecs := true
	if kind == kindHNSWQ {
		o.Quantization = Quantization(d.u8())
		o.Rescore = int(d.u32())
		hv := d.u8()
		if (o.Quantization == QuantNone || hv > 1 || o.Rescore == 0) && d.err == nil {
			return nil, fmt.Errorf("header quantization %d vectors %d: %w", o.Quantization, hv, ErrCorrupt)
		}
		hasVecs = hv == 1
	}
	if d.err != nil {
		return nil, d.err
	}
	if dim < 1 || dim > MaxDim || m > MaxM || efc > MaxEfConstruction || efs > MaxEfSearch ||
		m == 0 || efc == 0 || efs == 0 || n > math.MaxUint32/2 || upperLen > math.MaxUint32 {
		return nil, fmt.Errorf("header dim %d m %d ef_construction %d ef_search %d slots %d: %w",
			dim, m, efc, efs, n, ErrCorrupt)
	}
	o.M, o.EfConstruction, o.EfSearch = int(m), int(efc), int(efs)
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("header: %v: %w", err, ErrCorrupt)
	}
	h := newHNSW(int(dim), o)
	h.entry, h.top = entry, int(top)
	h.ids = readSlice[uint32](d, n)
	h.levels = readSlice[uint8](d, n)
	h.deleted = readSlice[uint64](d, (n+63)/64)
	if hasVecs {
		h.vecs = readSlice[float32](d, n*uint64(dim))
	}
	h.noVecs = !hasVecs
	h.links0 = readSlice[uint32](d, n*uint64(h.m0+1))
	h.upperOff = readSlice[uint32](d, n)
	h.upper = readSlice[uint32](d, upperLen)
	if kind == kindHNSWQ {
		h.readCodes(d, n)
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	if err := h.check(); err != nil {
		return nil, err
	}
	if err := h.checkCodes(); err != nil {
		return nil, err
	}
	h.freeze()
	return h, nil
}

// check validates a graph read from outside: every index it will follow
// must be in range, so that searches cannot panic.
func (h *HNSW) check() error {
	n := uint64(len(h.ids))
	if n == 0 {
		if h.top != -1 || len(h.upper) != 0 {
			return fmt.Errorf("empty graph with entry layer %d: %w", h.top, ErrCorrupt)
		}
		return nil
	}
	if h.top < 0 || h.top > maxLayer || uint64(h.entry) >= n || int(h.levels[h.entry]) != h.top {
		return fmt.Errorf("entry point %d on layer %d: %w", h.entry, h.top, ErrCorrupt)
	}
	if err := CheckFinite(h.vecs); err != nil {
		return fmt.Errorf("vectors: %v: %w", err, ErrCorrupt)
	}
	for i := n; i < uint64(len(h.deleted))*64; i++ {
		if h.deleted[i>>6]&(1<<(i&63)) != 0 {
			return fmt.Errorf("deleted bit %d past the last slot: %w", i, ErrCorrupt)
		}
	}
	for _, w := range h.deleted {
		h.nDeleted += bits.OnesCount64(w)
	}
	h.moved = make(map[uint32]uint32)
	for s := range uint32(n) {
		level := int(h.levels[s])
		if level > h.top {
			return fmt.Errorf("slot %d on layer %d above the entry's %d: %w", s, level, h.top, ErrCorrupt)
		}
		if level > 0 && uint64(h.upperOff[s])+uint64(level*(h.m+1)) > uint64(len(h.upper)) {
			return fmt.Errorf("slot %d: upper links out of range: %w", s, ErrCorrupt)
		}
		for l := 0; l <= level; l++ {
			b := h.block(s, l)
			if int(b[0]) > h.maxM(l) {
				return fmt.Errorf("slot %d layer %d: %d neighbours: %w", s, l, b[0], ErrCorrupt)
			}
			for _, x := range b[1 : 1+b[0]] {
				if uint64(x) >= n || int(h.levels[x]) < l {
					return fmt.Errorf("slot %d layer %d: bad neighbour %d: %w", s, l, x, ErrCorrupt)
				}
			}
		}
		if h.isDeleted(s) {
			continue
		}
		id := h.ids[s]
		_, twice := h.moved[id]
		atOwn := uint64(id) < n && h.ids[id] == id && !h.isDeleted(id) // live in slot id too
		if twice || (id != s && atOwn) {
			return fmt.Errorf("row %d stored twice: %w", id, ErrCorrupt)
		}
		if id != s {
			h.moved[id] = s
		}
		h.live++
	}
	return nil
}

// ReadIndex reads an index that Flat.WriteTo or HNSW.WriteTo wrote,
// whichever it is, with the same checks as ReadFlat and ReadHNSW.
func ReadIndex(r io.Reader) (Index, error) {
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fmt.Errorf("read index: truncated header: %w", ErrCorrupt)
	}
	if string(head[:8]) != magic {
		return nil, fmt.Errorf("read index: bad magic %q: %w", head[:8], ErrCorrupt)
	}
	r = io.MultiReader(bytes.NewReader(head[:]), r)
	switch head[8] {
	case kindFlat:
		return ReadFlat(r)
	case kindHNSW, kindHNSWQ:
		return ReadHNSW(r)
	}
	return nil, fmt.Errorf("read index: unknown index kind %d: %w", head[8], ErrCorrupt)
}
