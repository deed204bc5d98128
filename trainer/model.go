package trainer

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"sync/atomic"
	"time"

	"github.com/embeddb/embeddb/internal/vec"
)

// Model is a trained Word2Vec model: the vocabulary in descending count order (new words of
// continued training are appended after the old ones, as gensim does), the input vectors
// (gensim's wv) and the output layers needed to continue training.
type Model struct {
	// Words is the vocabulary; row i of Vectors is Words[i]'s vector.
	Words []string
	// Counts is each word's count in the corpora trained on.
	Counts []int64
	// Vectors holds len(Words) rows of Dim float32s, row-major.
	Vectors []float32
	// Dim is the vector size.
	Dim int
	// Options are the options of the last training (Progress cleared).
	Options Options
	// Stats describe the last training run.
	Stats Stats

	// Ngrams holds, for a FastText model, Options.Bucket rows of Dim float32s: the vectors of
	// the character n-grams hashed into each bucket (gensim's wv.vectors_ngrams). It is nil
	// for Word2Vec.
	Ngrams []float32

	syn1neg   []float32 // negative-sampling output layer, len(Words)×Dim, or nil
	syn1      []float32 // hierarchical-softmax output layer (inner nodes), or nil
	vocabVecs []float32 // FastText: the words' own input rows (gensim's wv.vectors_vocab)
}

// VocabVectors returns a FastText model's per-word input rows before they are averaged with
// the n-grams' (gensim's wv.vectors_vocab; Facebook's .bin stores these), or nil. It shares
// memory with m.
func (m *Model) VocabVectors() []float32 { return m.vocabVecs }

// SetSubwords gives a FastText model restored with [Restore] its n-gram matrix (stored apart
// from the training state) and, when the state had none, its per-word input rows. The
// slices are used, not copied.
func (m *Model) SetSubwords(ngrams, vocabVecs []float32) error {
	if m.Options.Kind != FastText {
		return fmt.Errorf("%w: not a FastText model", ErrCorruptState)
	}
	if len(ngrams) != m.Options.Bucket*m.Dim {
		return fmt.Errorf("%w: %d n-gram values for %d buckets of dimension %d", ErrCorruptState, len(ngrams), m.Options.Bucket, m.Dim)
	}
	if vocabVecs != nil {
		if len(vocabVecs) != len(m.Vectors) {
			return fmt.Errorf("%w: %d word-row values for %d vectors values", ErrCorruptState, len(vocabVecs), len(m.Vectors))
		}
		m.vocabVecs = vocabVecs
	}
	m.Ngrams = ngrams
	return nil
}

// WordVector returns word's vector: its row for a vocabulary word and, for a FastText model,
// the mean of its n-grams' rows for any other word (gensim's FastTextKeyedVectors.get_vector;
// a word with no n-gram gets the zero vector, as in gensim and fastText). ok is false for a
// word a Word2Vec model does not know. The result is a fresh slice.
func (m *Model) WordVector(word string) (v []float32, ok bool) {
	for i, w := range m.Words {
		if w == word {
			return append([]float32(nil), m.Vectors[i*m.Dim:(i+1)*m.Dim]...), true
		}
	}
	if m.Options.Kind != FastText || m.Options.Bucket == 0 {
		return nil, false
	}
	v = make([]float32, m.Dim)
	buckets := NgramBuckets(nil, word, m.Options.MinN, m.Options.MaxN, m.Options.Bucket)
	OOVVector(v, buckets, func(b uint32) []float32 { return m.Ngrams[int(b)*m.Dim : int(b+1)*m.Dim] })
	return v, true
}

// OOVVector sets dst to the mean of the n-gram rows row(b) of buckets, summed in float32 in
// order as gensim sums them, or to zero when there are none.
func OOVVector(dst []float32, buckets []uint32, row func(b uint32) []float32) {
	clear(dst)
	if len(buckets) == 0 {
		return
	}
	for _, b := range buckets {
		for i, f := range row(b)[:len(dst)] {
			dst[i] += f
		}
	}
	inv := float32(len(buckets))
	for i := range dst {
		dst[i] /= inv
	}
}

// KeyedVectors returns the model's words and vectors for evaluation. It shares memory with m.
func (m *Model) KeyedVectors() *KeyedVectors {
	return &KeyedVectors{Words: m.Words, Vectors: m.Vectors, Dim: m.Dim}
}

// Trainable reports whether m has the output layers that continued training needs.
func (m *Model) Trainable() bool { return m.syn1neg != nil || m.syn1 != nil }

