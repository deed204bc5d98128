package vec

import "os"

// CPU features of the quantized kernels (and of the 16-lane 16-bit ones
// of halfdot_amd64.s, which need AVX-512 BW), detected once at start-up. The cpu* values say
// what the CPU has (tests compare every kernel it can run with the Go
// code); the use* values choose the kernels, and EMBEDDB_NOASM=1 turns
// them all off.
var (
	cpuPOPCNT, cpuBW512, cpuVNNI, cpuPOPCNT512 = detectQuant()

	usePOPCNT    = cpuPOPCNT && os.Getenv("EMBEDDB_NOASM") == ""
	useVNNI      = cpuVNNI && os.Getenv("EMBEDDB_NOASM") == ""
	usePOPCNT512 = cpuPOPCNT512 && os.Getenv("EMBEDDB_NOASM") == ""
)

// detectQuant reports POPCNT, AVX-512 BW (with F and VL), AVX-512 VNNI
// (with F, BW and VL) and AVX-512 VPOPCNTDQ (with F and VL). The AVX-512
// ones also need AVX2 and the OS to save the opmask and ZMM registers.
func detectQuant() (popcnt, bw512, vnni, vpopcnt bool) {
	maxID, _, _, _ := cpuid(0, 0)
	_, _, ecx1, _ := cpuid(1, 0)
	popcnt = ecx1&(1<<23) != 0
	if maxID < 7 || !cpuAVX2 {
		return popcnt, false, false, false
	}
	if xcr0, _ := xgetbv(); xcr0&0xe6 != 0xe6 { // XMM, YMM, opmask, ZMM
		return popcnt, false, false, false
	}
	_, ebx7, ecx7, _ := cpuid(7, 0)
	const (
		avx512f  = 1 << 16
		avx512bw = 1 << 30
		avx512vl = 1 << 31
		vnniBit  = 1 << 11
		vpopBit  = 1 << 14
	)
	f := ebx7&(avx512f|avx512vl) == avx512f|avx512vl
	bw := f && ebx7&avx512bw != 0
	return popcnt, bw, bw && ecx7&vnniBit != 0, f && ecx7&vpopBit != 0
}

// The kernels of quant_amd64.s. The int8 ones need len(w) a positive
// multiple of 16 and len(c) >= len(w); the Hamming ones len(b) >= len(a) > 0
// (and len(a) >= 8 for hammingVPOPCNT). The Go wrappers check.

//go:noescape
func dotU8AVX2(w []int16, c []uint8) int32

//go:noescape
func dotU8VNNI(w []int16, c []uint8) int32

//go:noescape
func hammingPOPCNT(a, b []uint64) int32

//go:noescape
func hammingVPOPCNT(a, b []uint64) int32

// The batch kernels need len(w) a positive multiple of 16, rows stride
// bytes apart, every codes[idx[i]*stride:][:len(w)] inside codes, and len(out) >= len(idx) > 0; DotU8Batch checks.

//go:noescape
func dotU8BatchAVX2(w []int16, codes []uint8, stride int, idx []uint32, out []int32)

//go:noescape
func dotU8BatchVNNI(w []int16, codes []uint8, stride int, idx []uint32, out []int32)

// hammingRowsVPOPCNT stores in out[r] the Hamming distance of q[:words]
// and codes[r*words:][:words] for r < nrows; words >= 8, nrows > 0, and
// codes holds nrows rows (HammingRows checks).
//
//go:noescape
func hammingRowsVPOPCNT(q, codes *uint64, words, nrows int, out *int32)

// hammingRowsPOPCNT is hammingRowsVPOPCNT with the scalar POPCNT, for
// CPUs without AVX-512 VPOPCNTDQ; words >= 4.
//
//go:noescape
func hammingRowsPOPCNT(q, codes *uint64, words, nrows int, out *int32)

// hammingRowsAVX2 is hammingRowsVPOPCNT with AVX2's nibble lookups (and
// POPCNT for the last words of a row), for CPUs without AVX-512
// VPOPCNTDQ; words >= 4.
//
//go:noescape
func hammingRowsAVX2(q, codes *uint64, words, nrows int, out *int32)
