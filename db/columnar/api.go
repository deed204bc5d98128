package columnar

import "github.com/embeddb/embeddb/internal/vec"

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
	// Ignored lists the file's other columns.
	Ignored []string
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
	// Overwrite lets the writer replace what is at the path. False, the
	// default, refuses an existing path with an error matching
	// fs.ErrExist.
	Overwrite bool
}
