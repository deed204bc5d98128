//go:build !amd64

package vec

const (
	cpuF16C = false
	useF16C = false
)

func dotRowsBF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32) {
	panic(noAsm)
}
func dotRowsF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32) {
	panic(noAsm)
}
