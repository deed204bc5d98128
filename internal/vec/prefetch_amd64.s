#include "textflag.h"

// func prefetchRowsStride(base unsafe.Pointer, stride, rowBytes int, idx []uint32)
// PREFETCHT0 on every 64-byte line of the rowBytes bytes from
// base + idx[i]*stride. rowBytes > 0.
TEXT ·prefetchRowsStride(SB), NOSPLIT, $0-48
	MOVQ base+0(FP), BX
	MOVQ stride+8(FP), R9
	MOVQ rowBytes+16(FP), R8
	MOVQ idx_base+24(FP), SI
	MOVQ idx_len+32(FP), CX
	TESTQ CX, CX
	JE    psdone

psrow:
	MOVL  (SI), AX
	IMULQ R9, AX
	LEAQ  (BX)(AX*1), DI
	LEAQ  -1(DI)(R8*1), DX
	ANDQ  $-64, DI

psline:
	PREFETCHT0 (DI)
	ADDQ  $64, DI
	CMPQ  DI, DX
	JLE   psline
	ADDQ  $4, SI
	DECQ  CX
	JNE   psrow

psdone:
	RET
