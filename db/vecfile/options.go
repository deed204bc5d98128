package vecfile

import (
	"fmt"
	"runtime"
	"strings"
)

// Duplicates says what a reader does when a word appears a second time.
type Duplicates int

const (
	// DuplicatesError, the zero value, fails the read with an [ErrDuplicate]
	// [*FormatError] that names the line (or byte offset) of the second
	// occurrence and the line of the first. A database table needs unique
	// words, and a silent choice would lose data.
	DuplicatesError Duplicates = iota
	// DuplicatesSkip keeps the first occurrence and leaves later ones out,
	// which is what gensim 4.2 means to do ("ignoring all but first"; it
	// actually leaves a None key and a zero row at the end of the matrix).
	// Stats.Duplicates counts the rows left out.
	DuplicatesSkip
	// DuplicatesUnchecked delivers every row without looking for repeated
	// words, for a caller that finds them itself (a database sorts its
	// words anyway) and can read the file again with DuplicatesError to
	// say where one is. Remembering every word costs a map the size of the
	// vocabulary and a tenth of the time of a binary import.
	DuplicatesUnchecked
)

// String returns "error", "skip" or "unchecked".
func (d Duplicates) String() string {
	switch d {
	case DuplicatesError:
		return "error"
	case DuplicatesSkip:
		return "skip"
	case DuplicatesUnchecked:
		return "unchecked"
	}
	return fmt.Sprintf("Duplicates(%d)", int(d))
}

// ParseDuplicates returns the policy named "error" or "skip" (also "first").
func ParseDuplicates(name string) (Duplicates, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "error":
		return DuplicatesError, nil
	case "skip", "first", "keep_first", "keep-first":
		return DuplicatesSkip, nil
	}
	return DuplicatesError, fmt.Errorf("%w: duplicates %q (want error or skip)", ErrInvalidOption, name)
}

// ReadOptions controls [Open] and [NewReader]. The zero value is ready to use
// and means: detect the format, read every row, strict UTF-8, fail on
// duplicate words, parse on GOMAXPROCS goroutines, no progress reports.
type ReadOptions struct {
	// Format is the file's format; zero (FormatAuto) means [Detect] it.
	Format Format
	// Binary turns Word2VecText into Word2VecBinary, for statements that say
	// format = 'word2vec', binary = true as gensim's
	// load_word2vec_format(binary=True) does; with FormatAuto it means
	// Word2VecBinary too. It is an error with any other format.
	Binary bool
	// Limit reads at most this many rows of the file, as gensim's limit does
	// (rows left out as duplicates count towards it). Zero means all rows.
	Limit int
	// UnicodeErrors is what to do with words that are not valid UTF-8, as
	// gensim's unicode_errors: "strict" (or "", the default) fails with
	// [ErrUnicode], "replace" puts U+FFFD for each invalid sequence, "ignore"
	// drops invalid bytes. Both follow Python's UTF-8 decoder exactly.
	UnicodeErrors string
	// Duplicates is what to do with a word that appears twice; the zero value
	// is DuplicatesError.
	Duplicates Duplicates
	// Tensor names the safetensors tensor to read (for example
	// "model.embed_tokens.weight"). Empty means the file's only 2-D tensor.
	Tensor string
	// WordsPath is the words file of an NPY or safetensors matrix, one word
	// per line (UTF-8, "\n" or "\r\n" line ends, exactly one line per row).
	// For NPY, when empty, [Open] uses the .npy path with ".npy" replaced by
	// ".words.txt" (vectors.npy → vectors.words.txt) and fails if that file
	// does not exist, while [NewReader] reads no words; "-" means no words
	// file. Safetensors files have words only when WordsPath names a file.
	// Without words, Batch.Words is nil.
	WordsPath string
	// Workers is the number of goroutines that parse text files; zero means
	// GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called on the goroutine that calls Read after
	// each batch with the bytes of the file read so far and the file's size,
	// and once more with done == total at the end of a successful read.
	Progress func(done, total int64)
}

