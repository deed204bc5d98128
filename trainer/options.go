package trainer

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Options are the training parameters. Field names follow gensim's Word2Vec parameters
// (the gensim name is given in each comment); [DefaultOptions] returns gensim's defaults.
// The zero value is not usable: start from DefaultOptions.
type Options struct {
	// VectorSize is the dimension of the word vectors (vector_size, default 100).
	VectorSize int
	// Window is the maximum distance between the current and a predicted word (window, default 5).
	Window int
	// MinCount drops words with a total count below it (min_count, default 5; 0 behaves as 1).
	MinCount int
	// MaxVocabSize bounds the number of distinct words kept while counting: when the count table
	// grows past it, the rarest words are pruned as gensim does (max_vocab_size; 0 = no limit).
	MaxVocabSize int
	// MaxFinalVocab raises the effective min_count so that at most this many words are kept
	// (max_final_vocab; 0 = no limit).
	MaxFinalVocab int
	// Sample is the threshold for down-sampling frequent words (sample, default 1e-3; 0 = off;
	// values >= 1 are an absolute count, as in gensim).
	Sample float64
	// Workers is the number of training goroutines (workers, default 3).
	Workers int
	// SkipGram selects skip-gram; false is CBOW (sg, default 0 = CBOW).
	SkipGram bool
	// HS enables hierarchical softmax (hs, default 0).
	HS bool
	// Negative is the number of noise words for negative sampling; 0 disables it (negative, default 5).
	Negative int
	// NSExponent shapes the negative-sampling distribution: count^NSExponent (ns_exponent, default 0.75).
	NSExponent float64
	// CBOWMean averages the context vectors in CBOW; false sums them (cbow_mean, default 1).
	CBOWMean bool
	// Alpha is the initial learning rate (alpha, default 0.025).
	Alpha float64
	// MinAlpha is the learning rate reached at the end of the last epoch (min_alpha, default 0.0001).
	MinAlpha float64
	// Epochs is the number of passes over the corpus (epochs, default 5).
	Epochs int
	// Seed seeds every random choice (seed, default 1). With Workers = 1 the result is
	// bit-for-bit reproducible.
	Seed int64
	// ShrinkWindows draws each word's effective window uniformly from 1..Window, as word2vec and
	// gensim do (shrink_windows, default true).
	ShrinkWindows bool
	// MaxSentenceLength splits longer lines into sentences of at most this many tokens, as gensim's
	// LineSentence does (max_sentence_length, default 10000).
	MaxSentenceLength int
	// Deacc strips accents while tokenizing, as simple_preprocess(deacc=True) (deacc, default false).
	Deacc bool

	// Kind picks the model: [Word2Vec] (the default) or [FastText] (model = 'fasttext'), which
	// also learns vectors of character n-grams, so words never seen get vectors too.
	Kind ModelKind
	// MinN is the shortest character n-gram of FastText (min_n, default 3).
	MinN int
	// MaxN is the longest character n-gram of FastText (max_n, default 6); below MinN, no
	// n-grams are used.
	MaxN int
	// Bucket is the number of rows the n-grams are hashed into (bucket, default 2,000,000;
	// 0 = no n-grams).
	Bucket int
	// WordNgrams is fastText's word n-gram length (word_ngrams, default 1); as in gensim, only 1
	// is supported.
	WordNgrams int

	// Phrases joins frequent bigrams (new_york) before training, as gensim's
	// Word2Vec(Phrases(sentences)[sentences]) does: an extra pass learns them with
	// [LearnPhrases] (phrases, default false).
	Phrases bool
	// PhrasesMinCount ignores bigrams rarer than this (phrases_min_count, gensim's min_count 5).
	PhrasesMinCount int
	// PhrasesThreshold keeps bigrams that score above it (phrases_threshold, gensim's threshold 10.0).
	PhrasesThreshold float64
	// PhrasesScoring is the scoring function (phrases_scoring, 'default' or 'npmi').
	PhrasesScoring PhraseScoring
	// PhrasesDelimiter joins a phrase's words (phrases_delimiter, default "_").
	PhrasesDelimiter string
	// PhrasesConnectorWords is "english" for gensim's ENGLISH_CONNECTOR_WORDS, "" for none
	// (phrases_connector_words, default none, as gensim's connector_words=frozenset()).
	PhrasesConnectorWords string

	phrases *Phrases // learned by Train from the corpus when Phrases is set

	// MemoryLimit, when above zero, bounds the memory that counting the vocabulary and the
	// weight matrices may take, as estimated before they grow: Train and Update then fail
	// with a [*TooLargeError] rather than exhaust the machine. It is not a gensim parameter
	// (max_vocab_size is gensim's bound on the counting, and it prunes instead of failing).
	MemoryLimit int64 `json:"-"`

	// Progress, when not nil, is called about every ProgressInterval during training, always
	// from the same goroutine and never concurrently with itself, and once more when a
	// training completes, with all its words done. It must not block for long.
	Progress func(Progress) `json:"-"`
	// ProgressInterval is the time between Progress calls (0 = 250ms).
	ProgressInterval time.Duration `json:"-"`
}

