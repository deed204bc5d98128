package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
)

// The words index maps each named row's word to its id. It is stored as
// the leaves of a sorted array: chunks of consecutive words, each under the
// key of its first word, so a million-word load writes a few hundred
// values, and a lookup is one bbolt seek and a binary search. A chunk is
//
//	uint16 LE n          the number of entries
//	uint32 LE off[n+1]   where each entry starts in the entries area
//	entries              word bytes ++ uint32 LE row id ++ uint64 LE count,
//	                     sorted by word
//
// The count is the row's, repeated here so that a lookup by word needs no
// read of the row's chunk of words and counts.
const (
	wordChunkTarget = 3700 // bulk loads fill chunks to about this size
	wordChunkMax    = 7400 // a chunk grown past this splits in two
)

type wordEntry struct {
	word  string
	id    uint32
	count int64
}

// wordTail is the size of what follows the word in an entry.
const wordTail = 12

// wordChunk is a decoded chunk.
type wordChunk []wordEntry

func encodeWordChunk(es []wordEntry) []byte {
	size := 2 + 4*(len(es)+1)
	for _, e := range es {
		size += len(e.word) + wordTail
	}
	b := make([]byte, 2+4*(len(es)+1), size)
	binary.LittleEndian.PutUint16(b, uint16(len(es)))
	hdr := len(b)
	for i, e := range es {
		binary.LittleEndian.PutUint32(b[2+4*i:], uint32(len(b)-hdr))
		b = append(b, e.word...)
		b = binary.LittleEndian.AppendUint32(b, e.id)
		b = binary.LittleEndian.AppendUint64(b, uint64(e.count))
	}
	binary.LittleEndian.PutUint32(b[2+4*len(es):], uint32(len(b)-hdr))
	return b
}

// wordChunkEntry returns entry i of an encoded chunk; ok is false if the
// chunk is malformed.
func wordChunkEntry(b []byte, i int) (word []byte, id uint32, count int64, ok bool) {
	n := int(binary.LittleEndian.Uint16(b))
	hdr := 2 + 4*(n+1)
	lo := int(binary.LittleEndian.Uint32(b[2+4*i:]))
	hi := int(binary.LittleEndian.Uint32(b[2+4*(i+1):]))
	if hi < lo+wordTail || hdr+hi > len(b) {
		return nil, 0, 0, false
	}
	e := b[hdr+lo : hdr+hi]
	t := e[len(e)-wordTail:]
	return e[:len(e)-wordTail], binary.LittleEndian.Uint32(t), int64(binary.LittleEndian.Uint64(t[4:])), true
}

// wordChunkLen returns the number of entries of an encoded chunk, or -1 if
// its header is malformed.
func wordChunkLen(b []byte) int {
	if len(b) < 2 {
		return -1
	}
	n := int(binary.LittleEndian.Uint16(b))
	if len(b) < 2+4*(n+1) {
		return -1
	}
	return n
}

func decodeWordChunk(b []byte) (wordChunk, bool) {
	n := wordChunkLen(b)
	if n < 0 {
		return nil, false
	}
	out := make(wordChunk, n)
	for i := range out {
		w, id, count, ok := wordChunkEntry(b, i)
		if !ok {
			return nil, false
		}
		out[i] = wordEntry{string(w), id, count}
	}
	return out, true
}

// wordIndex is the words index of one table inside a transaction.
type wordIndex struct{ b keyspace }

// chunkFor positions a cursor on the chunk that holds word, or would: the
// last chunk whose first word is <= word, else the first chunk.
func (x wordIndex) chunkFor(c *kcursor, word []byte) (k, v []byte) {
	k, v = c.Seek(word)
	if k != nil && bytes.Equal(k, word) {
		return k, v
	}
	if pk, pv := c.Prev(); pk != nil {
		return pk, pv
	}
	return c.First()
}

