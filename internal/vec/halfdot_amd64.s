#include "textflag.h"

// The 16-lane kernels (AVX-512 F and BW): two 16-wide FMA accumulators
// over 32 elements (one 64-byte line, prefetched 2 KiB ahead), then 16 at
// a time to n16, then the row's last dim-n16 elements with a masked load
// (opmask K1), which reads nothing past the row, so every row of the slice
// is done here. Scaling as in the 8-lane kernels below. The body is one
// macro, ROWS16, for both types: WIDEN(src, dst) turns the 16 elements at
// src into the float32 lanes of dst, WIDEN_TAIL the same under K1,
// zeroing the other lanes.

#define WIDEN_BF16(src, dst) VPMOVZXWD src, dst; VPSLLD $16, dst, dst
#define WIDEN_BF16_TAIL(src, dst) VPMOVZXWD.Z src, K1, dst; VPSLLD $16, dst, dst
#define WIDEN_F16(src, dst) VCVTPH2PS src, dst
#define WIDEN_F16_TAIL(src, dst) VCVTPH2PS.Z src, K1, dst

#define ROWS16(WIDEN, WIDEN_TAIL) \
	MOVQ q+0(FP), SI; \
	MOVQ rows+8(FP), DI; \
	MOVQ n16+16(FP), R8; \
	MOVQ dim+24(FP), R9; \
	SHLQ $1, R9; \
	MOVQ nrows+32(FP), R10; \
	MOVQ out+40(FP), R11; \
	MOVQ tail+48(FP), AX; \
	KMOVW AX, K1; \
	MOVQ scale+56(FP), BX; \
	VMOVUPS.Z (SI)(R8*4), K1, Z14; \
row: \
	VXORPS Z0, Z0, Z0; \
	VXORPS Z1, Z1, Z1; \
	XORQ CX, CX; \
by32: \
	LEAQ 32(CX), AX; \
	CMPQ AX, R8; \
	JG   by16; \
	PREFETCHT0 2048(DI)(CX*2); \
	WIDEN((DI)(CX*2), Z4); \
	WIDEN(32(DI)(CX*2), Z5); \
	VFMADD231PS (SI)(CX*4), Z4, Z0; \
	VFMADD231PS 64(SI)(CX*4), Z5, Z1; \
	MOVQ AX, CX; \
	JMP  by32; \
by16: \
	CMPQ CX, R8; \
	JGE  rest; \
	WIDEN((DI)(CX*2), Z4); \
	VFMADD231PS (SI)(CX*4), Z4, Z0; \
	ADDQ $16, CX; \
rest: \
	KORTESTW K1, K1; \
	JZ   reduce; \
	WIDEN_TAIL((DI)(CX*2), Z4); \
	VFMADD231PS Z14, Z4, Z1; \
reduce: \
	VADDPS Z1, Z0, Z0; \
	VEXTRACTF64X4 $1, Z0, Y1; \
	VADDPS Y1, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS X1, X0, X0; \
	VHADDPS X0, X0, X0; \
	VHADDPS X0, X0, X0; \
	TESTQ BX, BX; \
	JE    store; \
	VMULSS (BX), X0, X0; \
	ADDQ $4, BX; \
store: \
	VMOVSS X0, (R11); \
	ADDQ $4, R11; \
	ADDQ R9, DI; \
	DECQ R10; \
	JNZ  row; \
	VZEROUPPER; \
	RET

// Dot products of a float32 query with rows of 16-bit floats; see
// halfdot.go. Each row: four 8-wide FMA accumulators over 32 elements,
// then an 8-wide loop to n8 elements, then (when dim > n8) the last
// dim-n8 elements: 8 are loaded, the lanes beyond the row are cleared
// with the mask (before any arithmetic, so that whatever they hold cannot
// turn into NaN), and multiplied by the query's last elements, read once
// with VMASKMOVPS, which never touches the masked lanes. Reading 8
// elements there runs past the row, into the next one: the caller passes
// the last row of its slice only when the slice's capacity covers those 8.
// Rows are read in order;
// each 32 elements (a 64-byte line) prefetch the line 2 KiB ahead. When
// scale is not nil, out[r] is the dot product times scale[r] (a row's
// inverse norm, for cosine), so the scores need no second pass.

// func dotRowsBF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32)
TEXT ·dotRowsBF16AVX2(SB), NOSPLIT, $0-64
	MOVQ q+0(FP), SI
	MOVQ rows+8(FP), DI
	MOVQ n8+16(FP), R8
	MOVQ dim+24(FP), R9
	SHLQ $1, R9
	MOVQ nrows+32(FP), R10
	MOVQ out+40(FP), R11
	MOVQ mask+48(FP), DX
	MOVQ scale+56(FP), BX
	VMOVDQU (DX), Y15
	MOVQ dim+24(FP), R12
	SUBQ R8, R12
	VMASKMOVPS (SI)(R8*4), Y15, Y14

hbrow:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ CX, CX