// Progress is a snapshot of a running training, given to [Options.Progress].
type Progress struct {
	// Phase is "vocabulary" during the counting pass and "training" afterwards.
	Phase string
	// Epoch is the current epoch, from 1 (0 during the vocabulary pass).
	Epoch int
	// Epochs is the number of epochs.
	Epochs int
	// Words is the number of raw words processed so far (all epochs; counting words in the
	// vocabulary phase).
	Words int64
	// TotalWords is the number of raw words to process in all epochs (0 while unknown).
	TotalWords int64
	// WordsPerSec is the training speed so far, in raw words per second.
	WordsPerSec float64
	// Alpha is the current learning rate.
	Alpha float64
	// Elapsed is the time since the phase started.
	Elapsed time.Duration
	// ETA is the estimated time left (0 while unknown).
	ETA time.Duration
}

// DefaultOptions returns gensim's Word2Vec defaults, as a fresh value.
func DefaultOptions() Options {
	return Options{
		VectorSize:        100,
		Window:            5,
		MinCount:          5,
		Sample:            1e-3,
		Workers:           3,
		Negative:          5,
		NSExponent:        0.75,
		CBOWMean:          true,
		Alpha:             0.025,
		MinAlpha:          0.0001,
		Epochs:            5,
		Seed:              1,
		ShrinkWindows:     true,
		MaxSentenceLength: 10000,
		MinN:              3,
		MaxN:              6,
		Bucket:            2000000,
		WordNgrams:        1,
		PhrasesMinCount:   5,
		PhrasesThreshold:  10,
		PhrasesDelimiter:  "_",
	}
}

// ModelKind is the kind of model [Train] builds.
type ModelKind int

const (
	// Word2Vec is gensim's Word2Vec: one vector per word.
	Word2Vec ModelKind = iota
	// FastText is gensim's FastText (Bojanowski et al. 2017): a word's vector is the mean of
	// its own vector and those of its character n-grams, hashed into Bucket rows.
	FastText
)

// String returns the model's name as the model parameter spells it.
func (k ModelKind) String() string {
	switch k {
	case Word2Vec:
		return "word2vec"
	case FastText:
		return "fasttext"
	}
	return fmt.Sprintf("ModelKind(%d)", int(k))
}

// Limits that keep allocations sane for any input.
const (
	maxVectorSize = 10000
	maxWindow     = 10000
	maxWorkers    = 1024
	maxNegative   = 1000
	maxEpochs     = 100000
	maxBucket     = 1 << 30
	maxNgram      = 100
)

// OptionError reports a parameter value that is out of range or of the wrong type.
// It wraps [ErrInvalidOption].
type OptionError struct {
	// Param is the gensim name of the parameter ("" for a constraint between parameters).
	Param string
	// Msg says what is wrong, e.g. "vector_size must be at least 1, found 0".
	Msg string
}

