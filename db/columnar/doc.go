// Package columnar reads and writes vector tables in the columnar formats
// that the rest of the data stack ingests: Apache Parquet, Arrow IPC files
// (Feather v2) and the directory that Spark MLlib's Word2VecModel.save
// writes. It is the only home of the Apache Arrow Go library
// (github.com/apache/arrow-go), which was chosen over parquet-go by
// measurement (docs/scale.md): one library then serves Parquet and Arrow
// IPC alike, it reads 1M × 100 five times as fast as parquet-go's row
// reader and writes it as fast, and it stores the Arrow schema so that
// FixedSizeList vectors read back as FixedSizeList in pyarrow, LanceDB and
// DuckDB. Parquet goes through its column readers and writers (package
// parquet/file), not its Arrow adapter pqarrow, which pulls in Arrow
// Flight, gRPC and protobuf: 14 MB of the binary.
//
// A table is written as the columns word (string), id (int64), count
// (int64), the table's own columns ([WriteOptions.Columns]: optional
// string, int64, double, bool or JSON string columns) and vector:
// FixedSizeList<float32>[dim], or FixedSizeList<float16> for
// half-precision tables. Spark's layout has word and vector
// (array<float>) only, as Word2VecModel stores them. The table's dimension,
// metric, element type and provenance go in the file's key-value metadata
// under keys that start with "embeddb:".
//
// A [Reader] takes a vector column that is a FixedSizeList, List or
// LargeList of float32, float64 or float16, a key column of strings (or
// integers, printed in decimal) and an optional integer count column;
// [ReadOptions.Columns] chooses which of the other columns it reads into
// [Batch.Columns], and an other column of a type a table column cannot
// hold (a timestamp, binary, a struct, a map, a list) is an error when
// chosen.
//
// # Streaming
//
// Both directions hold a bounded number of rows at a time: a [Writer]
// gathers a row group (about 32 MiB of vectors) and encodes it on another
// goroutine while the next is filled, so it holds at most two; a [Reader]
// reads Parquet pages through a buffered stream and hands over batches of
// about 4 MiB of vectors, so memory does not grow with the number of rows.
// Parquet files written by others may have row groups of any size; a
// reader holds a page of each column read and the levels of one batch.
// A Parquet file of several row groups is decoded by two goroutines, a row
// group each in turn, in batches half the size, handed over in file order:
// it holds a page of each column per goroutine (DuckDB writes a column
// chunk as a single page: about 100 MB for 122,880 rows of 100 float32s).
//
// # Concurrency
//
// A Reader or Writer is not safe for concurrent use. [Reader.Read] calls
// its callback on the caller's goroutine.
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
