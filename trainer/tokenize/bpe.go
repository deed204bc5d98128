package tokenize

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Token is one token of an encoding.
type Token struct {
	// ID is the token's id: its row in the model's embedding matrix.
	ID int
	// Text is the token as the vocabulary writes it, in the byte-level
	// alphabet ("Ġworld" for " world", "ä½łå¥½" for "你好"). For an added
	// token it is the text matched, such as "<|im_start|>".
	Text string
}

// BPE is a BPE tokenizer loaded from a Hugging Face tokenizer.json by
// [LoadBPE] or [ParseBPE], byte-level or SentencePiece-style. It encodes
// text exactly as the Hugging Face tokenizers library does for the
// supported configurations (Qwen2/2.5/3, Llama 2 and 3, Mistral, Gemma 3,
// DeepSeek V3, GPT-2, GPT-4o and the like).
//
// A *BPE is safe for concurrent use.
type BPE struct {
	vocab        *vocabTable // model vocabulary
	modelSize    int         // len(vocab) as loaded
	merges       mergeTable  // pairKey(left, right) -> rank, merged id
	byteID       [256]int32  // id of each byte's byte-level character, -1 if none
	fallbackID   [256]int32  // id of "<0xXX>", -1 if none (byte_fallback)
	unkID        int32       // -1: no unk token
	fuseUnk      bool
	byteFallback bool
	ignoreMerges bool
	wordPiece    *wordPiece // a WordPiece model instead of merges

	norms     []normStep // the normalizer, in order
	steps     []preStep  // pre-tokenizer steps
	byteLevel bool       // a ByteLevel pre-tokenizer: the model works on bytes, else on characters
	decoders  []decodeStep
	hasDecode bool    // a decoder is set (else tokens are joined by spaces)
	prefix    []int32 // post-processor: ids before the text (BOS)
	suffix    []int32 // post-processor: ids after the text (EOS)

	addedByContent map[string]int32
	addedByID      map[int32]*addedToken
	addedRaw       addedSet // added tokens matched on the raw text
	addedNorm      addedSet // added tokens matched on normalized text

	maxID   int32
	idText  []string // id -> token text (added tokens first)
	idKnown []bool

	cache   wordCache
	scratch sync.Pool // *mergeScratch

	// charIDs holds the id of each character below U+10000 that is a token
	// (-1 if none), for a model that merges characters: built on first
	// use, it saves a map lookup per character.
	charIDs     []int32
	charIDsOnce sync.Once
}

// preStep is one pre-tokenizer step: an optional prefix space (ByteLevel's
// add_prefix_space) and an optional split: a hand-written one for the
// common patterns (split), else a general one (splitter); with neither the
// piece stays whole.
type preStep struct {
	dropSpace   bool // drop the pieces that are whitespace (BertPreTokenizer)
	prefixSpace bool
	split       splitFunc
	splitter    *splitter
}

// addedToken is one entry of added_tokens.
type addedToken struct {
	content    string
	special    bool
	singleWord bool
	lstrip     bool
	rstrip     bool
	normalized bool
}

// addedSet finds added tokens in text: leftmost match first, and the longest
// of those that start there, as Hugging Face's Aho-Corasick automaton does.
// The patterns sit in a byte trie, so a position costs one step per byte
// matched, however many patterns there are.
type addedSet struct {
	pats  []string
	ids   []int32
	first [256]bool        // bytes that start a pattern
	child map[uint64]int32 // node<<8 | byte -> node; the root is 0
	term  map[int32]int    // node -> index of the pattern that ends there
	nodes int32
}

func (a *addedSet) add(pat string, id int32) {
	if pat == "" {
		return
	}
	if a.child == nil {
		a.child, a.term, a.nodes = make(map[uint64]int32), make(map[int32]int), 1
	}
	node := int32(0)
	for i := 0; i < len(pat); i++ {
		k := uint64(node)<<8 | uint64(pat[i])
		next, ok := a.child[k]
		if !ok {
			next = a.nodes
			a.nodes++
			a.child[k] = next
		}
		node = next
	}
	if _, ok := a.term[node]; ok {
		return // the same pattern again: the first one wins
	}
	a.term[node] = len(a.pats)
	a.pats = append(a.pats, pat)
	a.ids = append(a.ids, id)
	a.first[pat[0]] = true
}

