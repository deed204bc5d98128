#include "textflag.h"

// Kernels over quantized codes; see quant.go for their semantics. The int8
// kernels widen 16 or 32 codes to int16 and multiply them by the int16
// weights pairwise into int32 lanes: exact integer sums, so every kernel
// gives the result of the Go code bit for bit.

// func dotU8AVX2(w []int16, c []uint8) int32
// len(w) is a positive multiple of 16; len(c) >= len(w).
TEXT ·dotU8AVX2(SB), NOSPLIT, $0-52
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ c_base+24(FP), DI
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1

ua32:
	CMPQ CX, $32
	JL   ua16
	VPMOVZXBW (DI), Y2
	VPMOVZXBW 16(DI), Y3
	VPMADDWD (SI), Y2, Y2
	VPMADDWD 32(SI), Y3, Y3
	VPADDD Y2, Y0, Y0
	VPADDD Y3, Y1, Y1
	ADDQ $32, DI
	ADDQ $64, SI
	SUBQ $32, CX
	JMP  ua32

ua16:
	CMPQ CX, $16
	JL   uareduce
	VPMOVZXBW (DI), Y2
	VPMADDWD (SI), Y2, Y2
	VPADDD Y2, Y0, Y0

uareduce:
	VPADDD Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, AX
	VZEROUPPER
	MOVL AX, ret+48(FP)
	RET

// func dotU8VNNI(w []int16, c []uint8) int32
// AVX-512 VNNI: VPDPWSSD multiplies and accumulates 32 pairs a step.
// len(w) is a positive multiple of 16; len(c) >= len(w).
TEXT ·dotU8VNNI(SB), NOSPLIT, $0-52
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), CX
	MOVQ c_base+24(FP), DI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1

vn64:
	CMPQ CX, $64
	JL   vn32
	VPMOVZXBW (DI), Z2
	VPMOVZXBW 32(DI), Z3
	VPDPWSSD (SI), Z2, Z0
	VPDPWSSD 64(SI), Z3, Z1
	ADDQ $64, DI
	ADDQ $128, SI
	SUBQ $64, CX
	JMP  vn64

vn32:
	CMPQ CX, $32
	JL   vnfold
	VPMOVZXBW (DI), Z2
	VPDPWSSD (SI), Z2, Z0
	ADDQ $32, DI
	ADDQ $64, SI
	SUBQ $32, CX

vnfold:
	VPADDD Z1, Z0, Z0
	VEXTRACTI64X4 $1, Z0, Y1
	VPADDD Y1, Y0, Y0
	CMPQ CX, $16
	JL   vnreduce
	VPMOVZXBW (DI), Y2
	VPMADDWD (SI), Y2, Y2
	VPADDD Y2, Y0, Y0

vnreduce:
	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, AX
	VZEROUPPER
	MOVL AX, ret+48(FP)
	RET