// Update continues training m on more text, as gensim's build_vocab(corpus, update=True)
// followed by train(...): counts of known words grow, words new to the model that reach
// min_count are appended with fresh random vectors (and zero output weights), the
// negative-sampling table and the Huffman tree are rebuilt from the new counts, and the
// learning rate decays again from opts.Alpha to opts.MinAlpha over the new corpus.
// opts.VectorSize must equal m.Dim. m changes only when Update succeeds.
func (m *Model) Update(ctx context.Context, c Corpus, opts Options) error {
	if err := m.updatable(&opts); err != nil {
		return err
	}
	t0 := time.Now()
	if opts.Phrases {
		// The phrases of the new text, as a fresh gensim Phrases(new_sentences) finds them.
		ph, err := LearnPhrases(ctx, c, opts)
		if err != nil {
			return err
		}
		opts.phrases = ph
	}
	var counted atomic.Int64
	rv, st, err := scanVocab(ctx, c, &opts, &counted)
	if err != nil {
		return err
	}
	oldN := len(m.Words)
	v, minCount := m.grownVocab(rv, &opts)
	// The model's own matrices stay until the new ones replace them.
	if err := checkWeights(len(v.words)+len(m.Words), &opts); err != nil {
		return err
	}
	n := m.continuedNet(v, opts)
	n.totalRawWords, n.totalBytes, n.totalSents = st.rawWords, st.bytes, st.sentences
	stats := Stats{Sentences: st.sentences, RawWords: st.rawWords, VocabSeconds: time.Since(t0).Seconds()}
	for i, w := range v.words {
		if c := rv.get(w); c >= minCount || i >= oldN {
			stats.RetainedWords += c
		}
	}
	if err := n.train(ctx, c, &stats); err != nil {
		return err
	}
	nm := n.model(stats)
	keepUnusedLayers(nm, m)
	*m = *nm
	return nil
}

// updatable checks that m can be trained further with opts.
func (m *Model) updatable(opts *Options) error {
	if !m.Trainable() {
		return ErrNotTrainable
	}
	if err := opts.Validate(); err != nil {
		return err
	}
	if opts.VectorSize != m.Dim {
		return fmt.Errorf("%w: vector_size %d, but the model has %d", ErrDimension, opts.VectorSize, m.Dim)
	}
	if opts.Kind != m.Options.Kind || opts.Kind == FastText &&
		(opts.MinN != m.Options.MinN || opts.MaxN != m.Options.MaxN || opts.Bucket != m.Options.Bucket) {
		return invalid("", "continued training keeps the model's kind, min_n, max_n and bucket (%s, %d, %d, %d)",
			m.Options.Kind, m.Options.MinN, m.Options.MaxN, m.Options.Bucket)
	}
	return m.check()
}

// grownVocab is m's vocabulary with the words of the new corpus's raw
// vocabulary rv that reach min_count appended, as gensim's
// build_vocab(update=True) makes it, and that min_count.
func (m *Model) grownVocab(rv *rawVocab, opts *Options) (*vocab, int64) {
	v := &vocab{
		words:  append([]string(nil), m.Words...),
		counts: append([]int64(nil), m.Counts...),
		index:  make(map[string]int32, len(m.Words)),
	}
	for i, w := range v.words {
		v.index[w] = int32(i)
	}
	minCount := effectiveMinCount(rv.counts, opts)
	var retainTotal int64
	for i, w := range rv.words {
		cnt := rv.counts[i]
		if cnt < minCount {
			continue
		}
		retainTotal += cnt
		if _, ok := v.index[w]; !ok {
			v.index[w] = int32(len(v.words))
			v.words = append(v.words, w)
			v.counts = append(v.counts, 0)
		}
	}
	v.sampleInt = make([]uint32, len(v.words))
	for i, w := range v.words {
		cnt := rv.get(w)
		v.counts[i] += cnt
		// Retained words get gensim's threshold from their count in the new corpus; the
		// others (absent from it, or rarer than min_count there) are never or almost never
		// down-sampled by that formula either.
		v.sampleInt[i] = sampleInt(cnt, retainTotal, opts.Sample)
	}
	v.finish(opts)
	return v, minCount
}

// continuedNet is the network for vocabulary v, which starts with m's
// words: m's rows carried over, the new words' rows initialised.
func (m *Model) continuedNet(v *vocab, opts Options) *net {
	n := newNet(v, opts)
	if n.sub != nil {
		// FastText: the words' own rows, then the n-gram rows after the new vocabulary.
		copy(n.syn0, pad(m.vocabVecs, n.n, n.dim, n.stride))
		copy(n.syn0[n.n*n.stride:], pad(m.Ngrams, opts.Bucket, n.dim, n.stride))
	} else {
		n.syn0 = pad(m.Vectors, n.n, n.dim, n.stride)
	}
	n.initRows(opts.Seed, len(m.Words))
	if n.syn1neg != nil && m.syn1neg != nil {
		n.syn1neg = pad(m.syn1neg, n.n, n.dim, n.stride)
	}
	if n.syn1 != nil && m.syn1 != nil {
		n.syn1 = pad(m.syn1, n.n, n.dim, n.stride)
	}
	return n
}

