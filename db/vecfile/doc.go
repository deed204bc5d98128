// Package vecfile reads and writes vector files made by other tools:
// word2vec text and binary, GloVe, fastText .vec, NumPy .npy and
// safetensors. It is what the IMPORT and EXPORT statements and the bulk
// loader of package db use; it imports nothing of the database.
//
// # Reading
//
// [Open] reads a file's header (detecting the format unless told) and
// [Reader.Read] delivers the rows in file order, in batches of a few MiB:
//
//	r, err := vecfile.Open("vectors.bin", vecfile.ReadOptions{})
//	if err != nil { … }
//	defer r.Close()
//	h := r.Header() // format, rows (or -1), dim, element type
//	err = r.Read(ctx, func(b *vecfile.Batch) error {
//		// b.Words[i] and row i of b.Data (h.Dim elements of h.DType,
//		// little-endian); copy b.Data, it is reused.
//		return nil
//	})
//
// Text files are parsed by several goroutines (ReadOptions.Workers) while
// the callback runs; binary formats are read while the callback runs.
// Memory stays bounded by the batch size: nothing is allocated from a
// header's claims (a header that promises 10^12 rows costs nothing until
// the rows are there), and a file's sizes are checked against the file
// before any read.
//
// # Formats and what gensim does
//
// Word2VecText (also fastText .vec): a header line "count dim", then one
// line per row, "word v1 … vdim". Behaviour follows gensim 4.2's
// KeyedVectors.load_word2vec_format, checked against it in the tests:
//
//   - Numbers are read as numpy.float32(s) reads them: parsed as a Python
//     float (correctly rounded float64), then rounded to float32. Rounding
//     twice differs from rounding once on rare inputs; we match NumPy. The
//     syntax is Python's float(): "1e-05", ".5", "5.", "1_000", "inf",
//     "-Infinity", "nan" (any case); not hexadecimal, not non-ASCII digits.
//   - NaN and ±Inf are accepted, as NumPy accepts them; [Stats] counts them
//     and names the first row, so the database can refuse or warn.
//   - limit: ReadOptions.Limit reads the first Limit rows, as gensim's limit.
//   - More rows than the header says: the rest is ignored, as gensim does;
//     Stats.Unread says how many bytes were left. Fewer rows: an
//     [ErrTruncated] error on the line after the last, as gensim's EOFError.
//   - A line with the wrong number of values: an [ErrDimension] error
//     naming the line. (gensim fails too, except for a single value, which
//     NumPy broadcasts over the whole row; we refuse that.)
//   - Not a number: an [ErrNumber] error with the line and the value.
//   - unicode_errors: ReadOptions.UnicodeErrors "strict" (default), "replace"
//     or "ignore", exactly as Python's UTF-8 decoder applied to the whole line
//     (one U+FFFD per maximal invalid subsequence).
//   - Duplicate words: gensim 4.2 keeps the first (logging a warning) and,
//     through a bug, appends a None key with a zero row for every duplicate.
//     A table needs unique words and a silent choice loses data, so the
//     default ([DuplicatesError]) is an [ErrDuplicate] error naming both
//     lines; [DuplicatesSkip] keeps the first, as gensim means to.
//   - The word ends at the first space, as in gensim, so it may hold tabs.
//     The values are separated by runs of spaces or tabs (gensim needs single
//     spaces). Trailing whitespace and "\r" are ignored. Empty lines are
//     skipped (gensim fails on them). A UTF-8 byte order mark at the start is
//     skipped (gensim fails on it).
//
// Word2VecBinary: the same header line, then per row the word, one space
// and dim little-endian float32s. The C tool writes a newline after each
// row and gensim does not; like gensim, newlines at the start of a word are
// dropped, so both read. Rows beyond the header's count are ignored; a file
// that ends early is an [ErrTruncated] error at the byte offset where the
// missing row should start. Words are decoded as in text files.
//
// GloVe: word2vec text without the header. As gensim's no_header=True, the
// dimension is the number of values on the first line and Header.Rows is
// -1. glove.840B.300d has words that hold spaces ("at name@domain.com"):
// when a line has more than dim fields, or a field before the last dim is
// not a number, the last dim fields are the values and the rest the word.
//
// NPY: a NumPy .npy file (format 1.0, 2.0 or 3.0) holding a 2-D matrix in C
// order: '<f4' (Header.DType Float32), '<f2' (Float16), '<f8' (rounded to
// Float32) and their big-endian forms (swapped). Fortran order is refused
// with an [ErrLayout] error that says to save numpy.ascontiguousarray(a);
// 1-D, 3-D and non-float arrays are refused too. The words are in a text
// file, one per line (ReadOptions.WordsPath; by default NAME.words.txt
// beside NAME.npy), which must have exactly one line per row.
//
// Safetensors: the tensor named by ReadOptions.Tensor (for example
// "model.embed_tokens.weight"), or, when none is named, the file's only
// 2-D tensor; otherwise [ErrTensorNotFound] lists the 2-D tensors with
// their dtypes and shapes. F32, F16 and BF16 are delivered as stored; F64 is
// rounded to float32; other dtypes are [ErrDType], 1-D and 3-D tensors
// [ErrShape]. data_offsets that run past the file or disagree with the
// shape are [ErrLayout]. A sharded checkpoint is opened through its
// model.safetensors.index.json (weight_map names the shard, which must be a
// file beside the index), or through the directory holding it. Safetensors
// files hold no words (Batch.Words is nil): the database names rows with
// the model's tokenizer, or ReadOptions.WordsPath names a words file.
//
// # Detecting the format
//
// [Detect] (and Open without a format) decides from the content: the NPY
// magic; an 8-byte little-endian length followed by "{" (safetensors); a
// JSON file named *.json (a sharded index); a first line of two integers
// (word2vec: text when the next line is "word" and dim numbers, binary when
// the bytes after the header are not text or the name ends in .bin); a
// first line of a word and numbers (GloVe). A GloVe file of dimension 1
// whose first word is an integer looks like a word2vec header: name the
// format. A first line of two integers is always taken as a header, so one
// with a negative count or dimension, or dimension 0, is an [ErrHeader]
// error at line 1, never a GloVe row. (gensim fails on the negative ones
// too; it loads "0 0" as an empty set of 0-dimensional vectors, which no
// table can hold.) An empty file, or one of blank lines only, is an
// [ErrUnknownFormat] error that says so. A fastText model (.bin, not a
// vector file) is recognised by its magic number and refused with advice to
// import its .vec file.
//
// # Files that are not regular
//
// Open and Detect refuse a named pipe, socket, device or directory (other
// than a checkpoint directory) before reading or even blocking on it, with
// an error matching internal/osfile.ErrNotRegular: every reader here reads
// at byte offsets and may read a file again from the start, which only a
// regular file allows, and open(2) of a pipe with no writer would block for
// ever. The same holds for shards and words files.
//
// # Writing
//
// [Create] writes any of the formats to a temporary file beside the
// destination and renames it into place on [Writer.Close], so a failed or
// aborted export leaves nothing half-written and keeps an older file.
// Text values are printed in the shortest form that reads back to the same
// float32 (strconv's 'g', -1, 32), which both this package and
// numpy.float32 read back exactly: a table exported and imported again is
// identical, and gensim loads the file with the same values. Binary
// word2vec files get the C tool's newline after each row. NPY files are
// byte-for-byte what numpy.save writes; safetensors files carry
// {"format": "pt"} metadata and a header padded to 8 bytes. Words that the
// format cannot hold (a space in word2vec or GloVe, a line break anywhere,
// invalid UTF-8) are refused with [ErrInvalidWord] rather than written
// into a file that would read back differently.
//
// # Errors
//
// A bad file gives a [*FormatError] with the file's path, the line (text)
// or byte offset (binary), a message, and one of the sentinel errors of
// errors.go to match with errors.Is.
//
// # Concurrency
//
// A [Reader] or [Writer] is not safe for concurrent use. Reader.Read
// starts its own goroutines and stops them all before it returns; the
// callback and ReadOptions.Progress run on the goroutine that called Read.
// Different Readers may be used concurrently.
//
// # Caveats
//
//   - Limits: a row has at most 2^24 elements, a text line at most 256 MiB,
//     a word2vec binary word or a words-file line at most 1 MiB, an NPY
//     header 1 MiB, a safetensors header 100 MB (the safetensors library's
//     own limit), a sharded index 1 MiB.
//   - GloVe and word2vec text files with a word that is only an integer
//     and dimension 1 are ambiguous to Detect (see above).
//   - Python's float() also accepts non-ASCII digits such as "١٢"; this
//     package refuses them.
//   - bfloat16 has no NumPy dtype; NPY files are written as float32 or
//     float16.
package vecfile
