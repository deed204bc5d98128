package trainer

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// Stats describe a training run.
type Stats struct {
	// Sentences is the number of non-empty sentences in the corpus (one pass).
	Sentences int64
	// RawWords is the number of tokens in the corpus (one pass), before any filtering.
	RawWords int64
	// RetainedWords is the number of tokens whose word is in the vocabulary (one pass).
	RetainedWords int64
	// EffectiveWords is the number of tokens actually trained on, over all epochs, after
	// frequent-word down-sampling.
	EffectiveWords int64
	// VocabSeconds is the time the counting pass took.
	VocabSeconds float64
	// Seconds is the time the training passes took (the vocabulary pass excluded).
	Seconds float64
	// WordsPerSec is RawWords·Epochs/Seconds, the figure gensim and the peers report.
	WordsPerSec float64
}

// guideShift sets the resolution of the table that narrows the negative-sampling search:
// one entry per 2^guideShift values of the 31-bit draw.
const guideShift = 15

// net holds the weight matrices while training, rows padded to stride float32s.
type net struct {
	dim, stride   int
	syn0          []float32
	syn1neg, syn1 []float32
	n             int
	guide         []int32
	vocab         *vocab
	opts          Options
	processed     atomic.Int64   // raw words done, all epochs
	effective     atomic.Int64   // words trained on, all epochs
	totalRawWords int64          // raw words per epoch
	totalBytes    int64          // bytes per epoch, as readChunks reads them (split.go)
	totalSents    int64          // sentences per epoch (gensim's corpus_count)
	partSent      []atomic.Int64 // sentences done per epoch and part, when epochs are split (split.go)
	stop          atomic.Bool

	// FastText only: syn0 then holds n word rows followed by opts.Bucket n-gram rows, and
	// word i trains through the syn0 rows sub[subOff[i]:subOff[i+1]] (itself first, then
	// its n-grams' rows), as fastText's getSubwords lists them.
	sub    []int32
	subOff []int32
}

func strideFor(dim int) int { return (dim + 7) &^ 7 }

// checkWeights refuses, before they are allocated, weights of rows words that would take more
// than o.MemoryLimit with the vocabulary: the padded matrices training uses, their unpadded
// copies in the Model, and per word its vocabulary entry, sampling threshold and
// negative-sampling and Huffman tables.
func checkWeights(rows int, o *Options) error {
	if o.MemoryLimit <= 0 {
		return nil
	}
	layers := int64(1)
	if o.Negative > 0 {
		layers++
	}
	if o.HS {
		layers++
	}
	perWord := layers*int64(strideFor(o.VectorSize)+o.VectorSize)*4 + 2*vocabWordBytes
	need := int64(rows) * perWord
	if o.Kind == FastText {
		// The n-gram rows, padded while training (unpadded in place afterwards), and per
		// word its n-gram list and its composed vector.
		need += int64(o.Bucket)*int64(strideFor(o.VectorSize))*4 + int64(rows)*(int64(o.VectorSize)*4+4*(int64(o.MaxN-o.MinN+1)*16+1))
	}
	if need > o.MemoryLimit {
		return &TooLargeError{Phase: "training", What: fmt.Sprintf("training %d words of dimension %d", rows, o.VectorSize),
			Need: need, Limit: o.MemoryLimit}
	}
	return nil
}

func newNet(v *vocab, o Options) *net {
	n := &net{dim: o.VectorSize, stride: strideFor(o.VectorSize), n: v.size(), vocab: v, opts: o}
	if o.Kind == FastText {
		n.syn0 = make([]float32, (n.n+o.Bucket)*n.stride)
		n.buildSubwords()
	} else {
		n.syn0 = make([]float32, n.n*n.stride)
	}
	if o.Negative > 0 {
		n.syn1neg = make([]float32, n.n*n.stride)
	}
	if o.HS {
		n.syn1 = make([]float32, n.n*n.stride)
	}
	return n
}

// initRows gives rows from..n-1 of syn0 gensim's random start: uniform in [-1/dim, 1/dim).
func (n *net) initRows(seed int64, from int) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	// Advance past the rows already initialised so continued training gives new words the
	// values a fresh run would have given them.
	for i := 0; i < from*n.dim; i++ {
		rng.Float32()
	}
	inv := 1 / float32(n.dim)
	for r := from; r < n.n; r++ {
		row := n.syn0[r*n.stride : r*n.stride+n.dim]
		for i := range row {
			row[i] = (rng.Float32()*2 - 1) * inv
		}
	}
	if n.sub != nil && from == 0 {
		n.initBuckets(seed)
	}
}

// bucketBlock is how many n-gram rows initBuckets draws from one generator: the blocks are
// filled in parallel, each from its own seed, so the values do not depend on the workers.
const bucketBlock = 1 << 14