// search finds word in an encoded chunk: its index and whether it is there
// (else the index where it would go).
func searchWordChunk(b, word []byte) (int, bool, error) {
	n := wordChunkLen(b)
	if n < 0 {
		return 0, false, fmt.Errorf("%w: malformed words chunk", ErrCorrupt)
	}
	var bad bool
	i := sort.Search(n, func(i int) bool {
		w, _, _, ok := wordChunkEntry(b, i)
		bad = bad || !ok
		return bytes.Compare(w, word) >= 0
	})
	if bad {
		return 0, false, fmt.Errorf("%w: malformed words chunk", ErrCorrupt)
	}
	if i < n {
		w, _, _, _ := wordChunkEntry(b, i)
		return i, bytes.Equal(w, word), nil
	}
	return i, false, nil
}

// get returns the id and count of word.
func (x wordIndex) get(word string) (id uint32, count int64, ok bool, err error) {
	c := x.b.Cursor()
	w := []byte(word)
	k, v := x.chunkFor(c, w)
	if k == nil {
		return 0, 0, false, c.Err()
	}
	i, found, err := searchWordChunk(v, w)
	if err != nil {
		return 0, 0, false, err
	}
	if !found {
		return 0, 0, false, x.checkMiss(c)
	}
	_, id, count, _ = wordChunkEntry(v, i)
	return id, count, true, nil
}

// checkMiss reads the chunk after the one a missing word was looked for
// in: if a damaged key moved that chunk later in the order, the word may
// be there, and reading it fails its checksum, which is the truth, rather
// than "not in vocabulary".
func (x wordIndex) checkMiss(c *kcursor) error {
	c.Next()
	return c.Err()
}

// put adds word -> id; the word must not be present. The chunk is
// changed in its encoded form: one copy, no decoding of its other words.
func (x wordIndex) put(word string, id uint32, count int64) error {
	c := x.b.Cursor()
	w := []byte(word)
	k, v := x.chunkFor(c, w)
	if k == nil {
		if err := c.Err(); err != nil {
			return err
		}
		return x.b.Put(w, encodeWordChunk([]wordEntry{{word, id, count}}))
	}
	i, found, err := searchWordChunk(v, w)
	if err != nil {
		return err
	}
	if found {
		return fmt.Errorf("db: word %s is already indexed", Quote(word))
	}
	entry := binary.LittleEndian.AppendUint32(append([]byte(nil), w...), id)
	entry = binary.LittleEndian.AppendUint64(entry, uint64(count))
	nb := spliceWordChunk(v, i, entry, false)
	if len(nb) > wordChunkMax || wordChunkLen(nb) >= 1<<16-1 {
		es, ok := decodeWordChunk(nb)
		if !ok {
			return fmt.Errorf("%w: malformed words chunk", ErrCorrupt)
		}
		return x.rewrite(append([]byte(nil), k...), es)
	}
	if i == 0 {
		// A new first word: the chunk moves to its key.
		if err := x.b.Delete(append([]byte(nil), k...)); err != nil {
			return err
		}
		return x.b.Put(w, nb)
	}
	return x.b.Put(append([]byte(nil), k...), nb)
}

// remove deletes word from the index, if present.
func (x wordIndex) remove(word string) error {
	c := x.b.Cursor()
	w := []byte(word)
	k, v := x.chunkFor(c, w)
	if k == nil {
		return c.Err()
	}
	i, found, err := searchWordChunk(v, w)
	if err != nil || !found {
		return err
	}
	key := append([]byte(nil), k...)
	nb := spliceWordChunk(v, i, nil, true)
	n := wordChunkLen(nb)
	if n == 0 || i == 0 {
		if err := x.b.Delete(key); err != nil || n == 0 {
			return err
		}
		first, _, _, _ := wordChunkEntry(nb, 0)
		return x.b.Put(append([]byte(nil), first...), nb)
	}
	return x.b.Put(key, nb)
}