hb32:
	LEAQ 32(CX), AX
	CMPQ AX, R8
	JG   hb8
	PREFETCHT0 2048(DI)(CX*2)
	VPMOVZXWD (DI)(CX*2), Y4
	VPMOVZXWD 16(DI)(CX*2), Y5
	VPMOVZXWD 32(DI)(CX*2), Y6
	VPMOVZXWD 48(DI)(CX*2), Y7
	VPSLLD $16, Y4, Y4
	VPSLLD $16, Y5, Y5
	VPSLLD $16, Y6, Y6
	VPSLLD $16, Y7, Y7
	VFMADD231PS (SI)(CX*4), Y4, Y0
	VFMADD231PS 32(SI)(CX*4), Y5, Y1
	VFMADD231PS 64(SI)(CX*4), Y6, Y2
	VFMADD231PS 96(SI)(CX*4), Y7, Y3
	MOVQ AX, CX
	JMP  hb32

hb8:
	CMPQ CX, R8
	JGE  hbtail
	VPMOVZXWD (DI)(CX*2), Y4
	VPSLLD $16, Y4, Y4
	VFMADD231PS (SI)(CX*4), Y4, Y0
	ADDQ $8, CX
	JMP  hb8

hbtail:
	TESTQ R12, R12
	JE    hbred
	VPMOVZXWD (DI)(CX*2), Y4
	VPAND Y15, Y4, Y4
	VPSLLD $16, Y4, Y4
	VFMADD231PS Y14, Y4, Y1

hbred:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	TESTQ BX, BX
	JE    hbstore
	VMULSS (BX), X0, X0
	ADDQ $4, BX

hbstore:
	VMOVSS X0, (R11)
	ADDQ $4, R11
	ADDQ R9, DI
	DECQ R10
	JNZ  hbrow
	VZEROUPPER
	RET

// func dotRowsF16AVX2(q *float32, rows *uint16, n8, dim, nrows int, out *float32, mask *uint32, scale *float32)
TEXT ·dotRowsF16AVX2(SB), NOSPLIT, $0-64
	MOVQ q+0(FP), SI
	MOVQ rows+8(FP), DI
	MOVQ n8+16(FP), R8
	MOVQ dim+24(FP), R9
	SHLQ $1, R9
	MOVQ nrows+32(FP), R10
	MOVQ out+40(FP), R11
	MOVQ mask+48(FP), DX
	MOVQ scale+56(FP), BX
	VMOVDQU (DX), Y15
	MOVQ dim+24(FP), R12
	SUBQ R8, R12
	VMASKMOVPS (SI)(R8*4), Y15, Y14

hfrow:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ CX, CX

hf32:
	LEAQ 32(CX), AX
	CMPQ AX, R8
	JG   hf8
	PREFETCHT0 2048(DI)(CX*2)
	VCVTPH2PS (DI)(CX*2), Y4
	VCVTPH2PS 16(DI)(CX*2), Y5
	VCVTPH2PS 32(DI)(CX*2), Y6
	VCVTPH2PS 48(DI)(CX*2), Y7
	VFMADD231PS (SI)(CX*4), Y4, Y0
	VFMADD231PS 32(SI)(CX*4), Y5, Y1
	VFMADD231PS 64(SI)(CX*4), Y6, Y2
	VFMADD231PS 96(SI)(CX*4), Y7, Y3
	MOVQ AX, CX
	JMP  hf32

hf8:
	CMPQ CX, R8
	JGE  hftail
	VCVTPH2PS (DI)(CX*2), Y4
	VFMADD231PS (SI)(CX*4), Y4, Y0
	ADDQ $8, CX
	JMP  hf8

hftail:
	TESTQ R12, R12
	JE    hfred
	VCVTPH2PS (DI)(CX*2), Y4
	VANDPS Y15, Y4, Y4
	VFMADD231PS Y14, Y4, Y1

hfred:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	TESTQ BX, BX
	JE    hfstore
	VMULSS (BX), X0, X0
	ADDQ $4, BX

hfstore:
	VMOVSS X0, (R11)
	ADDQ $4, R11
	ADDQ R9, DI
	DECQ R10
	JNZ  hfrow
	VZEROUPPER
	RET

// The 16-lane kernels: ROWS16 above. (go vet's frame check cannot see
// into the macro; the tests compare both with the Go code.)
//
// func dotRowsBF16AVX512(q *float32, rows *uint16, n16, dim, nrows int, out *float32, tail uint64, scale *float32)
TEXT ·dotRowsBF16AVX512(SB), NOSPLIT, $0-64
	ROWS16(WIDEN_BF16, WIDEN_BF16_TAIL)

// func dotRowsF16AVX512(q *float32, rows *uint16, n16, dim, nrows int, out *float32, tail uint64, scale *float32)
TEXT ·dotRowsF16AVX512(SB), NOSPLIT, $0-64
	ROWS16(WIDEN_F16, WIDEN_F16_TAIL)
