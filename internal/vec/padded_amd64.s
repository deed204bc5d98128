#include "textflag.h"

// Kernels over padded matrices (the Word2Vec training loops), AVX2 + FMA. Row lengths
// (stride) are multiples of 8 float32s, so no loop needs a tail. See padded.go for the
// semantics.

// func paddedDotAVX2(x, m *float32, stride int, idx *int32, k int, out *float32)
TEXT ·paddedDotAVX2(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ m+8(FP), DI
	MOVQ stride+16(FP), R12
	SHLQ $2, R12
	MOVQ idx+24(FP), BX
	MOVQ k+32(FP), CX
	MOVQ out+40(FP), R13

dr_group4:
	CMPQ CX, $4
	JLT  dr_single
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	MOVLQSX 8(BX), R10
	MOVLQSX 12(BX), R11
	IMULQ R12, R8
	IMULQ R12, R9
	IMULQ R12, R10
	IMULQ R12, R11
	ADDQ DI, R8
	ADDQ DI, R9
	ADDQ DI, R10
	ADDQ DI, R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX

dr_loop4:
	VMOVUPS (SI)(AX*1), Y4
	VFMADD231PS (R8)(AX*1), Y4, Y0
	VFMADD231PS (R9)(AX*1), Y4, Y1
	VFMADD231PS (R10)(AX*1), Y4, Y2
	VFMADD231PS (R11)(AX*1), Y4, Y3
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  dr_loop4
	VHADDPS Y1, Y0, Y0
	VHADDPS Y3, Y2, Y2
	VHADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVUPS X0, (R13)
	ADDQ $16, BX
	ADDQ $16, R13
	SUBQ $4, CX
	JMP  dr_group4

dr_single:
	CMPQ CX, $2
	JLT  dr_one
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	IMULQ R12, R8
	IMULQ R12, R9
	ADDQ DI, R8
	ADDQ DI, R9
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ AX, AX

dr_loop2:
	VMOVUPS (SI)(AX*1), Y4
	VFMADD231PS (R8)(AX*1), Y4, Y0
	VFMADD231PS (R9)(AX*1), Y4, Y1
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  dr_loop2
	VHADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VMOVLPS X0, (R13)
	ADDQ $8, BX
	ADDQ $8, R13
	SUBQ $2, CX
	JMP  dr_single

dr_one:
	TESTQ CX, CX
	JZ    dr_done
	MOVLQSX 0(BX), R8
	IMULQ R12, R8
	ADDQ  DI, R8
	VXORPS Y0, Y0, Y0
	XORQ  AX, AX

dr_loop1:
	VMOVUPS (SI)(AX*1), Y4
	VFMADD231PS (R8)(AX*1), Y4, Y0
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  dr_loop1
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VMOVSS X0, (R13)
	ADDQ $4, BX
	ADDQ $4, R13
	DECQ CX
	JMP  dr_one

dr_done:
	VZEROUPPER
	RET

// func paddedUpdateAVX2(x, m *float32, stride int, idx *int32, grad *float32, k int, w *float32)
TEXT ·paddedUpdateAVX2(SB), NOSPLIT, $0-56
	MOVQ x+0(FP), SI
	MOVQ m+8(FP), DI
	MOVQ stride+16(FP), R12
	SHLQ $2, R12
	MOVQ idx+24(FP), BX
	MOVQ grad+32(FP), DX
	MOVQ k+40(FP), CX
	MOVQ w+48(FP), R13

ur_group4:
	CMPQ CX, $4
	JLT  ur_single
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	MOVLQSX 8(BX), R10
	MOVLQSX 12(BX), R11
	IMULQ R12, R8
	IMULQ R12, R9
	IMULQ R12, R10
	IMULQ R12, R11
	ADDQ DI, R8
	ADDQ DI, R9
	ADDQ DI, R10
	ADDQ DI, R11
	VBROADCASTSS 0(DX), Y8
	VBROADCASTSS 4(DX), Y9
	VBROADCASTSS 8(DX), Y10
	VBROADCASTSS 12(DX), Y11
	XORQ AX, AX

ur_loop4:
	VMOVUPS (SI)(AX*1), Y4
	VMOVUPS (R13)(AX*1), Y5
	VMOVUPS (R8)(AX*1), Y6
	VFMADD231PS Y6, Y8, Y5
	VFMADD231PS Y4, Y8, Y6
	VMOVUPS Y6, (R8)(AX*1)
	VMOVUPS (R9)(AX*1), Y7
	VFMADD231PS Y7, Y9, Y5
	VFMADD231PS Y4, Y9, Y7
	VMOVUPS Y7, (R9)(AX*1)
	VMOVUPS (R10)(AX*1), Y12
	VFMADD231PS Y12, Y10, Y5
	VFMADD231PS Y4, Y10, Y12
	VMOVUPS Y12, (R10)(AX*1)
	VMOVUPS (R11)(AX*1), Y13
	VFMADD231PS Y13, Y11, Y5
	VFMADD231PS Y4, Y11, Y13
	VMOVUPS Y13, (R11)(AX*1)
	VMOVUPS Y5, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  ur_loop4
	ADDQ $16, BX
	ADDQ $16, DX
	SUBQ $4, CX
	JMP  ur_group4

ur_single:
	TESTQ CX, CX
	JZ    ur_done
	MOVLQSX 0(BX), R8
	IMULQ R12, R8
	ADDQ  DI, R8
	VBROADCASTSS 0(DX), Y8
	XORQ  AX, AX

ur_loop1:
	VMOVUPS (SI)(AX*1), Y4
	VMOVUPS (R13)(AX*1), Y5
	VMOVUPS (R8)(AX*1), Y6
	VFMADD231PS Y6, Y8, Y5
	VFMADD231PS Y4, Y8, Y6
	VMOVUPS Y6, (R8)(AX*1)
	VMOVUPS Y5, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  ur_loop1
	ADDQ $4, BX
	ADDQ $4, DX
	DECQ CX
	JMP  ur_single

ur_done:
	VZEROUPPER
	RET

// func paddedSumAVX2(m *float32, stride int, idx *int32, k int, scale float32, out *float32)
// out = scale * sum of the rows, four rows per pass over out.
TEXT ·paddedSumAVX2(SB), NOSPLIT, $0-48
	MOVQ m+0(FP), DI
	MOVQ stride+8(FP), R12
	SHLQ $2, R12
	MOVQ idx+16(FP), BX
	MOVQ k+24(FP), CX
	MOVQ out+40(FP), R13

	// out = 0
	VXORPS Y0, Y0, Y0
	XORQ AX, AX

sr_zero:
	VMOVUPS Y0, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  sr_zero

sr_group4:
	CMPQ CX, $4
	JLT  sr_row
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	MOVLQSX 8(BX), R10
	MOVLQSX 12(BX), R11
	IMULQ R12, R8
	IMULQ R12, R9
	IMULQ R12, R10
	IMULQ R12, R11
	ADDQ DI, R8
	ADDQ DI, R9
	ADDQ DI, R10
	ADDQ DI, R11
	XORQ AX, AX

sr_loop4:
	VMOVUPS (R8)(AX*1), Y0
	VADDPS  (R9)(AX*1), Y0, Y0
	VMOVUPS (R10)(AX*1), Y1
	VADDPS  (R11)(AX*1), Y1, Y1
	VADDPS  Y1, Y0, Y0
	VADDPS  (R13)(AX*1), Y0, Y0
	VMOVUPS Y0, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  sr_loop4
	ADDQ $16, BX
	SUBQ $4, CX
	JMP  sr_group4

sr_row:
	TESTQ CX, CX
	JZ    sr_scale
	MOVLQSX 0(BX), R8
	IMULQ R12, R8
	ADDQ  DI, R8
	XORQ  AX, AX

sr_add:
	VMOVUPS (R13)(AX*1), Y0
	VADDPS  (R8)(AX*1), Y0, Y0
	VMOVUPS Y0, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  sr_add
	ADDQ $4, BX
	DECQ CX
	JMP  sr_row

sr_scale:
	MOVL scale+32(FP), AX
	CMPL AX, $0x3f800000 // scale == 1: done
	JEQ  sr_done
	VBROADCASTSS scale+32(FP), Y8
	XORQ AX, AX

sr_mul:
	VMULPS  (R13)(AX*1), Y8, Y0
	VMOVUPS Y0, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  sr_mul

sr_done:
	VZEROUPPER
	RET

// func paddedAddAVX2(m *float32, stride int, idx *int32, k int, v *float32)
TEXT ·paddedAddAVX2(SB), NOSPLIT, $0-40
	MOVQ m+0(FP), DI
	MOVQ stride+8(FP), R12
	SHLQ $2, R12
	MOVQ idx+16(FP), BX
	MOVQ k+24(FP), CX
	MOVQ v+32(FP), SI

ar_group4:
	CMPQ CX, $4
	JLT  ar_row
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	MOVLQSX 8(BX), R10
	MOVLQSX 12(BX), R11
	IMULQ R12, R8
	IMULQ R12, R9
	IMULQ R12, R10
	IMULQ R12, R11
	ADDQ DI, R8
	ADDQ DI, R9
	ADDQ DI, R10
	ADDQ DI, R11
	XORQ AX, AX

ar_loop4:
	VMOVUPS (SI)(AX*1), Y4
	VADDPS  (R8)(AX*1), Y4, Y0
	VMOVUPS Y0, (R8)(AX*1)
	VADDPS  (R9)(AX*1), Y4, Y1
	VMOVUPS Y1, (R9)(AX*1)
	VADDPS  (R10)(AX*1), Y4, Y2
	VMOVUPS Y2, (R10)(AX*1)
	VADDPS  (R11)(AX*1), Y4, Y3
	VMOVUPS Y3, (R11)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  ar_loop4
	ADDQ $16, BX
	SUBQ $4, CX
	JMP  ar_group4

ar_row:
	TESTQ CX, CX
	JZ    ar_done
	MOVLQSX 0(BX), R8
	IMULQ R12, R8
	ADDQ  DI, R8
	XORQ  AX, AX

ar_add:
	VMOVUPS (R8)(AX*1), Y0
	VADDPS  (SI)(AX*1), Y0, Y0
	VMOVUPS Y0, (R8)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  ar_add
	ADDQ $4, BX
	DECQ CX
	JMP  ar_row

ar_done:
	VZEROUPPER
	RET

// func axpyAVX2(a float32, x, y *float32, n int)
TEXT ·axpyAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y8
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), R12
	SHLQ $2, R12
	XORQ AX, AX