// longestAt returns the index of the longest pattern at s[i:], or -1.
func (a *addedSet) longestAt(s string, i int) int {
	if !a.first[s[i]] {
		return -1
	}
	best, node := -1, int32(0)
	for j := i; j < len(s); j++ {
		next, ok := a.child[uint64(node)<<8|uint64(s[j])]
		if !ok {
			break
		}
		node = next
		if k, ok := a.term[node]; ok {
			best = k
		}
	}
	return best
}

// span is a part of a text: an added token (id >= 0) or text to tokenize.
type span struct {
	start, end int
	id         int32
}

// find splits s into added tokens and the text between them, as Hugging
// Face's AddedVocabulary.find_matches does, with single_word, lstrip and
// rstrip. It appends to spans and returns it.
func (b *BPE) find(a *addedSet, s string, spans []span) []span {
	if len(a.pats) == 0 {
		return append(spans, span{0, len(s), -1})
	}
	prev := 0
	for i := 0; i < len(s); {
		k := a.longestAt(s, i)
		if k < 0 {
			i++
			continue
		}
		start, end := i, i+len(a.pats[k])
		i = end
		id := a.ids[k]
		tok := b.addedByID[id]
		if tok.singleWord {
			if (start > 0 && endsWithWord(s[:start])) || (end < len(s) && startsWithWord(s[end:])) {
				continue
			}
		}
		if tok.lstrip {
			start = max(spaceStartAtEnd(s[:start]), prev)
		}
		if tok.rstrip {
			end += spaceLenAtStart(s[end:])
		}
		start = min(start, end)
		if prev < start {
			spans = append(spans, span{prev, start, -1})
		}
		spans = append(spans, span{start, end, id})
		prev = end
	}
	if prev < len(s) {
		spans = append(spans, span{prev, len(s), -1})
	}
	return spans
}

// isRustWord reports whether r is \w for Rust's regex crate: Alphabetic,
// a mark, a decimal digit, a connector punctuation or a join control.
func isRustWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_Alphabetic, r) ||
		unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r) ||
		r == 0x200C || r == 0x200D
}

func endsWithWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && isRustWord(r)
}

func startsWithWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isRustWord(r)
}

// spaceStartAtEnd returns where the whitespace at the end of s starts.
func spaceStartAtEnd(s string) int {
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return len(s)
}

