package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The parts of bbolt's file format that precheck reads (go.etcd.io/bbolt,
// internal/common): a page starts with a 16-byte header (id, flags, count,
// overflow); pages 0 and 1 hold a meta each, right after the header.
const (
	BoltPageHeader   = 16
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltFreelistFlag = 0x10
	boltNoFreelist   = ^uint64(0)
)

// BoltMeta is the part of a meta page precheck needs.
type BoltMeta struct {
	pageSize uint32
	Freelist uint64 // page id of the freelist
	Pgid     uint64 // high-water mark: pages in use end here
	Txid     uint64
}

// ReadBoltMeta decodes the meta at the start of page b; ok is false when it
// fails bbolt's validation (magic, version, checksum).
func ReadBoltMeta(b []byte) (m BoltMeta, ok bool) {
	if len(b) < BoltPageHeader+64 {
		return m, false
	}
	b = b[BoltPageHeader:]
	h := fnv.New64a()
	h.Write(b[:56])
	le := binary.LittleEndian
	if le.Uint32(b) != boltMagic || le.Uint32(b[4:]) != boltVersion || le.Uint64(b[56:]) != h.Sum64() {
		return m, false
	}
	return BoltMeta{pageSize: le.Uint32(b[8:]), Freelist: le.Uint64(b[32:]), Pgid: le.Uint64(b[40:]),
		Txid: le.Uint64(b[48:])}, true
}

// checkBoltFile looks, before bbolt opens the file, at what bbolt.Open reads
// and trusts: the meta it will choose and the freelist page it points to.
// bbolt panics on a freelist page that is not one, or one that runs past the
// file, after it has locked the file, and a recovered panic cannot release
// that lock: the process could not open the file again. checkBoltFile turns
// that damage into ErrCorrupt first. It returns nil whenever it cannot tell
// (no such file, no valid meta): bbolt then gives its own answer.
func checkBoltFile(f *os.File, size int64) error {
	var head [4096]byte
	n, _ := f.ReadAt(head[:], 0)
	m0, ok0 := ReadBoltMeta(head[:n])
	pageSize := int64(4096)
	if ok0 {
		pageSize = int64(m0.pageSize)
	}
	if pageSize < 1024 || pageSize > 1<<24 || pageSize&(pageSize-1) != 0 {
		return nil
	}
	var second [BoltPageHeader + 64]byte
	n, _ = f.ReadAt(second[:], pageSize)
	m1, ok1 := ReadBoltMeta(second[:n])
	// bbolt's choice: the valid meta with the higher txid.
	m, ok := m0, ok0
	if ok1 && (!ok0 || m1.Txid > m0.Txid) {
		m, ok = m1, true
	}
	if !ok || m.Freelist == boltNoFreelist || int64(m.pageSize) != pageSize {
		return nil
	}
	pages := size / pageSize
	if m.Pgid > uint64(pages) {
		return fmt.Errorf("%w: the file ends at page %d, its meta says %d pages are in use", ErrCorrupt, pages, m.Pgid)
	}
	if m.Freelist < 2 || m.Freelist >= m.Pgid {
		return fmt.Errorf("%w: freelist page %d is outside the %d pages in use", ErrCorrupt, m.Freelist, m.Pgid)
	}
	var hdr [BoltPageHeader + 8]byte
	if _, err := f.ReadAt(hdr[:], int64(m.Freelist)*pageSize); err != nil && err != io.EOF {
		return nil
	}
	le := binary.LittleEndian
	flags, count, overflow := le.Uint16(hdr[8:]), uint64(le.Uint16(hdr[10:])), uint64(le.Uint32(hdr[12:]))
	if flags != boltFreelistFlag {
		return fmt.Errorf("%w: page %d is not a freelist page (flags %#x)", ErrCorrupt, m.Freelist, flags)
	}
	span := (overflow + 1) * uint64(pageSize)
	room := (span - BoltPageHeader) / 8 // ids the page's span can hold
	if count == 0xFFFF {                // the real count is the first element, which takes a slot
		count = min(le.Uint64(hdr[BoltPageHeader:]), room) + 1
	}
	if m.Freelist+overflow+1 > m.Pgid || count > room {
		return fmt.Errorf("%w: freelist page %d claims %d ids in %d pages", ErrCorrupt, m.Freelist, count, overflow+1)
	}
	return nil
}