ax_loop:
	VMOVUPS (DI)(AX*1), Y0
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  ax_loop
	VZEROUPPER
	RET

// func paddedGemvAddAVX2(m *float32, stride int, idx *int32, grad *float32, k int, out *float32)
TEXT ·paddedGemvAddAVX2(SB), NOSPLIT, $0-48
	MOVQ m+0(FP), DI
	MOVQ stride+8(FP), R12
	SHLQ $2, R12
	MOVQ idx+16(FP), BX
	MOVQ grad+24(FP), DX
	MOVQ k+32(FP), CX
	MOVQ out+40(FP), R13

gv_group4:
	CMPQ CX, $4
	JLT  gv_single
	MOVLQSX 0(BX), R8
	MOVLQSX 4(BX), R9
	MOVLQSX 8(BX), R10
	MOVLQSX 12(BX), R11
	IMULQ R12, R8
	IMULQ R12, R9
	IMULQ R12, R10
	IMULQ R12, R11
	ADDQ DI, R8
	ADDQ DI, R9
	ADDQ DI, R10
	ADDQ DI, R11
	VBROADCASTSS 0(DX), Y8
	VBROADCASTSS 4(DX), Y9
	VBROADCASTSS 8(DX), Y10
	VBROADCASTSS 12(DX), Y11
	XORQ AX, AX

