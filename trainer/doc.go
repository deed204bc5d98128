// Package trainer trains Word2Vec and FastText embeddings (skip-gram and CBOW, with negative
// sampling and/or hierarchical softmax) from text, with gensim's parameters and semantics,
// and evaluates word vectors as gensim's KeyedVectors does.
//
// # Basics
//
// A [Corpus] is text with one sentence per line (gensim's LineSentence): [Files] re-opens
// plain or gzipped files for every pass, [Reader] spools a one-shot stream to a temporary
// file, [Text] holds a string. Every line is tokenized with gensim's simple_preprocess
// (lower case, alphabetic runs of 2 to 15 characters, none starting with '_'); a UTF-8 BOM is
// dropped, '\r' is whitespace, and lines longer than max_sentence_length (10,000) tokens are
// split as LineSentence splits them.
//
//	opts := trainer.DefaultOptions()          // gensim's defaults
//	opts.Set("sg", int64(1))                  // or opts.SkipGram = true
//	m, err := trainer.Train(ctx, trainer.Files("train-data.txt"), opts)
//
// [Train] makes two kinds of pass, streaming the corpus each time, so memory is bounded by
// the vocabulary and the matrices, not the corpus: one pass counts words (with
// max_vocab_size pruning as gensim prunes), then opts.Epochs passes train. The vocabulary
// follows gensim's prepare_vocab exactly: min_count and max_final_vocab, descending counts
// with ties in the order numpy 1.24's argsort leaves them, sample's down-sampling
// thresholds, the unigram^ns_exponent table and the Huffman tree (see the goldens in
// testdata/). The learning rate decays linearly from alpha to min_alpha over all epochs,
// driven by the shared count of words processed.
//
// The [Model] holds the vocabulary with counts, the input vectors (gensim's wv) and the
// output layers. [Model.WriteState] and [Restore] persist and restore what continued
// training needs beyond the words, counts and vectors; [Model.Update] continues training as
// gensim's build_vocab(update=True) + train.
//
// # FastText
//
// With Options.Kind = [FastText] (model = 'fasttext'), every word also trains the vectors of
// its character n-grams of MinN to MaxN characters (of "<word>", as fastText and gensim cut
// them), hashed into Bucket rows with fastText's hash ([HashBytes], [NgramBuckets]: the same
// ids as Facebook's .bin files and gensim). A word's vector is the mean of its own row and its
// n-grams' rows; [Model.WordVector] gives any word one, an unseen word the mean of its
// n-grams' rows ([Model.Ngrams]), as gensim's FastTextKeyedVectors does. Training follows
// gensim's fasttext_inner.pyx: skip-gram's input is the center word's row plus its n-grams'
// rows divided by the number of n-grams, each (center, context) pair sees the input as the
// previous pair left it, and the sigmoid is fastText's (512 slots on [-8, 8)). The rows are
// written once per window with the summed gradient while the input is moved pair by pair as
// gensim's recomposition would move it, which is most of the speed-up; CBOW takes the mean
// of every row of every context word, as gensim does.
//
// # Phrases
//
// With Options.Phrases, [Train] first learns gensim's Phrases from the corpus ([LearnPhrases]:
// unigram and bigram counts, scoring 'default' or 'npmi', min_count, threshold, delimiter,
// connector words) and then joins the detected phrases (new_york) in every sentence before
// counting and training, as Word2Vec(Phrases(sentences)[sentences]) does in gensim. The
// counts are never pruned (gensim prunes past 40,000,000 entries); [Model.Update] learns the
// phrases of its new text.
//
// [KeyedVectors] evaluates any table of vectors: [KeyedVectors.EvaluateWordAnalogies]
// (questions-words.txt, 3CosAdd) and [KeyedVectors.EvaluateWordPairs] (WordSim-353,
// SimLex-999) give gensim's figures on the same vectors.
//
// # Speed
//
// The inner loops use AVX2+FMA assembly kernels (internal/vec) when the CPU has them
// (checked at start-up with CPUID; EMBEDDB_NOASM=1 forces the portable Go kernels), a
// precomputed sigmoid table, per-worker scratch space and gensim's linear-congruential
// generator. Matrix rows are padded to a multiple of 8 floats. Skip-gram with negative
// sampling trains a center word against all its context words at once, sharing the noise
// words across the window (Ji et al. 2016); see [Caveats].
//
// # Concurrency
//
// Train and Update run Options.Workers goroutines that share the weight matrices without
// locks (Hogwild, as the word2vec C tool and gensim do); that deliberate race is confined to
// hogwild.go. One more goroutine reads the corpus and, when set, one calls
// Options.Progress, never concurrently with itself and never after Train returns.
// Cancelling the context stops training within a fraction of a second; Train then returns
// ctx.Err() and no model, and Update leaves the model unchanged. A Model must not be used
// while Update runs on it; KeyedVectors methods may run concurrently with each other.
//
// # Caveats
//
//   - Only Workers = 1 is deterministic: with several workers the Hogwild updates and the
//     order in which workers take blocks of lines vary from run to run (as in gensim).
//   - Random numbers are not numpy's: vectors start from the same distribution as gensim's
//     (uniform in [-1/dim, 1/dim)) but not the same values, so results match gensim in
//     quality, not bit for bit.
//   - Skip-gram with negative sampling shares each center word's noise words across its
//     window and takes all of a window's scores before updating, where gensim draws noise
//     words per (center, context) pair; quality stays within gensim's run-to-run spread on
//     the peers' benchmark (scripts/compare-train.sh). CBOW and hierarchical softmax draw
//     exactly as gensim does (scores of one update are still taken before its rows change).
//   - With several workers an epoch is read as gensim's corpus_file mode reads it: in W parts
//     of the file at once (a corpus of fewer than 2·W blocks of 128 KiB is read whole), each
//     part decaying its learning rate by its own sentences over the corpus's, from the rate
//     at the start of the epoch, as each corpus_file worker does. Within an epoch a part's
//     rate thus falls only its share of the way to the next epoch's, and with 2 workers and
//     5 epochs training ends near 0.0026 rather than min_alpha; a part of few long lines
//     keeps a higher rate than one of many short lines. gensim's corpus_file mode scores
//     1–4 points of analogy accuracy above its iterable mode with it (README, quality over
//     seeds), so embeddb follows it; with workers = 1 the rate decays linearly from alpha to min_alpha by
//     words, as in gensim's iterable mode and the C tool.
//   - Continued training recomputes every word's down-sampling threshold from the new
//     corpus; gensim keeps the old threshold for words rarer than min_count in the new text.
//   - The tie order of equal counts follows numpy 1.24 (the reference gensim here); numpy
//     2.x's AVX-512 argsort may order ties differently.
//   - A line is held in memory whole: a file with no newline for gigabytes needs that much.
//   - Evaluation upper-cases words with Go's Unicode rules, which differ from Python's for a
//     few characters (ß).
package trainer