// Error returns "trainer: " followed by Msg.
func (e *OptionError) Error() string { return "trainer: " + e.Msg }

// Unwrap returns ErrInvalidOption.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

func invalid(name, format string, args ...any) error {
	return &OptionError{Param: name, Msg: fmt.Sprintf(format, args...)}
}

func checkRange(name string, v, lo, hi int) error {
	if v < lo {
		return invalid(name, "%s must be at least %d, found %d", name, lo, v)
	}
	if v > hi {
		return invalid(name, "%s must be at most %d, found %d", name, hi, v)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Validate reports the first parameter that is out of range, naming it as gensim does.
// The error is an [*OptionError] wrapping [ErrInvalidOption].
func (o *Options) Validate() error {
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{
		{"vector_size", o.VectorSize, 1, maxVectorSize},
		{"window", o.Window, 1, maxWindow},
		{"min_count", o.MinCount, 0, math.MaxInt32},
		{"max_vocab_size", o.MaxVocabSize, 0, math.MaxInt32},
		{"max_final_vocab", o.MaxFinalVocab, 0, math.MaxInt32},
		{"workers", o.Workers, 1, maxWorkers},
		{"negative", o.Negative, 0, maxNegative},
		{"epochs", o.Epochs, 1, maxEpochs},
		{"max_sentence_length", o.MaxSentenceLength, 1, math.MaxInt32},
		{"min_n", o.MinN, 0, maxNgram},
		{"max_n", o.MaxN, 0, maxNgram},
		{"bucket", o.Bucket, 0, maxBucket},
		{"word_ngrams", o.WordNgrams, 1, 1},
		{"phrases_min_count", o.PhrasesMinCount, 0, math.MaxInt32},
	} {
		if err := checkRange(c.name, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	switch {
	case !finite(o.Sample) || o.Sample < 0:
		return invalid("sample", "sample must be a number >= 0, found %v", o.Sample)
	case !finite(o.NSExponent):
		return invalid("ns_exponent", "ns_exponent must be a finite number, found %v", o.NSExponent)
	case !finite(o.Alpha) || o.Alpha <= 0:
		return invalid("alpha", "alpha must be a number > 0, found %v", o.Alpha)
	case !finite(o.MinAlpha) || o.MinAlpha < 0:
		return invalid("min_alpha", "min_alpha must be a number >= 0, found %v", o.MinAlpha)
	case o.MinAlpha > o.Alpha:
		return invalid("", "min_alpha (%v) must not exceed alpha (%v)", o.MinAlpha, o.Alpha)
	case !o.HS && o.Negative == 0:
		return invalid("", "hs=0 and negative=0 leave nothing to train: set hs=1 or negative > 0")
	case !finite(o.PhrasesThreshold):
		return invalid("phrases_threshold", "phrases_threshold must be a finite number, found %v", o.PhrasesThreshold)
	case o.PhrasesScoring != ScoreDefault && o.PhrasesScoring != ScoreNPMI:
		return invalid("phrases_scoring", "phrases_scoring must be 'default' or 'npmi', found %v", o.PhrasesScoring)
	case o.PhrasesDelimiter == "" || strings.ContainsAny(o.PhrasesDelimiter, " \t\n\r"):
		return invalid("phrases_delimiter", "phrases_delimiter must be a non-empty string without white space, found %q", o.PhrasesDelimiter)
	case o.PhrasesConnectorWords != "" && o.PhrasesConnectorWords != "english":
		return invalid("phrases_connector_words", "phrases_connector_words must be 'english' or '', found %q", o.PhrasesConnectorWords)
	case o.Kind != Word2Vec && o.Kind != FastText:
		return invalid("model", "model must be 'word2vec' or 'fasttext', found %v", o.Kind)
	case o.ProgressInterval < 0:
		return invalid("", "progress interval must not be negative, found %v", o.ProgressInterval)
	}
	return nil
}

type paramKind int

const (
	kindInt paramKind = iota
	kindFloat
	kindBool
	kindString
)

type param struct {
	name  string
	kind  paramKind
	get   func(o *Options) any
	set   func(o *Options, v any)
	parse func(s string) (any, bool) // kindString: the value a string names
}

// params lists every parameter by gensim name, in gensim's constructor order.
var params = []param{
	{"vector_size", kindInt, func(o *Options) any { return int64(o.VectorSize) }, func(o *Options, v any) { o.VectorSize = int(v.(int64)) }, nil},
	{"alpha", kindFloat, func(o *Options) any { return o.Alpha }, func(o *Options, v any) { o.Alpha = v.(float64) }, nil},
	{"window", kindInt, func(o *Options) any { return int64(o.Window) }, func(o *Options, v any) { o.Window = int(v.(int64)) }, nil},
	{"min_count", kindInt, func(o *Options) any { return int64(o.MinCount) }, func(o *Options, v any) { o.MinCount = int(v.(int64)) }, nil},
	{"max_vocab_size", kindInt, func(o *Options) any { return int64(o.MaxVocabSize) }, func(o *Options, v any) { o.MaxVocabSize = int(v.(int64)) }, nil},
	{"sample", kindFloat, func(o *Options) any { return o.Sample }, func(o *Options, v any) { o.Sample = v.(float64) }, nil},
	{"seed", kindInt, func(o *Options) any { return o.Seed }, func(o *Options, v any) { o.Seed = v.(int64) }, nil},
	{"workers", kindInt, func(o *Options) any { return int64(o.Workers) }, func(o *Options, v any) { o.Workers = int(v.(int64)) }, nil},
	{"min_alpha", kindFloat, func(o *Options) any { return o.MinAlpha }, func(o *Options, v any) { o.MinAlpha = v.(float64) }, nil},
	{"sg", kindInt, func(o *Options) any { return b2i(o.SkipGram) }, func(o *Options, v any) { o.SkipGram = v.(int64) != 0 }, nil},
	{"hs", kindInt, func(o *Options) any { return b2i(o.HS) }, func(o *Options, v any) { o.HS = v.(int64) != 0 }, nil},
	{"negative", kindInt, func(o *Options) any { return int64(o.Negative) }, func(o *Options, v any) { o.Negative = int(v.(int64)) }, nil},
	{"ns_exponent", kindFloat, func(o *Options) any { return o.NSExponent }, func(o *Options, v any) { o.NSExponent = v.(float64) }, nil},
	{"cbow_mean", kindInt, func(o *Options) any { return b2i(o.CBOWMean) }, func(o *Options, v any) { o.CBOWMean = v.(int64) != 0 }, nil},
	{"epochs", kindInt, func(o *Options) any { return int64(o.Epochs) }, func(o *Options, v any) { o.Epochs = int(v.(int64)) }, nil},
	{"max_final_vocab", kindInt, func(o *Options) any { return int64(o.MaxFinalVocab) }, func(o *Options, v any) { o.MaxFinalVocab = int(v.(int64)) }, nil},
	{"shrink_windows", kindBool, func(o *Options) any { return o.ShrinkWindows }, func(o *Options, v any) { o.ShrinkWindows = v.(bool) }, nil},
	{"max_sentence_length", kindInt, func(o *Options) any { return int64(o.MaxSentenceLength) }, func(o *Options, v any) { o.MaxSentenceLength = int(v.(int64)) }, nil},
	{"deacc", kindBool, func(o *Options) any { return o.Deacc }, func(o *Options, v any) { o.Deacc = v.(bool) }, nil},
	// FastText's own parameters (reported by Params only for FastText models).
	{"model", kindString, func(o *Options) any { return o.Kind.String() }, func(o *Options, v any) { o.Kind = v.(ModelKind) }, parseKind},
	{"min_n", kindInt, func(o *Options) any { return int64(o.MinN) }, func(o *Options, v any) { o.MinN = int(v.(int64)) }, nil},
	{"max_n", kindInt, func(o *Options) any { return int64(o.MaxN) }, func(o *Options, v any) { o.MaxN = int(v.(int64)) }, nil},
	{"bucket", kindInt, func(o *Options) any { return int64(o.Bucket) }, func(o *Options, v any) { o.Bucket = int(v.(int64)) }, nil},
	{"word_ngrams", kindInt, func(o *Options) any { return int64(o.WordNgrams) }, func(o *Options, v any) { o.WordNgrams = int(v.(int64)) }, nil},
	// Phrases (reported by Params only when phrases is on).
	{"phrases", kindBool, func(o *Options) any { return o.Phrases }, func(o *Options, v any) { o.Phrases = v.(bool) }, nil},
	{"phrases_min_count", kindInt, func(o *Options) any { return int64(o.PhrasesMinCount) }, func(o *Options, v any) { o.PhrasesMinCount = int(v.(int64)) }, nil},
	{"phrases_threshold", kindFloat, func(o *Options) any { return o.PhrasesThreshold }, func(o *Options, v any) { o.PhrasesThreshold = v.(float64) }, nil},
	{"phrases_scoring", kindString, func(o *Options) any { return o.PhrasesScoring.String() }, func(o *Options, v any) { o.PhrasesScoring = v.(PhraseScoring) }, parseScoring},
	{"phrases_delimiter", kindString, func(o *Options) any { return o.PhrasesDelimiter }, func(o *Options, v any) { o.PhrasesDelimiter = v.(string) }, func(s string) (any, bool) { return s, true }},
	{"phrases_connector_words", kindString, func(o *Options) any { return o.PhrasesConnectorWords }, func(o *Options, v any) { o.PhrasesConnectorWords = v.(string) }, func(s string) (any, bool) { return strings.ToLower(s), true }},
}

func parseKind(s string) (any, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "word2vec":
		return Word2Vec, true
	case "fasttext":
		return FastText, true
	}
	return nil, false
}

func parseScoring(s string) (any, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "default":
		return ScoreDefault, true
	case "npmi":
		return ScoreNPMI, true
	}
	return nil, false
}

// phrasesOnly are the parameters that Params reports only when phrases is on.
var phrasesOnly = map[string]bool{"phrases": true, "phrases_min_count": true, "phrases_threshold": true,
	"phrases_scoring": true, "phrases_delimiter": true, "phrases_connector_words": true}

// fastTextOnly are the parameters that only FastText models report in Params.
var fastTextOnly = map[string]bool{"model": true, "min_n": true, "max_n": true, "bucket": true, "word_ngrams": true}

// 0/1 parameters given as ints in gensim.
var binaryInts = map[string]bool{"sg": true, "hs": true, "cbow_mean": true}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// ParamNames returns every parameter name [Options.Set] accepts, in gensim's order.
func ParamNames() []string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.name
	}
	return names
}

