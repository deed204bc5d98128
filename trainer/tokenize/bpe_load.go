package tokenize

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
)

// maxTokenID bounds the ids a tokenizer.json may use, so that a corrupt file
// cannot make the id table huge. The largest real vocabularies are a few
// hundred thousand tokens.
const maxTokenID = 1 << 24

// LoadBPE reads a Hugging Face tokenizer.json and returns its byte-level BPE
// tokenizer. See [ParseBPE] for what is supported.
func LoadBPE(r io.Reader) (*BPE, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read tokenizer.json: %w", err)
	}
	return ParseBPE(data)
}

// ParseBPE parses the contents of a Hugging Face tokenizer.json.
//
// Supported: model type "BPE" (vocab, merges as ["a","b"] pairs or "a b"
// strings, unk_token, fuse_unk, byte_fallback, ignore_merges, dropout null
// or 0), byte-level or not; model type "WordPiece" (vocab, unk_token,
// continuing_subword_prefix, max_input_chars_per_word); the normalizers, pre-tokenizers,
// post-processors and decoders that the package documentation lists;
// added_tokens with all their flags. Truncation and padding are ignored.
//
// Anything else is refused with an error wrapping [ErrUnsupported]; an
// inconsistent file gets one wrapping [ErrMalformed]. ParseBPE never panics.
func ParseBPE(data []byte) (*BPE, error) {
	f, err := parseFile(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	b := &BPE{unkID: -1}
	if err := b.loadModel(f.Model); err != nil {
		return nil, err
	}
	if err := b.loadNormalizer(f.Normalizer, "normalizer"); err != nil {
		return nil, err
	}
	if err := b.loadPreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	if err := b.loadDecoder(f.Decoder, "decoder"); err != nil {
		return nil, err
	}
	if err := b.loadAddedTokens(f.AddedTokens); err != nil {
		return nil, err
	}
	if err := b.loadPostProcessor(f.PostProcessor, "post_processor"); err != nil {
		return nil, err
	}
	b.cache.m = make(map[string][]int32)
	return b, nil
}

// fileJSON is the part of tokenizer.json that matters here.
type fileJSON struct {
	AddedTokens   []addedTokenJSON
	Normalizer    json.RawMessage
	PreTokenizer  json.RawMessage
	Decoder       json.RawMessage
	PostProcessor json.RawMessage
	Model         *modelJSON
}

// modelJSON is tokenizer.json's model. The vocabulary and the merges are
// read by jsonScanner into arenas: vocab token i has id vocabIDs[i]; merge
// k is merges' strings 2k and 2k+1, which lie side by side, so the merged
// token's text is their concatenation without a copy.
type modelJSON struct {
	Type                    *string  `json:"type"`
	Dropout                 *float64 `json:"dropout"`
	UnkToken                *string  `json:"unk_token"`
	ContinuingSubwordPrefix *string  `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string  `json:"end_of_word_suffix"`
	FuseUnk                 bool     `json:"fuse_unk"`
	ByteFallback            bool     `json:"byte_fallback"`
	IgnoreMerges            bool     `json:"ignore_merges"`
	MaxInputCharsPerWord    *int     `json:"max_input_chars_per_word"`

	hasVocab, hasMerges bool
	vocabKeys, merges   arena
	vocabIDs            []int64
}

// parseFile reads tokenizer.json with jsonScanner; see jsonscan.go.
func parseFile(data []byte) (*fileJSON, error) {
	s := &jsonScanner{data: data}
	f := &fileJSON{}
	err := s.object(func(key []byte) error {
		if string(key) == "model" {
			if s.isNull() {
				f.Model = nil
				return nil
			}
			f.Model = &modelJSON{}
			return s.model(f.Model)
		}
		raw, err := s.skip(0)
		if err != nil {
			return err
		}
		switch string(key) {
		case "added_tokens":
			f.AddedTokens = nil
			if err := json.Unmarshal(raw, &f.AddedTokens); err != nil {
				return fmt.Errorf("added_tokens: %w", err)
			}
		case "normalizer":
			f.Normalizer = raw
		case "pre_tokenizer":
			f.PreTokenizer = raw
		case "decoder":
			f.Decoder = raw
		case "post_processor":
			f.PostProcessor = raw
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.ws(); s.pos != len(data) {
		return nil, s.fail("data after the top-level object")
	}
	return f, nil
}

// model reads the model object.
func (s *jsonScanner) model(m *modelJSON) error {
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "vocab":
			m.vocabKeys, m.vocabIDs, m.hasVocab = s.newArena(), nil, false
			if s.isNull() {
				return nil
			}
			m.hasVocab = true
			return s.vocab(&m.vocabKeys, &m.vocabIDs)
		case "merges":
			m.merges, m.hasMerges = s.newArena(), false
			if s.isNull() {
				return nil
			}
			m.hasMerges = true
			return s.merges(&m.merges)
		}
		raw, err := s.skip(0)
		if err != nil {
			return err
		}
		var v any
		switch string(key) {
		case "type":
			v = &m.Type
		case "dropout":
			v = &m.Dropout
		case "unk_token":
			v = &m.UnkToken
		case "continuing_subword_prefix":
			v = &m.ContinuingSubwordPrefix
		case "end_of_word_suffix":
			v = &m.EndOfWordSuffix
		case "fuse_unk":
			v = &m.FuseUnk
		case "byte_fallback":
			v = &m.ByteFallback
		case "ignore_merges":
			v = &m.IgnoreMerges
		case "max_input_chars_per_word":
			v = &m.MaxInputCharsPerWord
		default:
			return nil
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("model %s: %w", key, err)
		}
		return nil
	})
	return err
}

// vocab reads {"token": id, ...}.
func (s *jsonScanner) vocab(keys *arena, ids *[]int64) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	*ids = make([]int64, 0, cap(keys.ends))
	for {
		if err := keys.add(s); err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		id, err := s.integer()
		if err != nil {
			return fmt.Errorf("vocab: %w", err)
		}
		*ids = append(doubleFor(*ids, 1), id)
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.fail("want ',' or '}'")
		}
	}
}

// merges reads merges as ["a b", ...] or [["a", "b"], ...], two strings
// per merge into a.
func (s *jsonScanner) merges(a *arena) error {
	k := 0
	return s.array(func() error {
		defer func() { k++ }()
		if s.peek() == '"' {
			a.buf, a.ends = doubleFor(a.buf, 256), doubleFor(a.ends, 2)
			start := len(a.buf)
			var err error
			if a.buf, err = s.str(a.buf); err != nil {
				return err
			}
			line := a.buf[start:]
			sp := -1
			for i, c := range line {
				if c == ' ' {
					if sp >= 0 {
						sp = -2
						break
					}
					sp = i
				}
			}
			if sp < 0 {
				return fmt.Errorf("merge %d is %q, want two tokens separated by one space", k, line)
			}
			// "a b" -> "ab" with a boundary: drop the space.
			copy(line[sp:], line[sp+1:])
			a.buf = a.buf[:len(a.buf)-1]
			a.ends = append(a.ends, start+sp, len(a.buf))
			return nil
		}
		n := 0
		err := s.array(func() error {
			n++
			if n > 2 {
				return fmt.Errorf("merge %d has more than 2 tokens", k)
			}
			if s.peek() != '"' {
				return s.fail(fmt.Sprintf("merge %d: want a string", k))
			}
			return a.add(s)
		})
		if err == nil && n != 2 {
			err = fmt.Errorf("merge %d has %d tokens, want 2", k, n)
		}
		return err
	})
}

// addedTokenJSON is one entry of added_tokens; every field is required, as
// in Hugging Face.
type addedTokenJSON struct {
	ID         *int64  `json:"id"`
	Content    *string `json:"content"`
	SingleWord *bool   `json:"single_word"`
	Lstrip     *bool   `json:"lstrip"`
	Rstrip     *bool   `json:"rstrip"`
	Normalized *bool   `json:"normalized"`
	Special    *bool   `json:"special"`
}

// typed reads the "type" field of a component, "null" for JSON null.
func typed(raw json.RawMessage, what string) (string, map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "null", nil, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what, err)
	}
	var typ string
	if t, ok := obj["type"]; !ok {
		return "", nil, fmt.Errorf("%w: %s has no type", ErrMalformed, what)
	} else if err := json.Unmarshal(t, &typ); err != nil {
		return "", nil, fmt.Errorf("%w: %s type: %w", ErrMalformed, what, err)
	}
	return typ, obj, nil
}

// field decodes obj[key] into v if present; it reports whether it was.
func field(obj map[string]json.RawMessage, key string, v any, what string) (bool, error) {
	raw, ok := obj[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("%w: %s %s: %w", ErrMalformed, what, key, err)
	}
	return true, nil
}

func (b *BPE) loadModel(m *modelJSON) error {
	if m == nil {
		return fmt.Errorf("%w: no model", ErrMalformed)
	}
	if m.Type != nil && *m.Type == "WordPiece" {
		return b.loadWordPiece(m)
	}
	if m.Type != nil && *m.Type != "BPE" {
		return fmt.Errorf("%w model type %q: only BPE and WordPiece are supported", ErrUnsupported, *m.Type)
	}
	if !m.hasVocab || !m.hasMerges {
		return fmt.Errorf("%w: model has no vocab or no merges", ErrMalformed)
	}
	if m.Dropout != nil && *m.Dropout != 0 {
		return fmt.Errorf("%w model dropout %v: only deterministic BPE is supported", ErrUnsupported, *m.Dropout)
	}
	if m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "" {
		return fmt.Errorf("%w model continuing_subword_prefix %q", ErrUnsupported, *m.ContinuingSubwordPrefix)
	}
	if m.EndOfWordSuffix != nil && *m.EndOfWordSuffix != "" {
		return fmt.Errorf("%w model end_of_word_suffix %q", ErrUnsupported, *m.EndOfWordSuffix)
	}
	b.fuseUnk, b.byteFallback, b.ignoreMerges = m.FuseUnk, m.ByteFallback, m.IgnoreMerges
	if err := b.loadVocab(m); err != nil {
		return err
	}
	return b.loadMerges(&m.merges)
}

// loadVocab builds the vocabulary, the byte tables and the unk id.
func (b *BPE) loadVocab(m *modelJSON) error {
	var err error
	if b.vocab, err = newVocabTable(string(m.vocabKeys.buf), m.vocabKeys.ends, m.vocabIDs); err != nil {
		return err
	}
	b.maxID = -1
	b.vocab.all(func(_ string, id int32) { b.maxID = max(b.maxID, id) })
	b.modelSize = b.vocab.len()

	for c := 0; c < 256; c++ {
		b.byteID[c] = -1
		if id, ok := b.vocab.get(byteCharStr[c]); ok {
			b.byteID[c] = id
		}
		b.fallbackID[c] = -1
		if id, ok := b.vocab.get(fmt.Sprintf("<0x%02X>", c)); ok {
			b.fallbackID[c] = id
		}
	}
	if m.UnkToken != nil {
		id, ok := b.vocab.get(*m.UnkToken)
		if !ok {
			return fmt.Errorf("%w: unk_token %q is not in the vocab", ErrMalformed, *m.UnkToken)
		}
		b.unkID = id
	}
	return nil
}

// loadMerges resolves the merges (two strings each) to ids. A later
// duplicate of a pair replaces the earlier one's rank, as in Hugging Face
// tokenizers.
//
// Loading is most of the time it takes to open a large tokenizer (Gemma 3
// has 514,906 merges), so the vocabulary lookups run on all cores, and the
// merges are put into the table in the order of their slots, which turns
// a cache miss per merge into a sequential walk.
func (b *BPE) loadMerges(merges *arena) error {
	n := len(merges.ends) / 2
	b.merges = newMergeTable(n)
	entries := make([]mergeEntry, n)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/50_000))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = b.resolveMerges(merges, entries, w*n/workers, (w+1)*n/workers)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	// A stable counting sort by the top bits of the slot keeps duplicates
	// in rank order, so the later one still wins.
	const bucketBits = 12
	shift := uint(64 - bucketBits)
	var counts [1<<bucketBits + 1]int
	for _, e := range entries {
		counts[(e.key*0x9E3779B97F4A7C15)>>shift+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	sorted := make([]mergeEntry, n)
	for _, e := range entries {
		k := (e.key * 0x9E3779B97F4A7C15) >> shift
		sorted[counts[k]] = e
		counts[k]++
	}
	for _, e := range sorted {
		b.merges.put(e.key, e.rule)
	}
	return nil
}

// resolveMerges looks up the ids of merges lo..hi-1 into entries; it only
// reads b.vocab, so several run at once.
func (b *BPE) resolveMerges(merges *arena, entries []mergeEntry, lo, hi int) error {
	const per = vocabBatch / 3
	var keys [vocabBatch][]byte
	var ids [vocabBatch]int32
	for base := lo; base < hi; base += per {
		n := min(per, hi-base)
		for j := range n {
			rank := base + j
			start := 0
			if rank > 0 {
				start = merges.ends[2*rank-1]
			}
			mid, end := merges.ends[2*rank], merges.ends[2*rank+1]
			keys[3*j], keys[3*j+1], keys[3*j+2] = merges.buf[start:mid], merges.buf[mid:end], merges.buf[start:end]
		}
		b.vocab.getBatch(keys[:3*n], ids[:3*n])
		for j := range n {
			rank := base + j
			for k, what := range [3]string{"token", "token", "merged token"} {
				if ids[3*j+k] < 0 {
					return fmt.Errorf("%w: merge %d: %s %q is not in the vocab", ErrMalformed, rank, what, keys[3*j+k])
				}
			}
			entries[rank] = mergeEntry{pairKey(ids[3*j], ids[3*j+1]), mergeRule{rank: int32(rank), id: ids[3*j+2]}}
		}
	}
	return nil
}

func (b *BPE) loadPreTokenizer(raw json.RawMessage) error {
	typ, obj, err := typed(raw, "pre_tokenizer")
	if err != nil {
		return err
	}
	list := []json.RawMessage{raw}
	switch typ {
	case "null":
		list = nil
	case "Sequence":
		list = nil
		if _, err := field(obj, "pretokenizers", &list, "pre_tokenizer"); err != nil {
			return err
		}
	}
	for i, step := range list {
		what := "pre_tokenizer"
		if typ == "Sequence" {
			what = fmt.Sprintf("pre_tokenizer[%d]", i)
		}
		if b.byteLevel {
			return fmt.Errorf("%w %s after ByteLevel", ErrUnsupported, what)
		}
		if err := b.loadPreStep(step, what); err != nil {
			return err
		}
	}
	return nil
}

func (b *BPE) loadPreStep(raw json.RawMessage, what string) error {
	typ, obj, err := typed(raw, what)
	if err != nil {
		return err
	}
	switch typ {
	case "Split":
		st, err := loadSplit(obj, what)
		if err != nil {
			return err
		}
		b.steps = append(b.steps, st)
	case "BertPreTokenizer":
		b.steps = append(b.steps, preStep{split: bertNext, dropSpace: true})
	case "ByteLevel":
		// As in Hugging Face: add_prefix_space and trim_offsets are
		// required, use_regex defaults to true.
		var addPrefix, trim bool
		useRegex := true
		for _, f := range []struct {
			key string
			v   *bool
		}{{"add_prefix_space", &addPrefix}, {"trim_offsets", &trim}} {
			if ok, err := field(obj, f.key, f.v, what); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("%w: %s ByteLevel has no %s", ErrMalformed, what, f.key)
			}
		}
		if _, err := field(obj, "use_regex", &useRegex, what); err != nil {
			return err
		}
		st := preStep{prefixSpace: addPrefix}
		if useRegex {
			st.split = gpt2Next
		}
		b.steps = append(b.steps, st)
		b.byteLevel = true
	default:
		return fmt.Errorf("%w %s type %q", ErrUnsupported, what, typ)
	}
	return nil
}

// loadAddedTokens registers the added tokens the way Hugging Face does when
// it loads a tokenizer.json: a token already in the vocabulary keeps that
// id, a new one gets the next free id after the vocabulary (the id written
// in the file is only checked, with a warning, by Hugging Face).
func (b *BPE) loadAddedTokens(list []addedTokenJSON) error {
	b.addedByContent = make(map[string]int32)
	b.addedByID = make(map[int32]*addedToken)
	var specials, classic []*addedToken
	isSpecial := make(map[string]bool)
	held := make(map[addedToken]int) // how many ids hold an identical token
	maxAdded := int32(-1)
	for i, t := range list {
		if t.ID == nil || t.Content == nil || t.SingleWord == nil || t.Lstrip == nil ||
			t.Rstrip == nil || t.Normalized == nil || t.Special == nil {
			return fmt.Errorf("%w: added token %d lacks one of id, content, single_word, lstrip, rstrip, normalized, special", ErrMalformed, i)
		}
		if *t.Content == "" {
			continue
		}
		tok := &addedToken{
			content: *t.Content, special: *t.Special, singleWord: *t.SingleWord,
			lstrip: *t.Lstrip, rstrip: *t.Rstrip, normalized: *t.Normalized,
		}
		if tok.special && !isSpecial[tok.content] {
			specials = append(specials, tok)
			isSpecial[tok.content] = true
		}
		if held[*tok] > 0 {
			continue // Hugging Face ignores a token identical to one it holds
		}
		id, ok := b.tokenID(tok.content)
		if !ok {
			id = int32(b.modelSize)
			if maxAdded >= 0 && (maxAdded >= int32(b.modelSize) || b.modelSize == 0) {
				id = maxAdded + 1
			}
		}
		if id >= maxTokenID {
			return fmt.Errorf("%w: added token %q would get id %d", ErrMalformed, tok.content, id)
		}
		if old, ok := b.addedByID[id]; ok {
			held[*old]--
		}
		held[*tok]++
		b.addedByContent[tok.content] = id
		b.addedByID[id] = tok
		maxAdded = max(maxAdded, id)
		b.maxID = max(b.maxID, id)
		if !isSpecial[tok.content] {
			classic = append(classic, tok)
		}
	}
	for _, tok := range slices.Concat(specials, classic) {
		id, _ := b.tokenID(tok.content)
		if tok.normalized {
			b.addedNorm.add(b.normalize(tok.content), id)
		} else {
			b.addedRaw.add(tok.content, id)
		}
	}

	// The id table: every id's text, added tokens first as in Hugging Face.
	n := int(b.maxID) + 1
	if n > 4*(b.vocab.len()+len(b.addedByID))+1024 {
		return fmt.Errorf("%w: ids are too sparse: largest id %d for %d tokens", ErrMalformed, b.maxID, b.vocab.len()+len(b.addedByID))
	}
	b.idText = make([]string, n)
	b.idKnown = make([]bool, n)
	b.vocab.all(func(tok string, id int32) {
		// Two tokens with one id: keep the smaller, so lookups are stable.
		if !b.idKnown[id] || tok < b.idText[id] {
			b.idText[id] = tok
		}
		b.idKnown[id] = true
	})
	for id, tok := range b.addedByID {
		b.idText[id] = tok.content
		b.idKnown[id] = true
	}
	return nil
}