// spaceLenAtStart returns the length of the whitespace that starts s.
func spaceLenAtStart(s string) int {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// normalize applies the normalizer to s.
func (b *BPE) normalize(s string) string {
	for _, f := range b.norms {
		s = f(s)
	}
	return s
}

// Encode returns the tokens of text, as Hugging Face's
// tokenizer.encode(text, add_special_tokens=False) gives them. Added tokens
// written in the text (such as "<|im_start|>" or "<think>") become single
// tokens, as with split_special_tokens=False. Invalid UTF-8 in text is
// first replaced by U+FFFD, one per maximal invalid sequence, as Rust's
// String::from_utf8_lossy does.
func (b *BPE) Encode(text string) []Token {
	var out []Token
	b.encode(text, func(id int32, s string) {
		out = append(out, Token{ID: int(id), Text: s})
	})
	return out
}

// EncodeIDs returns the ids of [BPE.Encode]'s tokens.
func (b *BPE) EncodeIDs(text string) []int {
	var out []int
	b.encode(text, func(id int32, _ string) {
		out = append(out, int(id))
	})
	return out
}

// encode runs the whole pipeline and calls emit for each token in order.
func (b *BPE) encode(text string, emit func(id int32, text string)) {
	if !utf8.ValidString(text) {
		text = lossyString([]byte(text))
	}
	sc := b.getScratch()
	defer b.scratch.Put(sc)
	sc.spans1 = b.find(&b.addedRaw, text, sc.spans1[:0])
	for _, sp1 := range sc.spans1 {
		if sp1.id >= 0 {
			emit(sp1.id, text[sp1.start:sp1.end])
			continue
		}
		seg := b.normalize(text[sp1.start:sp1.end])
		sc.spans2 = b.find(&b.addedNorm, seg, sc.spans2[:0])
		for _, sp2 := range sc.spans2 {
			if sp2.id >= 0 {
				emit(sp2.id, seg[sp2.start:sp2.end])
				continue
			}
			b.preTokenize(sc, seg[sp2.start:sp2.end], 0, emit)
		}
	}
}

// preTokenize runs pre-tokenizer steps level.. on s, then the model on each
// piece.
func (b *BPE) preTokenize(sc *mergeScratch, s string, level int, emit func(int32, string)) {
	if s == "" {
		return
	}
	if level == len(b.steps) {
		for _, id := range b.word(sc, s) {
			emit(id, b.idText[id])
		}
		return
	}
	st := b.steps[level]
	if st.prefixSpace && s[0] != ' ' {
		s = " " + s
	}
	if st.splitter != nil {
		segs := st.splitter.pieces(st.splitter.segments(s, nil))
		for _, g := range segs {
			b.preTokenize(sc, s[g.start:g.end], level+1, emit)
		}
		return
	}
	if st.split == nil {
		b.preTokenize(sc, s, level+1, emit)
		return
	}
	for i := 0; i < len(s); {
		j := st.split(s, i)
		if !st.dropSpace || !isAllSpace(s[i:j]) {
			b.preTokenize(sc, s[i:j], level+1, emit)
		}
		i = j
	}
}

// IDToToken returns the text of token id, in vocabulary form; ok is false
// for an unknown id.
func (b *BPE) IDToToken(id int) (string, bool) {
	if id < 0 || id >= len(b.idText) || !b.idKnown[id] {
		return "", false
	}
	return b.idText[id], true
}

// TokenToID returns the id of a token written in vocabulary form ("Ġworld")
// or of an added token's content ("<|endoftext|>").
func (b *BPE) TokenToID(token string) (int, bool) {
	id, ok := b.tokenID(token)
	return int(id), ok
}

func (b *BPE) tokenID(token string) (int32, bool) {
	if id, ok := b.addedByContent[token]; ok {
		return id, true
	}
	return b.vocab.get(token)
}

// VocabSize returns the largest token id plus one, added tokens included:
// the number of embedding rows the tokenizer can address (151669 for Qwen3's
// tokenizer.json). A model's matrix may have more rows (padding).
func (b *BPE) VocabSize() int {
	return int(b.maxID) + 1
}

// AddedTokens returns the contents of the added tokens, by id.
func (b *BPE) AddedTokens() map[int]string {
	m := make(map[int]string, len(b.addedByID))
	for id, t := range b.addedByID {
		m[int(id)] = t.content
	}
	return m
}

// lossyString returns p as a string, with each maximal invalid UTF-8
// sequence replaced by U+FFFD, as Rust's String::from_utf8_lossy does.
func lossyString(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	var sb strings.Builder
	sb.Grow(len(p) + 8)
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n == 1 {
			sb.WriteRune(utf8.RuneError)
			i += invalidLen(p[i:])
			continue
		}
		sb.Write(p[i : i+n])
		i += n
	}
	return sb.String()
}

// invalidLen returns the length of the maximal prefix of p that could start
// a valid UTF-8 sequence; p must start with an invalid sequence.
func invalidLen(p []byte) int {
	lo, hi := byte(0x80), byte(0xBF)
	var need int
	switch c := p[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	i := 1
	for k := 0; k < need && i < len(p); k++ {
		c := p[i]
		if k > 0 {
			lo, hi = 0x80, 0xBF
		}
		if c < lo || c > hi {
			break
		}
		i++
	}
	return i
}
