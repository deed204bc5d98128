package columnar

import (
	"strconv"

	"github.com/embeddb/embeddb/internal/vec"
)

// The types of this file are the package's API whether or not it is built
// with Parquet and Arrow (see off.go), so that its callers build either way.

// MetaDim and the other keys name what a [Writer] made by embeddb stores
// in a file's key-value metadata.
const (
	MetaDim        = "embeddb:dim"
	MetaMetric     = "embeddb:metric"
	MetaType       = "embeddb:type"
	MetaTable      = "embeddb:table"
	MetaProvenance = "embeddb:provenance"
)

// ReadOptions controls [Open] and [NewReader]. The zero value picks the
// columns by name and reads every row.
type ReadOptions struct {
	// Format is the file's format; zero means [FromPath], then the file's
	// magic bytes.
	Format Format
	// Vector names the vector column. Empty means the column named
	// "vector", "embedding", "embeddings", "vec" or "emb", else the only
	// list-of-floats column.
	Vector string
	// Key names the column of words. Empty means "word", "key", "token",
	// "term" or "text", else none: rows then have empty words.
	Key string
	// Limit reads at most this many rows; zero means all.
	Limit int64
	// Columns chooses which of the file's other columns (not the vector,
	// key or count; others lists them with their types) are read into
	// [Batch.Columns], by name; an error it returns fails Open. Nil reads
	// none of them. Spark's layout has no other columns.
	Columns func(others []Field) ([]string, error)
}

// Header describes a file's table; [Open] reads it before any row.
type Header struct {
	Format Format
	// Rows is the number of rows the file declares (capped by Limit), or
	// -1 when the format does not say (an Arrow IPC stream).
	Rows int64
	// Dim is the number of elements in a vector.
	Dim int
	// Elem is the element type of [Batch.Data]: Float16 for float16
	// vectors, Float32 for float32 and float64 ones.
	Elem vec.Elem
	// Vector, Key and Count name the columns read; Key and Count are empty
	// when the file has none.
	Vector, Key, Count string
	// Ignored lists the file's other columns that are not read.
	Ignored []string
	// Fields are the other columns read ([ReadOptions.Columns]), in the
	// order of [Batch.Columns].
	Fields []Field
	// Metadata is the file's key-value metadata (for Spark, the data
	// file's).
	Metadata map[string]string
	// Spark is a Spark model's paramMap; nil for other formats.
	Spark map[string]any
}

// Batch is a run of rows handed to [Reader.Read]'s callback.
type Batch struct {
	// Start is the index of the batch's first row.
	Start int64
	// Words holds the rows' words (all "" without a key column).
	Words []string
	// Counts holds the rows' counts, or is nil without a count column.
	Counts []int64
	// Data holds the vectors, Header.Dim elements of Header.Elem each,
	// little-endian. Its memory is reused once the callback returns.
	Data []byte
	// Columns holds the values of Header.Fields: Columns[j][i] is field
	// j of row i, of the Go type its ValueType names, or nil.
	Columns [][]any
	// Finite says that Data, float32s, holds no NaN and no infinity: the
	// reader checked it as it copied it. False says nothing (not checked,
	// or not all finite).
	Finite bool
}

// WriteOptions controls [Create]. The zero value writes Parquet with zstd
// (or the format the path's extension names), float32 vectors.
type WriteOptions struct {
	// Format is the format to write; zero means [FromPath] of the path, and
	// Parquet when that says nothing.
	Format Format
	// Elem is the element type of the vector column: Float32 (zero value)
	// or Float16. Arrow has no bfloat16.
	Elem vec.Elem
	// Compression is "zstd", "snappy", "gzip", "lz4" or "none". Empty means
	// zstd for Parquet, snappy for Spark (what Spark itself writes) and none
	// for Arrow IPC, whose readers map uncompressed files into memory.
	Compression string
	// GroupRows is the number of rows in a Parquet row group or an Arrow
	// record batch; zero means about 32 MiB of vectors, between 1,024 and
	// 122,880 rows.
	GroupRows int
	// Metadata is stored in the file's key-value metadata (the Arrow
	// schema's metadata for Arrow IPC). Spark's metadata JSON comes from
	// [WriteOptions.Spark] instead.
	Metadata map[string]string
	// Spark holds the Word2Vec parameters written to Spark's metadata
	// (vectorSize comes from the dimension). Nil writes Spark's defaults.
	Spark map[string]any
	// Columns are the table's own columns, written between count and
	// vector as optional (nullable) columns of Parquet's and Arrow's
	// types for them: string (JSON with Parquet's JSON logical type),
	// int64, double, bool. [Writer.WriteColumns] takes their values.
	// Spark's layout has none.
	Columns []Field
	// Overwrite lets the writer replace what is at the path. False, the
	// default, refuses an existing path with an error matching
	// fs.ErrExist.
	Overwrite bool
}

// MetaColumns is the key under which embeddb stores its table's column
// declarations (a JSON array), so that an IMPORT of its own export
// recreates them exactly: JSON columns, NOT NULL, defaults.
const MetaColumns = "embeddb:columns"

// ValueType is what the values of a table column are, in a file and in
// Go: [ValueString] string, [ValueInt] int64, [ValueFloat] float64,
// [ValueBool] bool, [ValueJSON] string (JSON text); nil is a null.
type ValueType int

// The value types.
const (
	// ValueUnsupported is a column of a type a table cannot hold
	// (timestamps, binary, structs, maps, lists other than the vector).
	ValueUnsupported ValueType = iota
	ValueString
	ValueInt
	ValueFloat
	ValueBool
	ValueJSON
)

var valueTypeNames = [...]string{"unsupported", "string", "int64", "double", "bool", "json"}

// String returns the type's name as Parquet and Arrow users know it.
func (t ValueType) String() string {
	if t >= 0 && int(t) < len(valueTypeNames) {
		return valueTypeNames[t]
	}
	return "ValueType(" + strconv.Itoa(int(t)) + ")"
}

// Field is a column of a table besides word, id, count and vector: one a
// [Writer] writes, or one of a file that a [Reader] found.
type Field struct {
	Name string
	Type ValueType
	// FileType is the column's type as the file states it (Arrow's name
	// for it); a Writer ignores it.
	FileType string
}