// keepUnusedLayers gives nm the output layers of old that nm's run did not
// use (gensim keeps them too), padded with zero rows for the new words.
func keepUnusedLayers(nm, old *Model) {
	if nm.syn1neg == nil && nm.Options.Negative == 0 {
		nm.syn1neg = old.syn1neg
	}
	if nm.syn1 == nil && !nm.Options.HS {
		nm.syn1 = old.syn1
	}
	if nm.syn1neg != nil && len(nm.syn1neg) != len(nm.Vectors) {
		nm.syn1neg = append(nm.syn1neg, make([]float32, len(nm.Vectors)-len(nm.syn1neg))...)
	}
	if nm.syn1 != nil && len(nm.syn1) != len(nm.Vectors) {
		nm.syn1 = append(nm.syn1, make([]float32, len(nm.Vectors)-len(nm.syn1))...)
	}
}

// check verifies that m's slices agree with each other.
func (m *Model) check() error {
	n := len(m.Words)
	switch {
	case m.Dim < 1:
		return fmt.Errorf("%w: dimension %d", ErrDimension, m.Dim)
	case len(m.Counts) != n:
		return fmt.Errorf("%w: %d words but %d counts", ErrDimension, n, len(m.Counts))
	case len(m.Vectors) != n*m.Dim:
		return fmt.Errorf("%w: %d words × %d dimensions need %d values, got %d", ErrDimension, n, m.Dim, n*m.Dim, len(m.Vectors))
	case m.syn1neg != nil && len(m.syn1neg) != n*m.Dim, m.syn1 != nil && len(m.syn1) != n*m.Dim:
		return fmt.Errorf("%w: output layer size", ErrDimension)
	case m.Options.Kind == FastText && (len(m.Ngrams) != m.Options.Bucket*m.Dim || len(m.vocabVecs) != n*m.Dim):
		return fmt.Errorf("%w: FastText model without its n-gram or word rows", ErrDimension)
	}
	return nil
}

// State format: see WriteState.
const (
	stateMagic   = "EMBW2VST"
	stateVersion = 1
	maxStateMeta = 1 << 20
)

type stateMeta struct {
	Options Options `json:"options"`
	Stats   Stats   `json:"stats"`
}

// WriteState writes what continued training needs beyond the words, counts and vectors
// (which the caller stores itself): the options, the statistics and the output layers (and
// a FastText model's per-word input rows; its n-gram matrix, [Model.Ngrams], is the caller's
// to store, and [Model.SetSubwords] gives it back).
// Format (version 1, little-endian): "EMBW2VST", uint32 version, uint32 flags (1 = syn1neg,
// 2 = syn1, 4 = FastText's per-word input rows), uint64 rows, uint32 dim, uint32 length + JSON {options, stats}, the layers as
// float32 rows×dim each, then the CRC-32 (IEEE) of all preceding bytes.
func (m *Model) WriteState(w io.Writer) error {
	if err := m.check(); err != nil {
		return err
	}
	meta, err := json.Marshal(stateMeta{Options: m.Options, Stats: m.Stats})
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	crc := crc32.NewIEEE()
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	var flags uint32
	if m.syn1neg != nil {
		flags |= 1
	}
	if m.syn1 != nil {
		flags |= 2
	}
	if m.vocabVecs != nil {
		flags |= 4
	}
	hdr := make([]byte, 0, 32)
	hdr = append(hdr, stateMagic...)
	hdr = binary.LittleEndian.AppendUint32(hdr, stateVersion)
	hdr = binary.LittleEndian.AppendUint32(hdr, flags)
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(len(m.Words)))
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(m.Dim))
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(meta)))
	bw.Write(hdr)
	bw.Write(meta)
	var b [4]byte
	for _, layer := range [][]float32{m.syn1neg, m.syn1, m.vocabVecs} {
		vec.WriteFloat32s(bw, layer) // an error sticks in bw: Flush reports it
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	binary.LittleEndian.PutUint32(b[:], crc.Sum32())
	if _, err := w.Write(b[:]); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// Restore rebuilds a trainable model from the words, counts and vectors stored by the
// caller and a state written by [Model.WriteState]. The slices are used, not copied. It
// never panics: a truncated, corrupt or mismatched state gives an error wrapping
// [ErrCorruptState] (or [ErrStateVersion]).
func Restore(words []string, counts []int64, vectors []float32, state io.Reader) (*Model, error) {
	crc := crc32.NewIEEE()
	r := io.TeeReader(bufio.NewReaderSize(state, 1<<16), crc)
	flags, dim, meta, err := readStateHeader(r, words, counts, vectors)
	if err != nil {
		return nil, err
	}
	m := &Model{Words: words, Counts: counts, Vectors: vectors, Dim: int(dim), Options: meta.Options, Stats: meta.Stats}
	if flags&1 != 0 {
		if m.syn1neg, err = readStateLayer(r, len(vectors)); err != nil {
			return nil, err
		}
	}
	if flags&2 != 0 {
		if m.syn1, err = readStateLayer(r, len(vectors)); err != nil {
			return nil, err
		}
	}
	if flags&4 != 0 {
		if meta.Options.Kind != FastText {
			return nil, corruptState("word rows in the state of a %s model", meta.Options.Kind)
		}
		if m.vocabVecs, err = readStateLayer(r, len(vectors)); err != nil {
			return nil, err
		}
	}
	want := crc.Sum32()
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, corruptState("checksum: %v", err)
	}
	if binary.LittleEndian.Uint32(b[:]) != want {
		return nil, corruptState("checksum mismatch")
	}
	for _, c := range counts {
		if c < 0 {
			return nil, corruptState("negative count %d", c)
		}
	}
	if len(words) == 0 {
		return nil, corruptState("empty vocabulary")
	}
	return m, nil
}

