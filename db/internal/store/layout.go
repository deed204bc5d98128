package store

// The layout of the bbolt file:
//
//	embeddb/                  root bucket marking the file as ours
//	    "format"   -> uint32 BE format version (2: values carry checksums)
//	    "created"  -> RFC 3339 time the file was made
//	catalog/                  name -> table id (uint64 BE): the published tables;
//	                          its sequence gives out table ids
//	t<id>/                    one bucket per table, named "t" + id (uint64 BE)
//	    "info"  -> JSON tableMeta (dimension, element type, counts, provenance, ...)
//	    "ver"   -> uint64 BE, bumped by every change, so caches can tell
//	    0x01 ++ first word   -> a chunk of the words index: sorted words with
//	                            their row ids and counts (see wordindex.go)
//	    0x02 ++ chunk (u32 BE) -> the words and counts of the chunk's rows
//	                            (see rowChunk); a deleted row's entry is empty
//	    0x03 ++ chunk (u32 BE) -> rowsPerChunk rows of dim elements,
//	                            little-endian; a deleted row's slot is zeroed;
//	                            the last chunk holds only up to the highest id
//	    blob/   name -> sub-bucket of parts (uint32 BE) -> bytes: large
//	            derived or attached data (an HNSW graph, a tokenizer, the
//	            trainer's state). A blob name in use is recorded in "info";
//	            any other is garbage from an interrupted write.
//
// In a format-2 file every value above but "format", "created" and "ver"
// ends in a CRC-32C of its key and bytes (checksum.go).
//
// The three kinds of entries share the table's bucket (keyspace.go) so that
// a lookup opens one bucket, not three. A table is written under a fresh id
// and becomes visible only when the transaction that adds its catalog entry
// commits; table buckets that no catalog entry names are leftovers of
// interrupted writes and are removed on Open.

import (
	"encoding/binary"
)

// formatVersion is the on-disk format this code writes into new files.
// Format 2 seals values with checksums (checksum.go); a format-1 file is
// read and written as format 1. Open refuses files with a newer one.
const formatVersion = 2

var (
	bucketRoot    = []byte("embeddb")
	BucketCatalog = []byte("catalog")

	keyFormat  = []byte("format")
	keyCreated = []byte("created")

	KeyInfo    = []byte("info")
	keyVer     = []byte("ver")
	bucketBlob = []byte("blob")
)

// chunkBytes is the target size of one vector chunk: big enough that a full
// scan runs at memory speed, small enough that changing one row rewrites
// little. Slightly under 64 KiB, so that a chunk with bbolt's page and
// element headers fills 16 pages exactly.
const chunkBytes = 64<<10 - 64

// MaxWordLen bounds words and table names (bbolt keys may be 32 KiB).
const MaxWordLen = 4096

func u32key(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

func u64key(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// rowsPerChunk returns how many rows of rowBytes fit one chunk.
func rowsPerChunk(rowBytes int) int {
	n := chunkBytes / rowBytes
	if n < 1 {
		n = 1
	}
	return n
}

// A rowChunk holds the words and counts of up to ChunkRows consecutive rows:
//
//	uint16 LE n          the number of slots (rows up to the last one written)
//	uint32 LE off[n+1]   where each slot's entry starts in the entries area
//	entries              per live row: uvarint count ++ word bytes;
//	                     a deleted (or never written) row's entry is empty
//
// Offsets make a single row readable without decoding the rest.
type rowEntry struct {
	live  bool
	count int64
	word  string
}

// rowChunkSlot decodes slot i of an encoded chunk. ok is false if the slot
// is past the end or deleted; bad is true if the chunk is malformed.
func rowChunkSlot(b []byte, i int) (count int64, word []byte, ok, bad bool) {
	if len(b) < 2 {
		return 0, nil, false, true
	}
	n := int(binary.LittleEndian.Uint16(b))
	if i >= n {
		return 0, nil, false, false
	}
	hdr := 2 + 4*(n+1)
	if len(b) < hdr {
		return 0, nil, false, true
	}
	lo := int(binary.LittleEndian.Uint32(b[2+4*i:]))
	hi := int(binary.LittleEndian.Uint32(b[2+4*(i+1):]))
	if lo > hi || hdr+hi > len(b) {
		return 0, nil, false, true
	}
	e := b[hdr+lo : hdr+hi]
	if len(e) == 0 {
		return 0, nil, false, false
	}
	c, k := binary.Uvarint(e)
	if k <= 0 || c > 1<<62 {
		return 0, nil, false, true
	}
	return int64(c), e[k:], true, false
}

// decodeRowChunk decodes every slot of an encoded chunk.
func decodeRowChunk(b []byte) ([]rowEntry, bool) {
	if len(b) == 0 {
		return nil, true
	}
	if len(b) < 2 {
		return nil, false
	}
	n := int(binary.LittleEndian.Uint16(b))
	out := make([]rowEntry, n)
	for i := range out {
		c, w, ok, bad := rowChunkSlot(b, i)
		if bad {
			return nil, false
		}
		out[i] = rowEntry{live: ok, count: c, word: string(w)}
	}
	return out, true
}

// encodeRowChunk encodes entries; trailing dead entries are dropped.
func encodeRowChunk(entries []rowEntry) []byte {
	for len(entries) > 0 && !entries[len(entries)-1].live {
		entries = entries[:len(entries)-1]
	}
	n := len(entries)
	size := 2 + 4*(n+1)
	for _, e := range entries {
		if e.live {
			size += binary.MaxVarintLen64 + len(e.word)
		}
	}
	b := make([]byte, 2+4*(n+1), size)
	binary.LittleEndian.PutUint16(b, uint16(n))
	hdr := len(b)
	for i, e := range entries {
		binary.LittleEndian.PutUint32(b[2+4*i:], uint32(len(b)-hdr))
		if e.live {
			b = binary.AppendUvarint(b, uint64(e.count))
			b = append(b, e.word...)
		}
	}
	binary.LittleEndian.PutUint32(b[2+4*n:], uint32(len(b)-hdr))
	return b
}

// TableKey is the name of the bucket of table id.
func TableKey(id uint64) []byte {
	var b [9]byte
	b[0] = 't'
	binary.BigEndian.PutUint64(b[1:], id)
	return b[:]
}

// TableID parses a bucket name made by tableKey; ok is false for any other.
func TableID(k []byte) (uint64, bool) {
	if len(k) != 9 || k[0] != 't' {
		return 0, false
	}
	return binary.BigEndian.Uint64(k[1:]), true
}