// func hammingPOPCNT(a, b []uint64) int32
// len(a) > 0; len(b) >= len(a). Four words a step, two accumulators.
TEXT ·hammingPOPCNT(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	XORQ AX, AX
	XORQ DX, DX

hp4:
	CMPQ CX, $4
	JL   hp1
	MOVQ (SI), R8
	XORQ (DI), R8
	POPCNTQ R8, R8
	ADDQ R8, AX
	MOVQ 8(SI), R9
	XORQ 8(DI), R9
	POPCNTQ R9, R9
	ADDQ R9, DX
	MOVQ 16(SI), R10
	XORQ 16(DI), R10
	POPCNTQ R10, R10
	ADDQ R10, AX
	MOVQ 24(SI), R11
	XORQ 24(DI), R11
	POPCNTQ R11, R11
	ADDQ R11, DX
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $4, CX
	JMP  hp4

hp1:
	TESTQ CX, CX
	JE    hpdone
	MOVQ  (SI), R8
	XORQ  (DI), R8
	POPCNTQ R8, R8
	ADDQ  R8, AX
	ADDQ  $8, SI
	ADDQ  $8, DI
	DECQ  CX
	JMP   hp1

hpdone:
	ADDQ DX, AX
	MOVL AX, ret+48(FP)
	RET

// func hammingVPOPCNT(a, b []uint64) int32
// AVX-512 VPOPCNTDQ, 8 words a step, then POPCNT for the last 0-7 words.
// len(a) >= 8; len(b) >= len(a).
TEXT ·hammingVPOPCNT(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VPXORQ Z0, Z0, Z0

vp8:
	CMPQ CX, $8
	JL   vpfold
	VMOVDQU64 (SI), Z1
	VPXORQ (DI), Z1, Z1
	VPOPCNTQ Z1, Z1
	VPADDQ Z1, Z0, Z0
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $8, CX
	JMP  vp8

vpfold:
	VEXTRACTI64X4 $1, Z0, Y1
	VPADDQ Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDQ X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDQ X1, X0, X0
	VMOVQ X0, AX
	VZEROUPPER

vp1:
	TESTQ CX, CX
	JE    vpdone
	MOVQ  (SI), R8
	XORQ  (DI), R8
	POPCNTQ R8, R8
	ADDQ  R8, AX
	ADDQ  $8, SI
	ADDQ  $8, DI
	DECQ  CX
	JMP   vp1

vpdone:
	MOVL AX, ret+48(FP)
	RET

// func dotU8BatchAVX2(w []int16, codes []uint8, stride int, idx []uint32, out []int32)
// out[i] = dotU8(w, codes[idx[i]*stride:][:len(w)]). The caller checks
// that every row is in range and len(out) >= len(idx) > 0.
// The next row is prefetched while this one is summed.
TEXT ·dotU8BatchAVX2(SB), NOSPLIT, $0-104
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), R8
	MOVQ codes_base+24(FP), BX
	MOVQ stride+48(FP), R13
	MOVQ idx_base+56(FP), R9
	MOVQ idx_len+64(FP), R10
	MOVQ out_base+80(FP), R11
	XORQ R12, R12

barow:
	CMPQ R12, R10
	JGE  badone
	MOVL (R9)(R12*4), AX
	IMULQ R13, AX
	LEAQ (BX)(AX*1), DI
	LEAQ 1(R12), DX
	CMPQ DX, R10
	JGE  banopf
	MOVL (R9)(DX*4), AX
	IMULQ R13, AX
	PREFETCHT0 (BX)(AX*1)
	PREFETCHT0 64(BX)(AX*1)

banopf:
	MOVQ SI, DX
	MOVQ R8, CX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1

ba32:
	CMPQ CX, $32
	JL   ba16
	VPMOVZXBW (DI), Y2
	VPMOVZXBW 16(DI), Y3
	VPMADDWD (DX), Y2, Y2
	VPMADDWD 32(DX), Y3, Y3
	VPADDD Y2, Y0, Y0
	VPADDD Y3, Y1, Y1
	ADDQ $32, DI
	ADDQ $64, DX
	SUBQ $32, CX
	JMP  ba32

ba16:
	CMPQ CX, $16
	JL   bared
	VPMOVZXBW (DI), Y2
	VPMADDWD (DX), Y2, Y2
	VPADDD Y2, Y0, Y0

bared:
	VPADDD Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, (R11)(R12*4)
	INCQ R12
	JMP  barow

badone:
	VZEROUPPER
	RET

// func dotU8BatchVNNI(w []int16, codes []uint8, stride int, idx []uint32, out []int32)
// As dotU8BatchAVX2, with AVX-512 VNNI.
TEXT ·dotU8BatchVNNI(SB), NOSPLIT, $0-104
	MOVQ w_base+0(FP), SI
	MOVQ w_len+8(FP), R8
	MOVQ codes_base+24(FP), BX
	MOVQ stride+48(FP), R13
	MOVQ idx_base+56(FP), R9
	MOVQ idx_len+64(FP), R10
	MOVQ out_base+80(FP), R11
	XORQ R12, R12

bvrow:
	CMPQ R12, R10
	JGE  bvdone
	MOVL (R9)(R12*4), AX
	IMULQ R13, AX
	LEAQ (BX)(AX*1), DI
	LEAQ 1(R12), DX
	CMPQ DX, R10
	JGE  bvnopf
	MOVL (R9)(DX*4), AX
	IMULQ R13, AX
	PREFETCHT0 (BX)(AX*1)
	PREFETCHT0 64(BX)(AX*1)

bvnopf:
	MOVQ SI, DX
	MOVQ R8, CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1

bv64:
	CMPQ CX, $64
	JL   bv32
	VPMOVZXBW (DI), Z2
	VPMOVZXBW 32(DI), Z3
	VPDPWSSD (DX), Z2, Z0
	VPDPWSSD 64(DX), Z3, Z1
	ADDQ $64, DI
	ADDQ $128, DX
	SUBQ $64, CX
	JMP  bv64

bv32:
	CMPQ CX, $32
	JL   bvfold
	VPMOVZXBW (DI), Z2
	VPDPWSSD (DX), Z2, Z0
	ADDQ $32, DI
	ADDQ $64, DX
	SUBQ $32, CX

bvfold:
	VPADDD Z1, Z0, Z0
	VEXTRACTI64X4 $1, Z0, Y1
	VPADDD Y1, Y0, Y0
	CMPQ CX, $16
	JL   bvred
	VPMOVZXBW (DI), Y2
	VPMADDWD (DX), Y2, Y2
	VPADDD Y2, Y0, Y0

bvred:
	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xb1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, (R11)(R12*4)
	INCQ R12
	JMP  bvrow

bvdone:
	VZEROUPPER
	RET

// func hammingRowsVPOPCNT(q, codes *uint64, words, nrows int, out *int32)
// For each row: 8 words a step with VPOPCNTQ into Z0, POPCNT for the last
// 0-7 words, then the fold; the query stays in L1 across rows.
TEXT ·hammingRowsVPOPCNT(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), SI
	MOVQ codes+8(FP), DI
	MOVQ words+16(FP), R8
	MOVQ nrows+24(FP), R10
	MOVQ out+32(FP), R11

hrrow:
	VPXORQ Z0, Z0, Z0
	XORQ CX, CX
	MOVQ R8, DX
	SUBQ $8, DX

hr8:
	CMPQ CX, DX
	JG   hrfold
	VMOVDQU64 (SI)(CX*8), Z1
	VPXORQ (DI)(CX*8), Z1, Z1
	VPOPCNTQ Z1, Z1
	VPADDQ Z1, Z0, Z0
	ADDQ $8, CX
	JMP  hr8

hrfold:
	VEXTRACTI64X4 $1, Z0, Y1
	VPADDQ Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDQ X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDQ X1, X0, X0
	VMOVQ X0, AX

hr1:
	CMPQ CX, R8
	JGE  hrstore
	MOVQ (SI)(CX*8), R9
	XORQ (DI)(CX*8), R9
	POPCNTQ R9, R9
	ADDQ R9, AX
	INCQ CX
	JMP  hr1

hrstore:
	MOVL AX, (R11)
	ADDQ $4, R11
	LEAQ (DI)(R8*8), DI
	DECQ R10
	JNZ  hrrow
	VZEROUPPER
	RET

// func hammingRowsPOPCNT(q, codes *uint64, words, nrows int, out *int32)
// For each row: four words a step into four sums (no chain of adds
// between the steps' POPCNTs), then the last 0-3 words one at a time.
// One call for all the rows spares a call, a bounds check and a dispatch
// a row: a fifth of the time on rows of 24 words (BenchmarkHammingRows).
TEXT ·hammingRowsPOPCNT(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), SI
	MOVQ codes+8(FP), DI
	MOVQ words+16(FP), R8
	MOVQ nrows+24(FP), R10
	MOVQ out+32(FP), R11
	MOVQ R8, R9
	SUBQ $4, R9 // the last word a step of four may start at

prrow:
	XORQ AX, AX
	XORQ BX, BX
	XORQ DX, DX
	XORQ R13, R13
	XORQ CX, CX

pr4:
	CMPQ CX, R9
	JG   pr1
	MOVQ (SI)(CX*8), R12
	XORQ (DI)(CX*8), R12
	POPCNTQ R12, R12
	ADDQ R12, AX
	MOVQ 8(SI)(CX*8), R12
	XORQ 8(DI)(CX*8), R12
	POPCNTQ R12, R12
	ADDQ R12, BX
	MOVQ 16(SI)(CX*8), R12
	XORQ 16(DI)(CX*8), R12
	POPCNTQ R12, R12
	ADDQ R12, DX
	MOVQ 24(SI)(CX*8), R12
	XORQ 24(DI)(CX*8), R12
	POPCNTQ R12, R12
	ADDQ R12, R13
	ADDQ $4, CX
	JMP  pr4

pr1:
	CMPQ CX, R8
	JGE  prstore
	MOVQ (SI)(CX*8), R12
	XORQ (DI)(CX*8), R12
	POPCNTQ R12, R12
	ADDQ R12, AX
	INCQ CX
	JMP  pr1

prstore:
	ADDQ BX, AX
	ADDQ R13, DX
	ADDQ DX, AX
	MOVL AX, (R11)
	ADDQ $4, R11
	LEAQ (DI)(R8*8), DI
	DECQ R10
	JNZ  prrow
	RET

// func hammingRowsAVX2(q, codes *uint64, words, nrows int, out *int32)
// For each row: four words (32 bytes) a step, counted by nibble lookups
// (VPSHUFB into a table of the sixteen nibbles' counts, Muła's method)
// and summed per 8 bytes by VPSADBW into four 64-bit sums, then the last
// 0-3 words by POPCNT. Each step also prefetches the codes 2 KiB ahead, as
// the float32 scans do: a scan of codes that other work has pushed out of
// the cache otherwise waits on memory.
TEXT ·hammingRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ q+0(FP), SI
	MOVQ codes+8(FP), DI
	MOVQ words+16(FP), R8
	MOVQ nrows+24(FP), R10
	MOVQ out+32(FP), R11
	MOVQ R8, R9
	SUBQ $4, R9 // the last word a step of four may start at

	MOVQ $0x0302020102010100, AX // the bits set in nibbles 0-7
	MOVQ $0x0403030203020201, BX // and 8-15
	VMOVQ AX, X15
	VPINSRQ $1, BX, X15, X15
	VINSERTI128 $1, X15, Y15, Y15
	MOVL $0x0f0f0f0f, AX
	VMOVD AX, X14
	VPBROADCASTD X14, Y14
	VPXOR Y13, Y13, Y13

arrow:
	VPXOR Y3, Y3, Y3
	XORQ CX, CX

ar4:
	CMPQ CX, R9
	JG   arfold
	PREFETCHT0 2048(DI)(CX*8)
	VMOVDQU (SI)(CX*8), Y1
	VPXOR (DI)(CX*8), Y1, Y1
	VPAND Y14, Y1, Y2
	VPSRLW $4, Y1, Y1
	VPAND Y14, Y1, Y1
	VPSHUFB Y2, Y15, Y2
	VPSHUFB Y1, Y15, Y1
	VPADDB Y2, Y1, Y1
	VPSADBW Y13, Y1, Y1
	VPADDQ Y1, Y3, Y3
	ADDQ $4, CX
	JMP  ar4

arfold:
	VEXTRACTI128 $1, Y3, X4
	VPADDQ X4, X3, X3
	VPSHUFD $0x4e, X3, X4
	VPADDQ X4, X3, X3
	VMOVQ X3, AX

ar1:
	CMPQ CX, R8
	JGE  arstore
	MOVQ (SI)(CX*8), R12
	XORQ (DI)(CX*8), R12
	POPCNTQ R12, R12
	ADDQ R12, AX
	INCQ CX
	JMP  ar1

arstore:
	MOVL AX, (R11)
	ADDQ $4, R11
	LEAQ (DI)(R8*8), DI
	DECQ R10
	JNZ  arrow
	VZEROUPPER
	RET
