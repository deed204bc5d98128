package tokenize

import (
	"fmt"
	"hash/maphash"
)

// vocabTable maps a token's text to its id. It replaces a map[string]int32
// because building and probing that map was most of the time of loading a
// large tokenizer (Gemma 3: 262,144 tokens, three lookups for each of
// 514,906 merges). All texts live in one string; a slot holds a token's
// hash, id and place in that string, so a lookup touches one slot and the
// text it compares, and the table holds no pointers for the collector to
// scan.
type vocabTable struct {
	text  string // every token's text, one after another
	slots []vocabSlot
	shift uint // 64 - log2(len(slots))
	seed  maphash.Seed
	n     int // distinct tokens
}

// vocabSlot is one token; id1 is its id plus one, so that a zero slot is
// free.
type vocabSlot struct {
	hash     uint32
	id1      uint32
	off, end uint32
}

// newVocabTable builds the table of the tokens text[ends[i-1]:ends[i]] with
// ids ids[i]. A later duplicate's id wins, as in encoding/json.
func newVocabTable(text string, ends []int, ids []int64) (*vocabTable, error) {
	if len(text) >= 1<<32 {
		return nil, fmt.Errorf("%w: vocab texts take %d bytes", ErrMalformed, len(text))
	}
	bits := uint(4)
	for 1<<bits < 2*len(ends) {
		bits++
	}
	t := &vocabTable{text: text, slots: make([]vocabSlot, 1<<bits), shift: 64 - bits, seed: maphash.MakeSeed()}
	start := 0
	for i, end := range ends {
		tok := text[start:end]
		id := ids[i]
		if id < 0 || id >= maxTokenID {
			return nil, fmt.Errorf("%w: vocab token %q has id %d, want 0 <= id < %d", ErrMalformed, tok, id, maxTokenID)
		}
		t.put(tok, uint32(start), uint32(end), int32(id))
		start = end
	}
	return t, nil
}

// put adds text[off:end] (= tok) with id, or sets its id if present.
func (t *vocabTable) put(tok string, off, end uint32, id int32) {
	h := maphash.String(t.seed, tok)
	mask := len(t.slots) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id1 == 0 {
			*s = vocabSlot{hash: uint32(h), id1: uint32(id) + 1, off: off, end: end}
			t.n++
			return
		}
		if s.hash == uint32(h) && t.text[s.off:s.end] == tok {
			s.id1 = uint32(id) + 1
			return
		}
	}
}

func (t *vocabTable) find(h uint64, tok string) (int32, bool) {
	mask := len(t.slots) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id1 == 0 {
			return -1, false
		}
		if s.hash == uint32(h) && t.text[s.off:s.end] == tok {
			return int32(s.id1 - 1), true
		}
	}
}

// get returns tok's id.
func (t *vocabTable) get(tok string) (int32, bool) {
	if t == nil {
		return -1, false
	}
	return t.find(maphash.String(t.seed, tok), tok)
}

// getBytes returns the id of the token spelled by tok, without copying it.
func (t *vocabTable) getBytes(tok []byte) (int32, bool) {
	if t == nil {
		return -1, false
	}
	id := t.findBytes(maphash.Bytes(t.seed, tok), tok)
	return id, id >= 0
}

// len returns the number of distinct tokens.
func (t *vocabTable) len() int {
	if t == nil {
		return 0
	}
	return t.n
}

// all calls f for every token and its id, in no particular order; the
// token shares the table's memory.
func (t *vocabTable) all(f func(tok string, id int32)) {
	if t == nil {
		return
	}
	for _, s := range t.slots {
		if s.id1 != 0 {
			f(t.text[s.off:s.end], int32(s.id1-1))
		}
	}
}

// vocabBatch is how many keys getBatch looks up at once.
const vocabBatch = 24

// getBatch sets ids[i] to the id of keys[i], or -1 if it is not a token;
// len(keys) <= vocabBatch. It loads every key's first slot, then the first
// byte of the text each slot names, before comparing anything, so that
// the cache misses of the keys overlap instead of following one another:
// loading a tokenizer makes three lookups for each of its merges, at
// random places in tables larger than the cache.
func (t *vocabTable) getBatch(keys [][]byte, ids []int32) {
	var hs [vocabBatch]uint64
	var home [vocabBatch]vocabSlot
	var first [vocabBatch]byte
	ids = ids[:len(keys)]
	for i, k := range keys {
		hs[i] = maphash.Bytes(t.seed, k)
	}
	for i := range keys {
		home[i] = t.slots[hs[i]>>t.shift]
	}
	for i := range keys {
		if s := home[i]; s.end > s.off && s.hash == uint32(hs[i]) {
			first[i] = t.text[s.off]
		}
	}
	for i, k := range keys {
		s := home[i]
		switch {
		case s.id1 == 0:
			ids[i] = -1
		case s.hash == uint32(hs[i]) && (len(k) == 0 || first[i] == k[0]) && t.text[s.off:s.end] == string(k):
			ids[i] = int32(s.id1 - 1)
		default:
			ids[i] = t.findBytes(hs[i], k)
		}
	}
}

// findBytes returns the id of the token spelled by tok, whose hash is h, or
// -1.
func (t *vocabTable) findBytes(h uint64, tok []byte) int32 {
	mask := len(t.slots) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id1 == 0 {
			return -1
		}
		if s.hash == uint32(h) && t.text[s.off:s.end] == string(tok) {
			return int32(s.id1 - 1)
		}
	}
}
