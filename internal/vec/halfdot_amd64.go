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

// The kernels of halfdot_amd64.s: out[r] = the dot product of q[:n8] with
// the first n8 elements of row r (rows dim elements apart), for r < nrows.
// n8 is a positive multiple of 8, n8 <= dim; DotRowsHalf checks the
// bounds and adds the tails.

//go:noescape
func dotRowsBF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32)

//go:noescape
func dotRowsF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32)