// initBuckets gives the n-gram rows the same start as the word rows (gensim draws them with
// seed+1). They are millions (bucket 2,000,000 × vector_size), the largest fixed cost of
// training FastText on a small corpus: a splitmix64 draw gives two 24-bit uniforms, and the
// blocks of rows are filled by Workers goroutines.
func (n *net) initBuckets(seed int64) {
	inv := 1 / float32(n.dim)
	blocks := (n.opts.Bucket + bucketBlock - 1) / bucketBlock
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(n.opts.Workers, blocks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := int(next.Add(1) - 1); b < blocks; b = int(next.Add(1) - 1) {
				x := splitmix(uint64(seed+1)*0x9e3779b97f4a7c15 ^ uint64(b))
				lo := n.n + b*bucketBlock
				hi := min(lo+bucketBlock, n.n+n.opts.Bucket)
				for r := lo; r < hi; r++ {
					row := n.syn0[r*n.stride : r*n.stride+n.dim]
					for i := 0; i < len(row); i += 2 {
						x += 0x9e3779b97f4a7c15
						z := splitmix(x)
						row[i] = (float32(z>>40)*(2.0/(1<<24)) - 1) * inv
						if i+1 < len(row) {
							row[i+1] = (float32(z>>16&(1<<24-1))*(2.0/(1<<24)) - 1) * inv
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}

// splitmix is splitmix64's output function (Steele, Lea and Flood 2014).
func splitmix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// buildGuide precomputes, for each bucket b, bisect_left(cum, b<<guideShift).
func (n *net) buildGuide() {
	v := n.vocab
	if len(v.cum) == 0 {
		return
	}
	nb := int(v.cumMax>>guideShift) + 2
	n.guide = make([]int32, nb)
	i := 0
	for b := range n.guide {
		x := uint64(b) << guideShift
		for i < len(v.cum) && uint64(v.cum[i]) < x {
			i++
		}
		n.guide[b] = int32(i)
	}
}

// worker is one training goroutine's private state and scratch space.
type worker struct {
	net   *net
	voc   *vocab
	guide []int32
	rnd   uint64

	tok     tokenize.Simple
	sent    []int32
	ctx     []int32
	targets []int32
	labels  []float32
	dots    []float32
	live    []int32
	g       []float32
	neu1    []float32
	work    []float32
	mdots   []float32 // context × target scores (sgWindowNeg)
	gm, gT  []float32 // their gradients, and transposed
	works   []float32 // one gradient row per context word
	sigmoid sigmoidKind
	slots   ftSlots  // FastText CBOW: the sentence's positions in the window (ftcbow.go)
	phrased [][]byte // a sentence with its phrases joined
	scratch []byte
}

func (n *net) newWorker(id int) *worker {
	seed := uint64(n.opts.Seed)*0x9e3779b97f4a7c15 + uint64(id)*0xbf58476d1ce4e5b9 + 1
	seed ^= seed >> 31
	w := &worker{
		net: n, voc: n.vocab, guide: n.guide,
		rnd:  seed & lcgMask,
		tok:  tokenize.Simple{Deacc: n.opts.Deacc},
		neu1: make([]float32, n.stride),
		work: make([]float32, n.stride),
	}
	k := n.opts.Negative + 1
	if n.opts.HS {
		k = max(k, 64)
	}
	w.targets = make([]int32, 0, k)
	w.labels = make([]float32, 0, k)
	w.dots = make([]float32, k)
	w.live = make([]int32, 0, k)
	w.g = make([]float32, 0, k)
	return w
}

// alphaAt is the learning rate after done raw words (all epochs). It decays linearly from
// alpha to min_alpha as gensim's corpus_file mode decays it: there each of W workers reads
// its own 1/W of the corpus per epoch and measures its progress against the whole epoch,
// so within an epoch the rate falls only 1/W of the way to the next epoch's, and the last
// epoch ends at alpha - (alpha - min_alpha)·(epochs - 1 + 1/W)/epochs. Here the workers
// share the blocks of every epoch, so each has done about 1/W of the epoch's words when
// the shared count says the epoch is done; the rate follows that. With one worker this is
// the plain linear decay of gensim's iterable mode and the C tool. (With several workers and
// a corpus of a few blocks or more, each part of a split epoch has its own rate instead:
// blockAlpha, split.go.)
func (n *net) alphaAt(done int64) float32 {
	total := float64(n.totalRawWords) * float64(n.opts.Epochs)
	p := 0.0
	if total > 0 && n.totalRawWords > 0 {
		epochs := float64(done) / float64(n.totalRawWords)
		e := math.Floor(epochs)
		f := epochs - e
		if e >= float64(n.opts.Epochs) {
			e, f = float64(n.opts.Epochs-1), 1
		}
		p = (e + f/float64(n.opts.Workers)) / float64(n.opts.Epochs)
	}
	a := n.opts.Alpha - (n.opts.Alpha-n.opts.MinAlpha)*p
	return float32(max(a, n.opts.MinAlpha))
}

// publishEvery is how many raw words a worker processes between updates of the shared
// word count (and so of its learning rate), as the C tool's 10,000.
const publishEvery = 10000

// run trains all epochs: the corpus is read into blocks of lines (an epoch in parts at once
// with several workers, split.go), the workers tokenize and train them.
func (n *net) run(ctx context.Context, c Corpus) error {
	n.buildGuide()
	workers := n.opts.Workers
	blocks := make(chan block, 2*workers)
	n.partSent = make([]atomic.Int64, n.opts.Epochs*n.epochParts())
	free := make(chan []byte, 4*workers)
	get := func() []byte {
		select {
		case b := <-free:
			return b[:0]
		default:
			return make([]byte, 0, chunkSize)
		}
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopWatch := context.AfterFunc(ctx, func() { n.stop.Store(true) })
	defer stopWatch()

	var readErr error
	go func() {
		defer close(blocks)
		put := func(b []byte) {
			select {
			case free <- b:
			default:
			}
		}
		for e := 0; e < n.opts.Epochs; e++ {
			send := func(b []byte, part int) error {
				select {
				case blocks <- block{b, e, part}:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			if err := n.readEpoch(ctx, c, get, put, send); err != nil {
				readErr = err
				cancel()
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for id := 0; id < workers; id++ {
		w := n.newWorker(id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range blocks {
				if !n.stop.Load() {
					w.trainBlock(b)
				}
				select {
				case free <- b.text:
				default:
				}
			}
		}()
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return err // cancelled by the caller
	}
	return readErr
}

// trainBlock tokenizes and trains every line of b.
func (w *worker) trainBlock(b block) {
	n := w.net
	v := w.voc
	maxLen := n.opts.MaxSentenceLength
	sample := n.opts.Sample != 0
	var pending, effective, sents int64
	alpha := n.blockAlpha(b, 0)
	forEachLine(b.text, func(line []byte) {
		if n.stop.Load() {
			return
		}
		toks := w.tok.Tokens(line)
		for len(toks) > 0 {
			piece := toks[:min(len(toks), maxLen)]
			toks = toks[len(piece):]
			if n.opts.phrases != nil {
				w.phrased = n.opts.phrases.Apply(w.phrased[:0], piece, &w.scratch)
				piece = w.phrased
			}
			sent := w.sent[:0]
			for _, t := range piece {
				id, ok := v.index[string(t)]
				if !ok {
					continue
				}
				if sample && v.sampleInt[id] < w.randUint32() {
					continue
				}
				sent = append(sent, id)
			}
			w.sent = sent
			w.trainSentence(sent, alpha)
			effective += int64(len(sent))
			pending += int64(len(piece))
			sents++
			if pending >= publishEvery {
				n.processed.Add(pending)
				alpha = n.blockAlpha(b, sents)
				pending, sents = 0, 0
			}
		}
	})
	n.processed.Add(pending)
	n.blockAlpha(b, sents)
	n.effective.Add(effective)
}

// progressReporter calls Options.Progress from one goroutine.
type progressReporter struct {
	fn    func(Progress)
	every time.Duration
	stopc chan struct{}
	done  chan struct{}
	final bool // set before stopc closes: report once more on the way out
}

func startProgress(o *Options, snap func() Progress) *progressReporter {
	if o.Progress == nil {
		return nil
	}
	p := &progressReporter{fn: o.Progress, every: o.ProgressInterval, stopc: make(chan struct{}), done: make(chan struct{})}
	if p.every <= 0 {
		p.every = 250 * time.Millisecond
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stopc:
				if p.final {
					p.fn(snap())
				}
				return
			case <-t.C:
				p.fn(snap())
			}
		}
	}()
	return p
}

// stop ends the reporter and waits for it, so Progress is never called after it returns.
func (p *progressReporter) stop() {
	if p == nil {
		return
	}
	close(p.stopc)
	<-p.done
}

// finish ends the reporter after one last report, so that a phase that
// completes always ends with a report of its whole work (a progress bar's
// 100%), however short it was.
func (p *progressReporter) finish() {
	if p == nil {
		return
	}
	p.final = true
	p.stop()
}

// Train counts the vocabulary of c, then trains Word2Vec on it for opts.Epochs passes, as
// gensim's Word2Vec(corpus_file=..., **params) does. It returns ctx.Err() promptly when ctx
// is cancelled, and then no model.
func Train(ctx context.Context, c Corpus, opts Options) (*Model, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if opts.Phrases {
		ph, err := LearnPhrases(ctx, c, opts)
		if err != nil {
			return nil, err
		}
		opts.phrases = ph
	}
	var counted atomic.Int64
	rep := startProgress(&opts, func() Progress {
		el := time.Since(t0)
		w := counted.Load()
		return Progress{Phase: "vocabulary", Epochs: opts.Epochs, Words: w, Elapsed: el,
			WordsPerSec: float64(w) / max(el.Seconds(), 1e-9), Alpha: opts.Alpha}
	})
	rv, st, err := scanVocab(ctx, c, &opts, &counted)
	rep.stop()
	if err != nil {
		return nil, err
	}
	v := buildVocab(rv, &opts)
	rv = nil
	if v.size() == 0 {
		return nil, ErrEmptyVocabulary
	}
	stats := Stats{Sentences: st.sentences, RawWords: st.rawWords}
	for _, c := range v.counts {
		stats.RetainedWords += c
	}
	stats.VocabSeconds = time.Since(t0).Seconds()
	if err := checkWeights(v.size(), &opts); err != nil {
		return nil, err
	}

	n := newNet(v, opts)
	n.initRows(opts.Seed, 0)
	n.totalRawWords, n.totalBytes, n.totalSents = st.rawWords, st.bytes, st.sentences
	if err := n.train(ctx, c, &stats); err != nil {
		return nil, err
	}
	return n.model(stats), nil
}

// train runs the epochs with progress reports and fills the timing fields of stats.
func (n *net) train(ctx context.Context, c Corpus, stats *Stats) error {
	t1 := time.Now()
	total := n.totalRawWords * int64(n.opts.Epochs)
	rep := startProgress(&n.opts, func() Progress {
		el := time.Since(t1)
		done := n.processed.Load()
		p := Progress{Phase: "training", Epochs: n.opts.Epochs, Words: done, TotalWords: total,
			Elapsed: el, Alpha: float64(n.alphaAt(done))}
		if n.totalRawWords > 0 {
			p.Epoch = min(int(done/n.totalRawWords)+1, n.opts.Epochs)
		}
		if s := el.Seconds(); s > 0 {
			p.WordsPerSec = float64(done) / s
		}
		if done > 0 && total > done {
			p.ETA = time.Duration(float64(el) * float64(total-done) / float64(done))
		}
		return p
	})
	err := n.run(ctx, c)
	if err != nil {
		rep.stop()
		return err
	}
	rep.finish()
	stats.Seconds = time.Since(t1).Seconds()
	stats.EffectiveWords = n.effective.Load()
	if stats.Seconds > 0 {
		stats.WordsPerSec = float64(stats.RawWords) * float64(n.opts.Epochs) / stats.Seconds
	}
	return nil
}

// unpad copies the first dim values of every row of m (stride apart) into a dense matrix.
func unpad(m []float32, rows, dim, stride int) []float32 {
	if m == nil {
		return nil
	}
	if dim == stride {
		return append([]float32(nil), m[:rows*dim]...)
	}
	out := make([]float32, rows*dim)
	for r := 0; r < rows; r++ {
		copy(out[r*dim:(r+1)*dim], m[r*stride:r*stride+dim])
	}
	return out
}

// pad is the inverse of unpad; rows beyond the dense matrix stay zero.
func pad(dense []float32, rows, dim, stride int) []float32 {
	out := make([]float32, rows*stride)
	for r := 0; r < len(dense)/dim && r < rows; r++ {
		copy(out[r*stride:r*stride+dim], dense[r*dim:(r+1)*dim])
	}
	return out
}

func (n *net) model(stats Stats) *Model {
	o := n.opts
	o.Progress = nil
	o.phrases = nil
	m := &Model{
		Words:   n.vocab.words,
		Counts:  n.vocab.counts,
		Dim:     n.dim,
		Options: o,
		Stats:   stats,
		syn1neg: unpad(n.syn1neg, n.n, n.dim, n.stride),
		syn1:    unpad(n.syn1, n.n, n.dim, n.stride),
	}
	if n.sub == nil {
		m.Vectors = unpad(n.syn0, n.n, n.dim, n.stride)
		return m
	}
	m.Vectors = n.composed()
	// Unpadded in place, so the n-gram matrix is never held twice.
	dense := unpadInPlace(n.syn0, n.n+o.Bucket, n.dim, n.stride)
	n.syn0 = nil
	m.vocabVecs = dense[: n.n*n.dim : n.n*n.dim]
	m.Ngrams = dense[n.n*n.dim:]
	return m
}
