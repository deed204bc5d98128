package vec

import "os"

// cpuF16C reports F16C (VCVTPH2PS) beside AVX2 and FMA; useF16C selects
// the float16 kernel, off with EMBEDDB_NOASM=1. useHalf16 selects the
// 16-lane kernels where the CPU has AVX-512 BW (cpuBW512); tests turn it
// off to check the 8-lane ones too.
var (
	cpuF16C   = cpuAVX2 && hasF16C()
	useF16C   = cpuF16C && os.Getenv("EMBEDDB_NOASM") == ""
	useHalf16 = cpuBW512 && os.Getenv("EMBEDDB_NOASM") == ""
)

func hasF16C() bool {
	_, _, ecx1, _ := cpuid(1, 0)
	return ecx1&(1<<29) != 0
}

// The kernels of halfdot_amd64.s: out[r] = the dot product of q with row
// r (rows dim elements apart), for r < nrows. n8 = dim &^ 7 > 0; mask
// holds dim-n8 lanes of all ones, then zeros. When dim > n8 a row's last
// elements are read 8 at a time, past the row's end: the caller leaves
// the last row of its slice to the Go code unless the slice's capacity
// covers those 8. A scale that is not nil multiplies out[r] by scale[r].

//go:noescape
func dotRowsBF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32)

//go:noescape
func dotRowsF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32)

// dotRowsBF16AVX512 and dotRowsF16AVX512 are the 16-lane kernels:
// n16 = dim &^ 15 > 0, and tail holds a bit for each of the row's last
// dim-n16 elements, which they read with a masked load, never past the
// row: they can do every row of a slice. A scale that is not nil
// multiplies out[r] by scale[r].
//
//go:noescape
func dotRowsBF16AVX512(q *float32, rows *uint16, n16, dim, nrows int, out *float32, tail uint64, scale *float32)

//go:noescape
func dotRowsF16AVX512(q *float32, rows *uint16, n16, dim, nrows int, out *float32, tail uint64, scale *float32)
