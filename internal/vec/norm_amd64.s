#include "textflag.h"

// func sumSquaresAVX2(v []float32) float64
// len(v) >= 16. Four accumulators of four float64 lanes (Y0: elements
// i..i+3 of each block of 16, Y1: i+4..i+7, ...), combined as
// norm.go's sumSquaresGo does, then the tail one element at a time.
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-32
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ CX, DX
	ANDQ $-16, DX
	XORQ AX, AX

ss16:
	CMPQ AX, DX
	JGE  ssfold
	VCVTPS2PD (SI)(AX*4), Y4
	VCVTPS2PD 16(SI)(AX*4), Y5
	VCVTPS2PD 32(SI)(AX*4), Y6
	VCVTPS2PD 48(SI)(AX*4), Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	ADDQ $16, AX
	JMP  ss16

ssfold:
	VADDPD Y1, Y0, Y0 // lane l: acc[l] + acc[4+l]
	VADDPD Y3, Y2, Y2 // acc[8+l] + acc[12+l]
	VADDPD Y2, Y0, Y0 // t[l]
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0 // (t0+t2, t1+t3)
	VPERMILPD $1, X0, X1
	VADDSD X1, X0, X0 // (t0+t2) + (t1+t3)

sstail:
	CMPQ AX, CX
	JGE  ssdone
	VCVTSS2SD (SI)(AX*4), X1, X1
	VMULSD X1, X1, X1
	VADDSD X1, X0, X0
	INCQ AX
	JMP  sstail

ssdone:
	VZEROUPPER
	MOVSD X0, ret+24(FP)
	RET

// func scaleAVX2(dst, v []float32, s float32)
// len(v) >= 8, len(dst) >= len(v); dst may be v.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-52
	MOVQ dst_base+0(FP), DI
	MOVQ v_base+24(FP), SI
	MOVQ v_len+32(FP), CX
	VBROADCASTSS s+48(FP), Y0
	MOVQ CX, DX
	ANDQ $-8, DX
	XORQ AX, AX

sc8:
	CMPQ AX, DX
	JGE  sctail
	VMULPS (SI)(AX*4), Y0, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ $8, AX
	JMP  sc8

sctail:
	CMPQ AX, CX
	JGE  scdone
	VMULSS (SI)(AX*4), X0, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ AX
	JMP  sctail

scdone:
	VZEROUPPER
	RET
