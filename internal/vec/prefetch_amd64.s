#include "textflag.h"

// func prefetchRows(base unsafe.Pointer, rowBytes int, idx []uint32)
// PREFETCHT0 on every 64-byte line that row idx[i] (rowBytes bytes from
// base + idx[i]*rowBytes) touches. rowBytes > 0.
TEXT ·prefetchRows(SB), NOSPLIT, $0-40
	MOVQ base+0(FP), BX
	MOVQ rowBytes+8(FP), R8
	MOVQ idx_base+16(FP), SI
	MOVQ idx_len+24(FP), CX
	TESTQ CX, CX
	JE    pfdone

pfrow:
	MOVL  (SI), AX
	IMULQ R8, AX
	LEAQ  (BX)(AX*1), DI
	LEAQ  -1(DI)(R8*1), DX
	ANDQ  $-64, DI

pfline:
	PREFETCHT0 (DI)
	ADDQ  $64, DI
	CMPQ  DI, DX
	JLE   pfline
	ADDQ  $4, SI
	DECQ  CX
	JNE   pfrow

pfdone:
	RET

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