// spliceWordChunk returns a copy of the encoded chunk b with entry inserted
// at index i, or with entry i deleted.
func spliceWordChunk(b []byte, i int, entry []byte, del bool) []byte {
	n := int(binary.LittleEndian.Uint16(b))
	hdr := 2 + 4*(n+1)
	off := func(j int) int { return int(binary.LittleEndian.Uint32(b[2+4*j:])) }
	data := b[hdr:]
	at := off(i)
	var m, shift int
	var rest []byte
	if del {
		m, shift = n-1, -(off(i+1) - at)
		rest = data[off(i+1):]
	} else {
		m, shift = n+1, len(entry)
		rest = data[at:]
	}
	out := make([]byte, 2+4*(m+1), 2+4*(m+1)+len(data)+shift)
	binary.LittleEndian.PutUint16(out, uint16(m))
	for j := 0; j <= m; j++ {
		var o int
		switch {
		case j < i || (j == i && !del):
			o = off(j)
		case del:
			o = off(j+1) + shift
		default:
			o = off(j-1) + shift
		}
		binary.LittleEndian.PutUint32(out[2+4*j:], uint32(o))
	}
	if !del {
		binary.LittleEndian.PutUint32(out[2+4*i:], uint32(at))
	}
	out = append(out, data[:at]...)
	out = append(out, entry...)
	return append(out, rest...)
}

// rewrite stores the entries of the chunk that was under oldKey, splitting
// it when it grew too big and re-keying it when its first word changed.
func (x wordIndex) rewrite(oldKey []byte, es []wordEntry) error {
	if len(es) == 0 || es[0].word != string(oldKey) {
		if err := x.b.Delete(oldKey); err != nil {
			return err
		}
	}
	if len(es) == 0 {
		return nil
	}
	b := encodeWordChunk(es)
	if len(b) <= wordChunkMax && len(es) < 1<<16-1 {
		return x.b.Put([]byte(es[0].word), b)
	}
	half := len(es) / 2
	if err := x.b.Put([]byte(es[0].word), encodeWordChunk(es[:half])); err != nil {
		return err
	}
	return x.b.Put([]byte(es[half].word), encodeWordChunk(es[half:]))
}

// Scan calls fn for every word >= from, in order, until fn returns false.
func (x wordIndex) Scan(from string, fn func(word []byte, id uint32) bool) error {
	c := x.b.Cursor()
	w := []byte(from)
	k, v := x.chunkFor(c, w)
	first := true
	for ; k != nil; k, v = c.Next() {
		n := wordChunkLen(v)
		if n < 0 {
			return fmt.Errorf("%w: malformed words chunk", ErrCorrupt)
		}
		i := 0
		if first {
			var err error
			if i, _, err = searchWordChunk(v, w); err != nil {
				return err
			}
			first = false
		}
		for ; i < n; i++ {
			word, id, _, ok := wordChunkEntry(v, i)
			if !ok {
				return fmt.Errorf("%w: malformed words chunk", ErrCorrupt)
			}
			if !fn(word, id) {
				return nil
			}
		}
	}
	return c.Err()
}

// wordChunker cuts entries given in sorted order into the chunks of a words
// index, each about wordChunkTarget bytes, for a bulk load.
type wordChunker struct {
	cur        []wordEntry
	size       int
	keys, vals [][]byte // the chunks so far: first word, encoded chunk
}

func (c *wordChunker) add(e wordEntry) {
	c.cur = append(c.cur, e)
	c.size += len(e.word) + wordTail + 4
	if c.size >= wordChunkTarget || len(c.cur) == 1<<16-1 {
		c.flush()
	}
}

// flush ends the chunk being filled.
func (c *wordChunker) flush() {
	if len(c.cur) == 0 {
		return
	}
	c.keys = append(c.keys, []byte(c.cur[0].word))
	c.vals = append(c.vals, encodeWordChunk(c.cur))
	c.cur, c.size = c.cur[:0], 0
}