// DefaultReadOptions returns the defaults, a fresh value each time: detect
// the format, read every row, strict UTF-8, fail on duplicate words, parse
// on GOMAXPROCS goroutines. They are the zero value's meaning, spelled out.
func DefaultReadOptions() ReadOptions {
	return ReadOptions{UnicodeErrors: "strict", Duplicates: DuplicatesError}
}

// Validate reports whether the options are usable.
func (o ReadOptions) Validate() error {
	if o.Format < FormatAuto || o.Format > Safetensors {
		return fmt.Errorf("%w: format %d", ErrInvalidOption, int(o.Format))
	}
	if o.Binary && o.Format != FormatAuto && o.Format != Word2VecText && o.Format != Word2VecBinary {
		return fmt.Errorf("%w: binary applies to word2vec files, not %s", ErrInvalidOption, o.Format)
	}
	if o.Limit < 0 {
		return fmt.Errorf("%w: limit %d is negative", ErrInvalidOption, o.Limit)
	}
	if _, err := parseUnicodeErrors(o.UnicodeErrors); err != nil {
		return err
	}
	if o.Duplicates < DuplicatesError || o.Duplicates > DuplicatesUnchecked {
		return fmt.Errorf("%w: duplicates %d", ErrInvalidOption, int(o.Duplicates))
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: workers %d is negative", ErrInvalidOption, o.Workers)
	}
	return nil
}

func (o ReadOptions) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// WriteOptions controls [Create]. The zero value writes word2vec text.
type WriteOptions struct {
	// Format is the format to write; zero (FormatAuto) picks it from the
	// path's extension (.bin: word2vec binary, .npy, .safetensors, otherwise
	// word2vec text).
	Format Format
	// Binary turns Word2VecText into Word2VecBinary (gensim's binary=True).
	Binary bool
	// DType is the element type stored in NPY (Float32 or Float16) and
	// safetensors files, and the element type of the rows passed to
	// [Writer.WriteRaw] for every format. Zero means Float32.
	DType DType
	// WordsPath is where an NPY writer puts the words, one per line; empty
	// means the .npy path with ".npy" replaced by ".words.txt". A safetensors
	// writer writes words only when WordsPath is set.
	WordsPath string
	// Tensor is the name of the safetensors tensor; empty means "embeddings".
	Tensor string
	// Overwrite lets the writer replace files that exist at the path (and
	// the words path). False, the default, refuses them at Create with an
	// error matching fs.ErrExist, and never replaces a file that appears
	// there while the writer runs, as sqlite's VACUUM INTO refuses.
	Overwrite bool
}

// DefaultWriteOptions returns the defaults, a fresh value each time: the
// format from the path's extension, float32 elements.
func DefaultWriteOptions() WriteOptions {
	return WriteOptions{DType: Float32}
}

// Validate reports whether the options are usable.
func (o WriteOptions) Validate() error {
	if o.Format < FormatAuto || o.Format > Safetensors {
		return fmt.Errorf("%w: format %d", ErrInvalidOption, int(o.Format))
	}
	if o.Binary && o.Format != FormatAuto && o.Format != Word2VecText && o.Format != Word2VecBinary {
		return fmt.Errorf("%w: binary applies to word2vec files, not %s", ErrInvalidOption, o.Format)
	}
	if o.DType.Size() == 0 {
		return fmt.Errorf("%w: element type %d", ErrInvalidOption, int(o.DType))
	}
	if o.Format == NPY && o.DType == BFloat16 {
		return fmt.Errorf("%w: NumPy has no bfloat16; write float32 or float16", ErrInvalidOption)
	}
	return nil
}

// unicodeMode is the parsed UnicodeErrors.
type unicodeMode int

const (
	unicodeStrict unicodeMode = iota
	unicodeReplace
	unicodeIgnore
)

func parseUnicodeErrors(s string) (unicodeMode, error) {
	switch strings.ToLower(s) {
	case "", "strict":
		return unicodeStrict, nil
	case "replace":
		return unicodeReplace, nil
	case "ignore":
		return unicodeIgnore, nil
	}
	return unicodeStrict, fmt.Errorf("%w: unicode_errors %q (want strict, replace or ignore)", ErrInvalidOption, s)
}
