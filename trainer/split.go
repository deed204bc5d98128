package trainer

import (
	"context"
	"errors"
	"io"
	"sync"
)

// Reading an epoch in parts, as gensim's corpus_file mode does.
//
// gensim's corpus_file mode (word2vec_corpusfile.pyx, fasttext_corpusfile.pyx) gives each of
// its W worker threads its own 1/W of the file, from a byte offset, and the threads train
// their parts at the same time. Each thread decays its learning rate by the sentences it has
// done over the corpus's sentences (get_next_alpha with total_examples = corpus_count), from
// the rate of the epoch's start: a part of few long sentences keeps a high rate all epoch,
// a part of many short ones decays further. On gensim's own test corpora (a Wikipedia dump of
// 1,000-token lines, then news, reviews and short documents) the first half has 286 lines
// and the second 793, so the Wikipedia text trains at a rate that falls only 0.27 of an
// epoch's step per epoch; decaying both by words instead left FastText skip-gram's analogy
// accuracy 1.4 points below corpus_file's (scripts/compare-train.sh quality, README).
// So with W workers the epoch is read as W parts at once, part p being the blocks that start
// in [p/W, (p+1)/W) of the epoch's bytes, the workers take blocks from every part as they
// come, and each part has its own rate (blockAlpha).

// errPartDone stops a part's reader at the end of its share of the epoch.
var errPartDone = errors.New("trainer: part done")

// minPartBlocks is how many blocks a part must have on average for the epoch to be split:
// a corpus of a few blocks is read whole, as before.
const minPartBlocks = 2

// epochParts is how many parts an epoch of the corpus is read in.
func (n *net) epochParts() int {
	w := n.opts.Workers
	if w <= 1 || n.totalBytes < int64(w)*minPartBlocks*chunkSize {
		return 1
	}
	return w
}

// readEpoch reads one epoch of c in n.epochParts() parts at once and hands every block to
// send; blocks before a part's share go back through put.
func (n *net) readEpoch(ctx context.Context, c Corpus, get func() []byte, put func([]byte), send func([]byte, int) error) error {
	parts := n.epochParts()
	if parts == 1 {
		whole := func(b []byte) error { return send(b, -1) }
		return c.Each(ctx, func(r io.Reader) error { return readChunks(ctx, r, get, whole) })
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	for p := range parts {
		lo := n.totalBytes * int64(p) / int64(parts)
		hi := n.totalBytes * int64(p+1) / int64(parts)
		if p == parts-1 {
			hi = 1<<63 - 1 // the last part takes whatever follows, should the text have grown
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var off int64
			err := c.Each(ctx, func(r io.Reader) error {
				return readChunks(ctx, r, get, func(b []byte) error {
					start := off
					off += int64(len(b))
					switch {
					case start < lo:
						put(b)
						return nil
					case start >= hi:
						put(b)
						return errPartDone
					}
					return send(b, p)
				})
			})
			if err != nil && !errors.Is(err, errPartDone) {
				once.Do(func() { first = err; cancel() }) // the other parts stop too
			}
		}()
	}
	wg.Wait()
	return first
}

// block is a block of lines of one epoch, from one part of it (-1: the epoch is read whole).
type block struct {
	text  []byte
	epoch int
	part  int
}

// blockAlpha adds sents sentences to the count of b's part and returns the learning rate to
// train on with. Read whole, an epoch decays the rate by the shared count of raw words
// (alphaAt). Split, each part decays it as gensim's corpus_file worker that reads that part
// does (word2vec_corpusfile.pyx, get_next_alpha): by the sentences it has done over the
// corpus's sentences, from where the epoch starts, so a part of long sentences (a Wikipedia
// dump) keeps a higher rate than one of short ones, and no part goes below
// alpha - (alpha - min_alpha)·(epoch + its share)/epochs.
func (n *net) blockAlpha(b block, sents int64) float32 {
	if b.part < 0 || n.totalSents == 0 {
		return n.alphaAt(n.processed.Load())
	}
	done := n.partSent[b.epoch*n.epochParts()+b.part].Add(sents)
	p := (float64(b.epoch) + float64(done)/float64(n.totalSents)) / float64(n.opts.Epochs)
	a := n.opts.Alpha - (n.opts.Alpha-n.opts.MinAlpha)*p
	return float32(max(a, n.opts.MinAlpha))
}