// Params returns every parameter by gensim name: int64 for integers (sg, hs and cbow_mean
// are 0 or 1, as in gensim), float64 for reals, bool for shrink_windows and deacc, and
// for FastText models the string model ('fasttext') and min_n, max_n, bucket and
// word_ngrams (a Word2Vec model's map leaves these out, as gensim's Word2Vec has none).
// Zero max_vocab_size and max_final_vocab mean "no limit" (gensim's None).
func (o *Options) Params() map[string]any {
	m := make(map[string]any, len(params))
	for _, p := range params {
		if o.Kind == Word2Vec && fastTextOnly[p.name] || !o.Phrases && phrasesOnly[p.name] {
			continue
		}
		m[p.name] = p.get(o)
	}
	return m
}

// Set sets one parameter by its gensim name. value may be an int64, int, float64, bool or
// string (parsed); integers are accepted for floats and 0/1 for booleans, and a float with
// an integral value for an integer. The value is checked as Validate would check it. A nil
// value for max_vocab_size or max_final_vocab means no limit (gensim's None).
func (o *Options) Set(name string, value any) error {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "size" { // gensim 3's name
		key = "vector_size"
	}
	if key == "iter" {
		key = "epochs"
	}
	var p *param
	for i := range params {
		if params[i].name == key {
			p = &params[i]
			break
		}
	}
	if p == nil {
		if s := suggest(key); s != "" {
			return fmt.Errorf("%w %q (did you mean %s?)", ErrUnknownParameter, name, s)
		}
		return fmt.Errorf("%w %q (known: %s)", ErrUnknownParameter, name, strings.Join(ParamNames(), ", "))
	}
	if value == nil && (key == "max_vocab_size" || key == "max_final_vocab") {
		value = int64(0)
	}
	v, err := convert(p, value)
	if err != nil {
		return err
	}
	trial := *o
	p.set(&trial, v)
	if err := trial.Validate(); err != nil {
		var oe *OptionError
		if errors.As(err, &oe) && oe.Param == p.name {
			return err
		}
	}
	p.set(o, v)
	return nil
}

