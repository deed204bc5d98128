#include "textflag.h"

// func axpyBF16AVX2(a float32, x *byte, y *float32, n int)
// y[i] += a * bfloat16(x[2i:2i+2]) for i < n; n is a positive multiple of 8.
TEXT ·axpyBF16AVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y8
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX
	XORQ AX, AX

bf_loop:
	VPMOVZXWD (SI)(AX*2), Y1
	VPSLLD    $16, Y1, Y1
	VMOVUPS   (DI)(AX*4), Y0
	VFMADD231PS Y1, Y8, Y0
	VMOVUPS   Y0, (DI)(AX*4)
	ADDQ      $8, AX
	CMPQ      AX, CX
	JLT       bf_loop
	VZEROUPPER
	RET
