#include "textflag.h"

// func touchAVX2(p unsafe.Pointer, n, ahead int) uint64
// XOR of every 8-byte word of p[:n]; n is a positive multiple of 128.
// Each step prefetches the two lines ahead bytes on, as the scan kernels
// do, so that the read is not limited by a weak hardware prefetcher; with
// ahead 0 it asks for the lines it is about to load, which leaves the
// read to the hardware prefetcher alone.
TEXT ·touchAVX2(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ ahead+16(FP), DX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3

tloop:
	PREFETCHT0 (SI)(DX*1)
	PREFETCHT0 64(SI)(DX*1)
	VPXOR (SI), Y0, Y0
	VPXOR 32(SI), Y1, Y1
	VPXOR 64(SI), Y2, Y2
	VPXOR 96(SI), Y3, Y3
	ADDQ $128, SI
	SUBQ $128, CX
	JNZ  tloop

	VPXOR Y1, Y0, Y0
	VPXOR Y3, Y2, Y2
	VPXOR Y2, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPXOR X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPXOR X1, X0, X0
	VMOVQ X0, AX
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET
