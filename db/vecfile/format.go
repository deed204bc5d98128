package vecfile

import (
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/internal/vec"
)

// Format is a vector file format.
type Format int

// The formats. fastText's .vec files are word2vec text files, so they have no
// format of their own: [ParseFormat] maps "fasttext" and "vec" to
// Word2VecText.
const (
	// FormatAuto, the zero value, asks the reader to [Detect] the format.
	FormatAuto Format = iota
	// Word2VecText is the word2vec C tool's text format, also written by gensim
	// (save_word2vec_format(binary=False)) and by fastText (.vec): a header
	// line "count dim", then one "word v1 … vdim" line per row.
	Word2VecText
	// Word2VecBinary is the word2vec C tool's binary format: the same header
	// line, then per row the word, a space and dim little-endian float32s,
	// with (C tool) or without (gensim) a newline after each row.
	Word2VecBinary
	// GloVe is GloVe's text format: Word2VecText without the header line; the
	// dimension comes from the first line.
	GloVe
	// NPY is a NumPy .npy file holding a 2-D matrix, with the words in a
	// separate text file, one per line.
	NPY
	// Safetensors is a Hugging Face safetensors file (or a sharded checkpoint
	// through its model.safetensors.index.json); one 2-D tensor is read.
	Safetensors
)

var formatNames = [...]string{
	FormatAuto:     "auto",
	Word2VecText:   "word2vec",
	Word2VecBinary: "word2vec-binary",
	GloVe:          "glove",
	NPY:            "npy",
	Safetensors:    "safetensors",
}

// String returns the format's canonical name, which [ParseFormat] accepts.
func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat returns the format with the given name, case-insensitively:
// "auto" (or ""), "word2vec" (also "word2vec-text", "w2v", "fasttext",
// "vec"), "word2vec-binary" (also "word2vec_binary", "bin"), "glove", "npy"
// (also "numpy") and "safetensors". A statement that says
// format = 'word2vec', binary = true means Word2VecBinary: see
// [ReadOptions.Binary].
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		return FormatAuto, nil
	case "word2vec", "word2vec-text", "word2vec_text", "w2v", "fasttext", "vec", "text":
		return Word2VecText, nil
	case "word2vec-binary", "word2vec_binary", "word2vec-bin", "bin", "binary":
		return Word2VecBinary, nil
	case "glove":
		return GloVe, nil
	case "npy", "numpy":
		return NPY, nil
	case "safetensors":
		return Safetensors, nil
	}
	return FormatAuto, fmt.Errorf("%w: format %q (want word2vec, word2vec-binary, glove, npy or safetensors)", ErrInvalidOption, name)
}

// DType is the element type of a matrix. It is the project's one element
// type, which db.ElemType also names, so a file's type and a table's pass
// between them unconverted. String returns "float32", "float16" or
// "bfloat16"; Size the size of one element in bytes, or 0 for an invalid
// DType.
type DType = vec.Elem

// The element types. Text and word2vec binary files are always Float32.
const (
	// Float32 is IEEE 754 binary32, the zero value.
	Float32 = vec.Float32
	// Float16 is IEEE 754 binary16 (safetensors "F16", NumPy "<f2").
	Float16 = vec.Float16
	// BFloat16 is bfloat16, the upper half of a float32 (safetensors "BF16").
	BFloat16 = vec.BFloat16
)

// ParseDType returns the element type with the given name, case-insensitively:
// "float32" ("f32", "fp32"), "float16" ("f16", "fp16", "half") or "bfloat16"
// ("bf16").
func ParseDType(name string) (DType, error) {
	if d, ok := vec.ParseElem(name); ok {
		return d, nil
	}
	return Float32, fmt.Errorf("%w: element type %q (want float32, float16 or bfloat16)", ErrInvalidOption, name)
}

// Header describes a file's matrix; [Open] reads it without reading the data.
type Header struct {
	Format Format
	// Rows is the number of rows the file declares, capped by
	// ReadOptions.Limit, or -1 when the format has no row count (GloVe).
	// With DuplicatesSkip fewer rows may be delivered; see [Stats].
	Rows int
	// Dim is the number of elements in a row.
	Dim int
	// DType is the element type of [Batch.Data]: Float32 for text, word2vec
	// binary and float32/float64 matrices, the stored type otherwise.
	DType DType
}

// Stats describes what one [Reader.Read] delivered.
type Stats struct {
	Rows       int64 // rows delivered to the callback
	Duplicates int64 // rows left out as duplicates (DuplicatesSkip)
	// NonFinite counts elements that are NaN or ±Inf. They are accepted, as
	// NumPy and gensim accept them, but the database may want to refuse them.
	NonFinite int64
	// FirstNonFinite is the index (as in Batch.Start) of the first row with a
	// NaN or ±Inf element, or -1.
	FirstNonFinite int64
	// Unread is the number of bytes after the last row that were not read:
	// rows beyond the header's count (gensim ignores them too) or beyond
	// Limit, and trailing bytes after a matrix.
	Unread int64
}
