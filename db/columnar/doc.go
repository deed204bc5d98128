// Package columnar reads and writes vector tables in the columnar formats
// that the rest of the data stack ingests: Apache Parquet, Arrow IPC files
// (Feather v2) and the directory that Spark MLlib's Word2VecModel.save
// writes. It is the only home of the Apache Arrow Go library
// (github.com/apache/arrow-go), which was chosen over parquet-go because
// one library then serves Parquet and Arrow IPC alike, it stores the Arrow
// schema so FixedSizeList vectors read back as FixedSizeList in pyarrow,
// LanceDB and DuckDB, and it read 1M × 100 twice as fast (see
// docs/scale.md).
//
// A table is written as the columns word (string), id (int64), count
// (int64) and vector: FixedSizeList<float32>[dim], or FixedSizeList<float16>
// for half-precision tables. Spark's layout has word and vector
// (array<float>) only, as Word2VecModel stores them. The table's dimension,
// metric, element type and provenance go in the file's key-value metadata
// under keys that start with "embeddb:".
//
// A [Reader] takes a vector column that is a FixedSizeList, List or
// LargeList of float32, float64 or float16, a key column of strings (or
// integers, printed in decimal) and an optional integer count column.
//
// # Streaming
//
// Both directions hold one batch of rows at a time: a [Writer] writes each
// [Writer.Write] call as its own Parquet row group (or Arrow record batch),
// and a [Reader] reads Parquet pages through a buffered stream, so memory
// does not grow with the number of rows. Parquet files written by others
// may have row groups of any size; a reader holds at most one page of each
// column of one of them.
//
// # Concurrency
//
// A Reader or Writer is not safe for concurrent use.
//
// # Caveats
//
// Parquet has no fixed-size list: a FixedSizeList is stored as a LIST with
// the Arrow schema beside it, which tools that ignore the Arrow schema (Spark,
// DuckDB) read as a variable-length list of the same values. Arrow has no
// bfloat16, so a bfloat16 table is written as float16 (an error names the
// first value float16 cannot hold) or, with [WriteOptions.Elem] Float32,
// widened.
package columnar
