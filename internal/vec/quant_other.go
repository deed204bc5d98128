//go:build !amd64

package vec

// Without amd64 assembly the portable quantized kernels always run.
const (
	cpuBW512     = false
	cpuVNNI      = false
	useVNNI      = false
	cpuPOPCNT    = false
	usePOPCNT    = false
	cpuPOPCNT512 = false
	usePOPCNT512 = false
)

func dotU8AVX2(w []int16, c []uint8) int32 { panic(noAsm) }
func dotU8VNNI(w []int16, c []uint8) int32 { panic(noAsm) }
func hammingPOPCNT(a, b []uint64) int32    { panic(noAsm) }
func hammingVPOPCNT(a, b []uint64) int32   { panic(noAsm) }

func dotU8BatchAVX2(w []int16, codes []uint8, stride int, idx []uint32, out []int32) { panic(noAsm) }
func dotU8BatchVNNI(w []int16, codes []uint8, stride int, idx []uint32, out []int32) { panic(noAsm) }

func hammingRowsVPOPCNT(q, codes *uint64, words, nrows int, out *int32) { panic(noAsm) }
func hammingRowsPOPCNT(q, codes *uint64, words, nrows int, out *int32)  { panic(noAsm) }
func hammingRowsAVX2(q, codes *uint64, words, nrows int, out *int32)    { panic(noAsm) }
