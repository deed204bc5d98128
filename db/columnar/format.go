package columnar

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Format is a columnar file format.
type Format int

// The formats.
const (
	// FormatNone, the zero value, is no columnar format.
	FormatNone Format = iota
	// Parquet is an Apache Parquet file (.parquet, .pq).
	Parquet
	// Arrow is an Arrow IPC file, also called Feather v2 (.arrow,
	// .feather, .ipc); a reader also takes the IPC stream format
	// (.arrows).
	Arrow
	// Spark is the directory Spark MLlib's Word2VecModel.save writes and
	// Word2VecModel.load reads: metadata/ (one JSON line) and data/
	// (Parquet files of word: string, vector: array<float>).
	Spark
)

var formatNames = [...]string{FormatNone: "none", Parquet: "parquet", Arrow: "arrow", Spark: "spark"}

// String returns "parquet", "arrow" or "spark".
func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat returns the format named name, case-insensitively: "parquet"
// (also "pq"), "arrow" (also "feather", "ipc") or "spark" (also
// "spark-word2vec"). ok is false for any other name, which is not an error
// here: the caller may know other formats.
func ParseFormat(name string) (f Format, ok bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "parquet", "pq":
		return Parquet, true
	case "arrow", "feather", "ipc", "arrow-ipc", "arrows":
		return Arrow, true
	case "spark", "spark-word2vec", "spark_word2vec", "mllib":
		return Spark, true
	}
	return FormatNone, false
}

// FromPath guesses the format of path from its extension, or, for a
// directory that exists, from Spark's metadata/ and data/ inside it.
func FromPath(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".pq":
		return Parquet
	case ".arrow", ".feather", ".ipc", ".arrows":
		return Arrow
	}
	if fi, err := os.Stat(filepath.Join(path, "metadata")); err == nil && fi.IsDir() {
		if fi, err := os.Stat(filepath.Join(path, "data")); err == nil && fi.IsDir() {
			return Spark
		}
	}
	return FormatNone
}
