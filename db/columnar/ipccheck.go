//go:build !nocolumnar

package columnar

import (
	"encoding/binary"
	"errors"
	"io"
)

// The Arrow library trusts the lengths in an IPC file's flatbuffers: a
// damaged file can make it allocate gigabytes, a fatal error no recover
// catches (found by FuzzReader). checkIPC walks the metadata first,
// checking every length that leads to an allocation against the bytes
// that are there: the schema's fields, names and metadata, and the
// position and size of every message body.

// errIPC is what checkIPC reports; newArrowSource wraps it in ErrFormat.
var errIPC = errors.New("damaged Arrow IPC metadata")

// fb is a flatbuffer with bounds-checked accessors.
type fb []byte

func (b fb) u32(p int) (int, bool) {
	if p < 0 || p+4 > len(b) {
		return 0, false
	}
	return int(binary.LittleEndian.Uint32(b[p:])), true
}

func (b fb) u16(p int) (int, bool) {
	if p < 0 || p+2 > len(b) {
		return 0, false
	}
	return int(binary.LittleEndian.Uint16(b[p:])), true
}

// field returns the position of field i of the table at t, or 0 if absent.
func (b fb) field(t, i int) (int, error) {
	so, ok := b.u32(t)
	if !ok {
		return 0, errIPC
	}
	vt := t - int(int32(so))
	vsize, ok := b.u16(vt)
	if !ok || vsize < 4 {
		return 0, errIPC
	}
	if 4+2*i+2 > vsize {
		return 0, nil
	}
	off, ok := b.u16(vt + 4 + 2*i)
	if !ok {
		return 0, errIPC
	}
	if off == 0 {
		return 0, nil
	}
	return t + off, nil
}

// ref follows the offset stored in field i of table t (to a table, vector
// or string); 0 if absent.
func (b fb) ref(t, i int) (int, error) {
	p, err := b.field(t, i)
	if p == 0 || err != nil {
		return 0, err
	}
	o, ok := b.u32(p)
	if !ok || p+o >= len(b) {
		return 0, errIPC
	}
	return p + o, nil
}

// vector checks the vector in field i of table t, of elements of size
// bytes, and returns its position and length.
func (b fb) vector(t, i, size int) (pos, n int, err error) {
	v, err := b.ref(t, i)
	if v == 0 || err != nil {
		return 0, 0, err
	}
	n, ok := b.u32(v)
	if !ok || n > (len(b)-v-4)/size {
		return 0, 0, errIPC
	}
	return v + 4, n, nil
}

// tables checks a vector of tables in field i of t with fn.
func (b fb) tables(t, i int, fn func(int) error) error {
	pos, n, err := b.vector(t, i, 4)
	if err != nil {
		return err
	}
	for j := range n {
		o, _ := b.u32(pos + 4*j)
		if pos+4*j+o >= len(b) {
			return errIPC
		}
		if err := fn(pos + 4*j + o); err != nil {
			return err
		}
	}
	return nil
}