gv_loop4:
	VMOVUPS (R13)(AX*1), Y0
	VFMADD231PS (R8)(AX*1), Y8, Y0
	VFMADD231PS (R9)(AX*1), Y9, Y0
	VFMADD231PS (R10)(AX*1), Y10, Y0
	VFMADD231PS (R11)(AX*1), Y11, Y0
	VMOVUPS Y0, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  gv_loop4
	ADDQ $16, BX
	ADDQ $16, DX
	SUBQ $4, CX
	JMP  gv_group4

gv_single:
	TESTQ CX, CX
	JZ    gv_done
	MOVLQSX 0(BX), R8
	IMULQ R12, R8
	ADDQ  DI, R8
	VBROADCASTSS 0(DX), Y8
	XORQ  AX, AX

gv_loop1:
	VMOVUPS (R13)(AX*1), Y0
	VFMADD231PS (R8)(AX*1), Y8, Y0
	VMOVUPS Y0, (R13)(AX*1)
	ADDQ $32, AX
	CMPQ AX, R12
	JLT  gv_loop1
	ADDQ $4, BX
	ADDQ $4, DX
	DECQ CX
	JMP  gv_single

gv_done:
	VZEROUPPER
	RET

// func paddedPrefetchAVX2(m *float32, stride int, idx *int32, k int)
// Asks the cache for every 64-byte line of the rows, so their loads overlap other work.
TEXT ·paddedPrefetchAVX2(SB), NOSPLIT, $0-32
	MOVQ m+0(FP), DI
	MOVQ stride+8(FP), R12
	SHLQ $2, R12
	MOVQ idx+16(FP), BX
	MOVQ k+24(FP), CX

pf_row:
	TESTQ CX, CX
	JZ    pf_done
	MOVLQSX 0(BX), R8
	IMULQ R12, R8
	ADDQ  DI, R8
	XORQ  AX, AX

pf_line:
	PREFETCHT0 (R8)(AX*1)
	ADDQ $64, AX
	CMPQ AX, R12
	JLT  pf_line
	ADDQ $4, BX
	DECQ CX
	JMP  pf_row

pf_done:
	RET
