// Package vec is the one home of the vector arithmetic and the element types
// shared by index, trainer, db and db/vecfile: the dot-product and distance
// kernels (Go and AVX2 assembly) and [Elem], how vector elements are stored
// (float32, float16, bfloat16), with the conversions between them.
//
// Two families of kernels serve two different callers:
//
//   - [Dot], [SquaredL2], [DotBatch], [SquaredL2Batch] and [DotRows] take
//     vectors of any length; the index scores queries with them.
//   - The Padded kernels ([PaddedDot], [PaddedUpdate], [PaddedSum],
//     [PaddedAdd], [PaddedGemvAdd], [PaddedPrefetch]) and [Axpy] work on
//     matrices whose rows are padded to a multiple of 8 floats and are
//     addressed through lists of row numbers; the trainer's inner loops run
//     on them.
//
// Beside them: [DotRowsHalf], [DotHalf] and [SquaredL2Half] read rows of
// 16-bit floats (float16 with F16C, bfloat16 with a shift) for the exact
// search of 16-bit tables; [DotU8] and [Hamming] and their batch forms
// compare quantized codes (quant.go); [PrefetchRows] asks the caches for
// the rows a graph walk is about to compare; [Touch] is a STREAM-style
// read, the baseline of the bandwidth benchmarks.
//
// Each family keeps its own order of summation, so that index results and
// trained models stay the same bit for bit as before the kernels moved here.
//
// On amd64 the kernels run in assembly when the CPU has AVX2 and FMA and the
// OS saves the YMM registers (checked once, at start-up, with CPUID and
// XGETBV); elsewhere, or when the environment sets EMBEDDB_NOASM=1, they run
// in portable Go.
//
// # Concurrency
//
// Every function is safe for concurrent use on distinct data. The kernels
// that write (PaddedUpdate, PaddedAdd, PaddedGemvAdd, Axpy, and the out
// arguments) race with anything else that touches the same memory; the
// trainer does so on purpose (Hogwild, trainer/hogwild.go).
//
// # Caveats
//
//   - The assembly and the Go kernels round differently (fused multiply-add,
//     other groupings), so results are reproducible bit for bit on the same
//     kind of machine with the same EMBEDDB_NOASM setting, not across them.
//   - The Padded kernels and Axpy check no bounds, for speed: their callers
//     guarantee that every row is in range and that stride is a multiple of
//     8. The other kernels panic rather than read out of range.
package vec
