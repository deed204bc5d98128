package trainer

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// PhraseScoring is how [Phrases] scores a candidate bigram (gensim's scoring parameter).
type PhraseScoring int

const (
	// ScoreDefault is gensim's 'default' (Mikolov et al. 2013):
	// (count(ab) - min_count) / (count(a)·count(b)) · vocabulary size.
	ScoreDefault PhraseScoring = iota
	// ScoreNPMI is gensim's 'npmi' (Bouma 2009), normalized pointwise mutual information in
	// [-1, 1]; bigrams rarer than min_count score -inf.
	ScoreNPMI
)

// String returns the scoring's gensim name.
func (s PhraseScoring) String() string {
	switch s {
	case ScoreDefault:
		return "default"
	case ScoreNPMI:
		return "npmi"
	}
	return "PhraseScoring(" + strconv.Itoa(int(s)) + ")"
}

// EnglishConnectorWords is gensim's ENGLISH_CONNECTOR_WORDS: words that may sit inside a
// phrase (bank_of_america) but never start or end one.
var EnglishConnectorWords = []string{"a", "an", "the", "for", "of", "with", "without", "at", "from", "to", "in",
	"on", "by", "and", "or"}

// Phrases detects phrases (new_york) from co-occurrence counts, as gensim's Phrases and
// FrozenPhrases do, and joins them in sentences before training. Build it with
// [LearnPhrases]; it is then read-only and safe for concurrent use.
type Phrases struct {
	// Delimiter joins the words of a phrase (gensim's delimiter, "_").
	Delimiter string
	// Connectors are words that may appear inside a phrase but never start or end one.
	Connectors map[string]bool
	// Scores holds every detected phrase (its words joined by Delimiter) with its score
	// (gensim's export_phrases / FrozenPhrases.phrasegrams).
	Scores map[string]float64
	// CorpusWords is the number of words the phrases were learned from.
	CorpusWords int64

	joined map[string][]byte // the phrases, ready to put in a sentence
}

// phraseCounter counts unigrams and the bigrams (with connector words between) of sentences,
// as gensim's Phrases._learn_vocab.
type phraseCounter struct {
	vocab      map[string]int64
	total      int64
	delim      string
	connectors map[string]bool
	buf        []byte
}

func (pc *phraseCounter) add(sent [][]byte) {
	var start []byte
	var between [][]byte
	for _, w := range sent {
		pc.total++
		if pc.connectors[string(w)] {
			if start != nil {
				between = append(between, w)
			}
			continue
		}
		pc.vocab[string(w)]++
		if start != nil {
			pc.buf = joinWords(pc.buf[:0], pc.delim, start, between, w)
			pc.vocab[string(pc.buf)]++
		}
		start, between = w, between[:0]
	}
}

func joinWords(buf []byte, delim string, a []byte, between [][]byte, b []byte) []byte {
	buf = append(buf, a...)
	for _, w := range between {
		buf = append(buf, delim...)
		buf = append(buf, w...)
	}
	buf = append(buf, delim...)
	return append(buf, b...)
}

// LearnPhrases reads the corpus once, tokenized as training tokenizes it (one sentence per
// line, split at MaxSentenceLength), and keeps the bigrams whose score exceeds
// o.PhrasesThreshold: gensim's Phrases(sentences, min_count, threshold, delimiter=...,
// scoring=..., connector_words=...) frozen. Unlike gensim it never prunes its counts
// (gensim prunes past max_vocab_size = 40,000,000 entries).
func LearnPhrases(ctx context.Context, c Corpus, o Options) (*Phrases, error) {
	pc := &phraseCounter{vocab: make(map[string]int64), delim: o.PhrasesDelimiter, connectors: connectorSet(o)}
	tk := tokenize.Simple{Deacc: o.Deacc}
	err := c.Each(ctx, func(r io.Reader) error {
		get := func() []byte { return make([]byte, 0, chunkSize) }
		return readChunks(ctx, r, get, func(block []byte) error {
			forEachLine(block, func(line []byte) {
				toks := tk.Tokens(line)
				for len(toks) > 0 {
					piece := toks[:min(len(toks), o.MaxSentenceLength)]
					toks = toks[len(piece):]
					pc.add(piece)
				}
			})
			return ctx.Err()
		})
	})
	if err != nil {
		return nil, err
	}
	p := &Phrases{Delimiter: o.PhrasesDelimiter, Connectors: pc.connectors, Scores: map[string]float64{},
		CorpusWords: pc.total, joined: map[string][]byte{}}
	n := float64(len(pc.vocab))
	minCount := float64(o.PhrasesMinCount)
	for tok, ab := range pc.vocab {
		parts := strings.Split(tok, p.Delimiter)
		if len(parts) < 2 {
			continue
		}
		a, b := pc.vocab[parts[0]], pc.vocab[parts[len(parts)-1]]
		if a <= 0 || b <= 0 || p.Connectors[parts[0]] || p.Connectors[parts[len(parts)-1]] {
			continue
		}
		var score float64
		switch o.PhrasesScoring {
		case ScoreNPMI:
			score = math.Inf(-1)
			if float64(ab) >= minCount {
				cw := float64(pc.total)
				pa, pb, pab := float64(a)/cw, float64(b)/cw, float64(ab)/cw
				score = math.Log(pab/(pa*pb)) / -math.Log(pab)
			}
		default:
			score = (float64(ab) - minCount) / float64(a*b) * n
		}
		if score > o.PhrasesThreshold {
			p.Scores[tok] = score
			p.joined[tok] = []byte(tok)
		}
	}
	return p, nil
}

func connectorSet(o Options) map[string]bool {
	m := map[string]bool{}
	if o.PhrasesConnectorWords == "english" {
		for _, w := range EnglishConnectorWords {
			m[w] = true
		}
	}
	return m
}

// Apply returns sent with its phrases joined, as gensim's phrases[sentence]
// (analyze_sentence): left to right, a word and the next one that is not a connector word
// (with the connector words between) become one token when they form a detected phrase.
// The result is appended to out; buf is scratch space. The joined tokens are shared,
// read-only slices.
func (p *Phrases) Apply(out, sent [][]byte, buf *[]byte) [][]byte {
	var start []byte
	var between [][]byte
	flush := func() {
		if start != nil {
			out = append(out, start)
			out = append(out, between...)
		}
		start, between = nil, between[:0]
	}
	for _, w := range sent {
		if p.Connectors[string(w)] {
			if start != nil {
				between = append(between, w)
			} else {
				out = append(out, w)
			}
			continue
		}
		if start == nil {
			start = w
			continue
		}
		*buf = joinWords((*buf)[:0], p.Delimiter, start, between, w)
		if j, ok := p.joined[string(*buf)]; ok {
			out = append(out, j)
			start, between = nil, between[:0]
			continue
		}
		flush()
		start = w
	}
	flush()
	return out
}