// keyValues checks custom_metadata, a vector of (key, value) strings.
func (b fb) keyValues(t, i int) error {
	return b.tables(t, i, func(kv int) error {
		for f := range 2 {
			if _, _, err := b.vector(kv, f, 1); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkField checks a Field table and its children.
func (b fb) checkField(f, depth int) error {
	if depth > 64 {
		return errIPC
	}
	if _, _, err := b.vector(f, 0, 1); err != nil { // name
		return err
	}
	if tt, _ := b.field(f, 2); tt != 0 && tt < len(b) && b[tt] == 14 { // a Union's typeIds
		if ty, err := b.ref(f, 3); err != nil || (ty != 0 && b.vectorErr(ty, 1, 4) != nil) {
			return errIPC
		}
	}
	if err := b.keyValues(f, 6); err != nil {
		return err
	}
	return b.tables(f, 5, func(c int) error { return b.checkField(c, depth+1) })
}

func (b fb) vectorErr(t, i, size int) error {
	_, _, err := b.vector(t, i, size)
	return err
}

// checkSchema checks a Schema table.
func (b fb) checkSchema(s int) error {
	if s == 0 {
		return errIPC
	}
	if err := b.keyValues(s, 2); err != nil {
		return err
	}
	if _, _, err := b.vector(s, 3, 8); err != nil {
		return err
	}
	return b.tables(s, 1, func(f int) error { return b.checkField(f, 0) })
}

// checkMessage checks one IPC Message flatbuffer and returns its body
// length. A RecordBatch's nodes and buffers must fit in it.
func checkMessage(b fb) (int64, error) {
	root, ok := b.u32(0)
	if !ok || root >= len(b) {
		return 0, errIPC
	}
	if err := b.keyValues(root, 4); err != nil {
		return 0, err
	}
	var body int64
	if p, err := b.field(root, 3); err != nil {
		return 0, err
	} else if p != 0 {
		if p+8 > len(b) {
			return 0, errIPC
		}
		body = int64(binary.LittleEndian.Uint64(b[p:]))
	}
	typ := 0
	if p, err := b.field(root, 1); err != nil {
		return 0, err
	} else if p != 0 && p < len(b) {
		typ = int(b[p])
	}
	h, err := b.ref(root, 2)
	if err != nil {
		return 0, err
	}
	switch typ {
	case 1: // Schema
		err = b.checkSchema(h)
	case 3, 2: // RecordBatch, or a DictionaryBatch holding one
		if h != 0 && typ == 2 {
			h, err = b.ref(h, 1)
		}
		if h != 0 && err == nil {
			for f, size := range map[int]int{1: 16, 2: 16, 4: 8} {
				if _, _, err = b.vector(h, f, size); err != nil {
					break
				}
			}
		}
	}
	return body, err
}

// checkIPCFile checks an Arrow IPC file of the given size: its footer's
// schema, and that every block it lists lies within the file.
func checkIPCFile(ra io.ReaderAt, size int64) error {
	if size < 18 {
		return errIPC
	}
	tail := make([]byte, 10)
	if _, err := ra.ReadAt(tail, size-10); err != nil {
		return err
	}
	flen := int64(int32(binary.LittleEndian.Uint32(tail)))
	if flen <= 0 || flen > size-18 {
		return errIPC
	}
	b := make(fb, flen)
	if _, err := ra.ReadAt(b, size-10-flen); err != nil {
		return err
	}
	root, ok := b.u32(0)
	if !ok || root >= len(b) {
		return errIPC
	}
	s, err := b.ref(root, 1)
	if err != nil {
		return err
	}
	if err := b.checkSchema(s); err != nil {
		return err
	}
	for _, f := range []int{2, 3} { // dictionaries, record batches: Blocks
		pos, n, err := b.vector(root, f, 24)
		if err != nil {
			return err
		}
		for j := range n {
			blk := b[pos+24*j:]
			off := int64(binary.LittleEndian.Uint64(blk))
			meta := int64(int32(binary.LittleEndian.Uint32(blk[8:])))
			body := int64(binary.LittleEndian.Uint64(blk[16:]))
			if off < 8 || meta < 0 || body < 0 || meta > size || body > size || off+meta+body > size {
				return errIPC
			}
			if err := checkMessageAt(ra, off, meta, size-off-meta); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkMessageAt checks the message whose prefix and flatbuffer (meta
// bytes in all) start at off, and that its body fits in room bytes.
func checkMessageAt(ra io.ReaderAt, off, meta, room int64) error {
	if meta < 8 || meta > 64<<20 {
		return errIPC
	}
	b := make(fb, meta)
	if _, err := ra.ReadAt(b, off); err != nil {
		return errIPC
	}
	start := 4
	if binary.LittleEndian.Uint32(b) == 0xffffffff {
		start = 8
	}
	body, err := checkMessage(b[start:])
	if err != nil {
		return err
	}
	if body < 0 || body > room {
		return errIPC
	}
	return nil
}

// checkIPCStream walks an Arrow IPC stream of the given size message by
// message, checking each one and that its body is there.
func checkIPCStream(ra io.ReaderAt, size int64) error {
	var off int64
	for off+8 <= size {
		head := make([]byte, 8)
		if _, err := ra.ReadAt(head, off); err != nil {
			return errIPC
		}
		n, skip := int64(binary.LittleEndian.Uint32(head[4:])), int64(8)
		if binary.LittleEndian.Uint32(head) != 0xffffffff {
			n, skip = int64(binary.LittleEndian.Uint32(head)), 4 // the pre-0.15 prefix
		}
		if n == 0 {
			return nil // end of stream
		}
		if n < 0 || off+skip+n > size {
			return errIPC
		}
		b := make(fb, n)
		if _, err := ra.ReadAt(b, off+skip); err != nil {
			return errIPC
		}
		body, err := checkMessage(b)
		if err != nil {
			return err
		}
		if body < 0 || body > size-off-skip-n {
			return errIPC
		}
		off += skip + n + body
	}
	return nil
}

// ipcSize returns the size of what ra holds.
func ipcSize(ra io.Seeker) (int64, error) {
	n, err := ra.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	if _, err := ra.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return n, nil
}
