//go:build !amd64

package vec

const (
	cpuF16C = false
	useF16C = false
)

var useHalf16 = false // a variable, as on amd64, for the tests

func dotRowsBF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32) {
	panic(noAsm)
}
func dotRowsF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32) {
	panic(noAsm)
}
func dotRowsBF16AVX512(q *float32, rows *uint16, n16, dim, nrows int, out *float32, tail uint64, scale *float32) {
	panic(noAsm)
}
func dotRowsF16AVX512(q *float32, rows *uint16, n16, dim, nrows int, out *float32, tail uint64, scale *float32) {
	panic(noAsm)
}