// corruptState is an ErrCorruptState saying what is wrong.
func corruptState(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorruptState, fmt.Sprintf(format, args...))
}

// readStateHeader reads a training state's header and metadata from r and
// checks them against the table's words, counts and vectors. It returns
// the header's flags (which layers follow) and dimension, and the metadata.
func readStateHeader(r io.Reader, words []string, counts []int64, vectors []float32) (flags, dim uint32, meta stateMeta, err error) {
	hdr := make([]byte, 32)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return 0, 0, meta, corruptState("header: %v", err)
	}
	if string(hdr[:8]) != stateMagic {
		return 0, 0, meta, corruptState("not a training state (bad magic)")
	}
	if v := binary.LittleEndian.Uint32(hdr[8:]); v != stateVersion {
		return 0, 0, meta, fmt.Errorf("%w: %d (this build reads %d)", ErrStateVersion, v, stateVersion)
	}
	flags = binary.LittleEndian.Uint32(hdr[12:])
	rows := binary.LittleEndian.Uint64(hdr[16:])
	dim = binary.LittleEndian.Uint32(hdr[24:])
	metaLen := binary.LittleEndian.Uint32(hdr[28:])
	switch {
	case flags&^7 != 0 || flags&3 == 0:
		return 0, 0, meta, corruptState("flags %#x", flags)
	case rows != uint64(len(words)):
		return 0, 0, meta, corruptState("state has %d rows, the vocabulary %d words", rows, len(words))
	case len(counts) != len(words):
		return 0, 0, meta, corruptState("%d words but %d counts", len(words), len(counts))
	case dim < 1 || dim > maxVectorSize || uint64(len(vectors)) != rows*uint64(dim):
		return 0, 0, meta, corruptState("dimension %d does not match %d vectors values for %d words", dim, len(vectors), len(words))
	case metaLen > maxStateMeta:
		return 0, 0, meta, corruptState("metadata length %d", metaLen)
	}
	metaBuf := make([]byte, metaLen)
	if _, err := io.ReadFull(r, metaBuf); err != nil {
		return 0, 0, meta, corruptState("metadata: %v", err)
	}
	if err := json.Unmarshal(metaBuf, &meta); err != nil {
		return 0, 0, meta, corruptState("metadata: %v", err)
	}
	if meta.Options.WordNgrams == 0 {
		meta.Options.WordNgrams = 1 // a state written before FastText
	}
	if err := meta.Options.Validate(); err != nil {
		return 0, 0, meta, corruptState("options: %v", err)
	}
	if meta.Options.VectorSize != int(dim) {
		return 0, 0, meta, corruptState("options say vector_size %d, header %d", meta.Options.VectorSize, dim)
	}
	return flags, dim, meta, nil
}

// readStateLayer reads one layer of n little-endian float32s from r.
func readStateLayer(r io.Reader, n int) ([]float32, error) {
	out := make([]float32, n)
	buf := make([]byte, 4*min(n, 1<<14))
	for off := 0; off < n; {
		k := min(n-off, len(buf)/4)
		if _, err := io.ReadFull(r, buf[:4*k]); err != nil {
			return nil, corruptState("layer: %v", err)
		}
		vec.Float32.Decode(out[off:off+k], buf[:4*k])
		off += k
	}
	return out, nil
}