func convert(p *param, value any) (any, error) {
	if p.kind == kindString {
		switch v := value.(type) {
		case ModelKind, PhraseScoring:
			return v, nil
		case string:
			if x, ok := p.parse(v); ok {
				return x, nil
			}
		}
		return nil, badParam(p, value)
	}
	v, ok := widen(p, value)
	if !ok {
		return nil, badParam(p, value)
	}
	switch p.kind {
	case kindInt:
		switch v := v.(type) {
		case int64:
			if binaryInts[p.name] && v != 0 && v != 1 {
				return nil, badParam(p, v)
			}
			if p.name != "seed" && (v > math.MaxInt32 || v < math.MinInt32) {
				return nil, invalid(p.name, "%s is out of range, found %d", p.name, v)
			}
			return v, nil
		case float64:
			if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
				return nil, badParam(p, v)
			}
			return convert(p, int64(v))
		case bool:
			if binaryInts[p.name] {
				return b2i(v), nil
			}
		}
	case kindFloat:
		switch v := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		}
	case kindBool:
		switch v := v.(type) {
		case bool:
			return v, nil
		case int64:
			if v == 0 || v == 1 {
				return v == 1, nil
			}
		}
	}
	return nil, badParam(p, v)
}

// widen turns a Go int or float into int64 or float64, and a string into
// the bool, integer or number it spells (true and false only for a
// boolean parameter); it reports false for a string that is none of them.
func widen(p *param, value any) (any, bool) {
	switch v := value.(type) {
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case float32:
		return float64(v), true
	case string:
		s := strings.TrimSpace(v)
		if p.kind == kindBool && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false")) {
			return strings.EqualFold(s, "true"), true
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, true
		}
		return nil, false
	}
	return value, true
}

// badParam is the error for value, which parameter p cannot take.
func badParam(p *param, value any) error {
	want := map[paramKind]string{kindInt: "an integer", kindFloat: "a number", kindBool: "a boolean",
		kindString: "a string"}[p.kind]
	switch p.name {
	case "model":
		want = "'word2vec' or 'fasttext'"
	case "phrases_scoring":
		want = "'default' or 'npmi'"
	}
	if binaryInts[p.name] {
		want = "0 or 1"
	}
	return invalid(p.name, "%s must be %s, found %s", p.name, want, shownValue(value))
}

// suggest returns the known parameter name closest to key, or "".
func suggest(key string) string {
	squash := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "_", ""), "-", "") }
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, p := range params {
		if squash(p.name) == squash(key) {
			return p.name
		}
		d := levenshtein(key, p.name)
		if d <= 2 || (len(key) >= 4 && strings.HasPrefix(p.name, key)) {
			cs = append(cs, cand{p.name, d})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	return cs[0].name
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// shownValue writes a value the way the SQL that gave it would: a string in
// single quotes, anything else as it prints.
func shownValue(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return fmt.Sprint(v)
}
