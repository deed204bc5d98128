package vec

import "os"

// cpuF16C reports F16C (VCVTPH2PS) beside AVX2 and FMA; useF16C selects
// the float16 kernel, off with EMBEDDB_NOASM=1.
var (
	cpuF16C = cpuAVX2 && hasF16C()
	useF16C = cpuF16C && os.Getenv("EMBEDDB_NOASM") == ""
)

func hasF16C() bool {
	_, _, ecx1, _ := cpuid(1, 0)
	return ecx1&(1<<29) != 0
}

// The kernels of halfdot_amd64.s: out[r] = the dot product of q with row
// r (rows dim elements apart), for r < nrows. n8 = dim &^ 7 > 0; mask
// holds dim-n8 lanes of all ones, then zeros. When dim > n8 a row's last
// elements are read 8 at a time, past the row's end: the caller leaves
// the last row of its slice to the Go code. A scale that is not nil
// multiplies out[r] by scale[r].

//go:noescape
func dotRowsBF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32)

//go:noescape
func dotRowsF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32)
