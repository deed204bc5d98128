#include "textflag.h"

// Distance kernels for vectors of any length (Dot, SquaredL2 and their batch
// forms), AVX2 + FMA: four 8-wide accumulators over 32 elements, then 8-, 4-
// and 1-wide tails. See kernels.go for the semantics and the summation order.

// func dotAVX2(a, b []float32) float32
// Requires len(b) >= len(a); the caller checks.
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ b_base+24(FP), DI
	MOVQ a_len+8(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

dot32:
	CMPQ CX, $32
	JL   dot8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  dot32

dot8:
	CMPQ CX, $8
	JL   dotreduce
	VMOVUPS (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  dot8

dotreduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	CMPQ CX, $4
	JL   dothsum
	VMOVUPS (SI), X4
	VFMADD231PS (DI), X4, X0
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $4, CX

dothsum:
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	CMPQ CX, $0
	JE   dotdone

dot1:
	VMOVSS (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JNZ  dot1

dotdone:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func l2AVX2(a, b []float32) float32
// Squared Euclidean distance. Requires len(b) >= len(a); the caller checks.
TEXT ·l2AVX2(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ b_base+24(FP), DI
	MOVQ a_len+8(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

l232:
	CMPQ CX, $32
	JL   l28
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VSUBPS (DI), Y4, Y4
	VSUBPS 32(DI), Y5, Y5
	VSUBPS 64(DI), Y6, Y6
	VSUBPS 96(DI), Y7, Y7
	VFMADD231PS Y4, Y4, Y0
	VFMADD231PS Y5, Y5, Y1
	VFMADD231PS Y6, Y6, Y2
	VFMADD231PS Y7, Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  l232

l28:
	CMPQ CX, $8
	JL   l2reduce
	VMOVUPS (SI), Y4
	VSUBPS (DI), Y4, Y4
	VFMADD231PS Y4, Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  l28

l2reduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	CMPQ CX, $4
	JL   l2hsum
	VMOVUPS (SI), X4
	VSUBPS (DI), X4, X4
	VFMADD231PS X4, X4, X0
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $4, CX

l2hsum:
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	CMPQ CX, $0
	JE   l2done

l21:
	VMOVSS (SI), X4
	VSUBSS (DI), X4, X4
	VFMADD231SS X4, X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JNZ  l21

l2done:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func dotBatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)
// out[i] = dot(q, base[idx[i]*dim:][:dim]) for i < len(idx). The caller
// guarantees len(q) == dim, len(out) >= len(idx) and every row in range.
// While computing row i it prefetches row i+1.
TEXT ·dotBatchAVX2(SB), NOSPLIT, $0-104
	MOVQ q_base+0(FP), SI
	MOVQ base_base+24(FP), DI
	MOVQ idx_base+48(FP), R8
	MOVQ idx_len+56(FP), R9
	MOVQ dim+72(FP), R10
	MOVQ out_base+80(FP), R11
	MOVQ R10, R12
	SHLQ $2, R12
	TESTQ R9, R9
	JE   dbdone

dbrow:
	MOVL  (R8), AX
	IMULQ R12, AX
	LEAQ  (DI)(AX*1), BX
	CMPQ  R9, $1
	JE    dbnopf
	MOVL  4(R8), DX
	IMULQ R12, DX
	LEAQ  (DI)(DX*1), DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 128(DX)
	PREFETCHT0 192(DX)
	PREFETCHT0 256(DX)
	PREFETCHT0 320(DX)
	PREFETCHT0 384(DX)

dbnopf:
	MOVQ SI, CX
	MOVQ R10, DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

db32:
	CMPQ DX, $32
	JL   db8
	VMOVUPS (CX), Y4
	VMOVUPS 32(CX), Y5
	VMOVUPS 64(CX), Y6
	VMOVUPS 96(CX), Y7
	VFMADD231PS (BX), Y4, Y0
	VFMADD231PS 32(BX), Y5, Y1
	VFMADD231PS 64(BX), Y6, Y2
	VFMADD231PS 96(BX), Y7, Y3
	ADDQ $128, CX
	ADDQ $128, BX
	SUBQ $32, DX
	JMP  db32

db8:
	CMPQ DX, $8
	JL   dbreduce
	VMOVUPS (CX), Y4
	VFMADD231PS (BX), Y4, Y0
	ADDQ $32, CX
	ADDQ $32, BX
	SUBQ $8, DX
	JMP  db8

dbreduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	CMPQ DX, $4
	JL   dbhsum
	VMOVUPS (CX), X4
	VFMADD231PS (BX), X4, X0
	ADDQ $16, CX
	ADDQ $16, BX
	SUBQ $4, DX

dbhsum:
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	TESTQ DX, DX
	JE   dbstore

db1:
	VMOVSS (CX), X4
	VFMADD231SS (BX), X4, X0
	ADDQ $4, CX
	ADDQ $4, BX
	DECQ DX
	JNZ  db1

dbstore:
	MOVSS X0, (R11)
	ADDQ $4, R11
	ADDQ $4, R8
	DECQ R9
	JNZ  dbrow

dbdone:
	VZEROUPPER
	RET

// func l2BatchAVX2(q []float32, base []float32, idx []uint32, dim int, out []float32)
// out[i] = squared L2 distance of q and row idx[i]; as dotBatchAVX2.
TEXT ·l2BatchAVX2(SB), NOSPLIT, $0-104
	MOVQ q_base+0(FP), SI
	MOVQ base_base+24(FP), DI
	MOVQ idx_base+48(FP), R8
	MOVQ idx_len+56(FP), R9
	MOVQ dim+72(FP), R10
	MOVQ out_base+80(FP), R11
	MOVQ R10, R12
	SHLQ $2, R12
	TESTQ R9, R9
	JE   lbdone

lbrow:
	MOVL  (R8), AX
	IMULQ R12, AX
	LEAQ  (DI)(AX*1), BX
	CMPQ  R9, $1
	JE    lbnopf
	MOVL  4(R8), DX
	IMULQ R12, DX
	LEAQ  (DI)(DX*1), DX
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	PREFETCHT0 128(DX)
	PREFETCHT0 192(DX)
	PREFETCHT0 256(DX)
	PREFETCHT0 320(DX)
	PREFETCHT0 384(DX)

lbnopf:
	MOVQ SI, CX
	MOVQ R10, DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

lb32:
	CMPQ DX, $32
	JL   lb8
	VMOVUPS (CX), Y4
	VMOVUPS 32(CX), Y5
	VMOVUPS 64(CX), Y6
	VMOVUPS 96(CX), Y7
	VSUBPS (BX), Y4, Y4
	VSUBPS 32(BX), Y5, Y5
	VSUBPS 64(BX), Y6, Y6
	VSUBPS 96(BX), Y7, Y7
	VFMADD231PS Y4, Y4, Y0
	VFMADD231PS Y5, Y5, Y1
	VFMADD231PS Y6, Y6, Y2
	VFMADD231PS Y7, Y7, Y3
	ADDQ $128, CX
	ADDQ $128, BX
	SUBQ $32, DX
	JMP  lb32

lb8:
	CMPQ DX, $8
	JL   lbreduce
	VMOVUPS (CX), Y4
	VSUBPS (BX), Y4, Y4
	VFMADD231PS Y4, Y4, Y0
	ADDQ $32, CX
	ADDQ $32, BX
	SUBQ $8, DX
	JMP  lb8

lbreduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	CMPQ DX, $4
	JL   lbhsum
	VMOVUPS (CX), X4
	VSUBPS (BX), X4, X4
	VFMADD231PS X4, X4, X0
	ADDQ $16, CX
	ADDQ $16, BX
	SUBQ $4, DX

lbhsum:
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	TESTQ DX, DX
	JE   lbstore

lb1:
	VMOVSS (CX), X4
	VSUBSS (BX), X4, X4
	VFMADD231SS X4, X4, X0
	ADDQ $4, CX
	ADDQ $4, BX
	DECQ DX
	JNZ  lb1

lbstore:
	MOVSS X0, (R11)
	ADDQ $4, R11
	ADDQ $4, R8
	DECQ R9
	JNZ  lbrow

lbdone:
	VZEROUPPER
	RET

// func dotRowsAVX2(q []float32, rows []float32, dim int, out []float32)
// out[r] = dot(q, rows[r*dim:][:dim]) for r < len(out). The caller
// guarantees len(q) == dim and len(rows) >= len(out)*dim. Rows are read in
// order; each row also prefetches the lines 2 KiB ahead, to keep more misses
// in flight than the hardware prefetcher alone does.
TEXT ·dotRowsAVX2(SB), NOSPLIT, $0-80
	MOVQ q_base+0(FP), SI
	MOVQ rows_base+24(FP), BX
	MOVQ dim+48(FP), R10
	MOVQ out_base+56(FP), R11
	MOVQ out_len+64(FP), R9
	MOVQ R10, R12
	SHLQ $2, R12
	TESTQ R9, R9
	JE   drdone

drrow:
	LEAQ 2048(BX), DX
	MOVQ R12, AX

drpf:
	PREFETCHT0 (DX)
	ADDQ $64, DX
	SUBQ $64, AX
	JG   drpf
	MOVQ SI, CX
	MOVQ R10, DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

dr32:
	CMPQ DX, $32
	JL   dr8
	VMOVUPS (CX), Y4
	VMOVUPS 32(CX), Y5
	VMOVUPS 64(CX), Y6
	VMOVUPS 96(CX), Y7
	VFMADD231PS (BX), Y4, Y0
	VFMADD231PS 32(BX), Y5, Y1
	VFMADD231PS 64(BX), Y6, Y2
	VFMADD231PS 96(BX), Y7, Y3
	ADDQ $128, CX
	ADDQ $128, BX
	SUBQ $32, DX
	JMP  dr32

dr8:
	CMPQ DX, $8
	JL   drreduce
	VMOVUPS (CX), Y4
	VFMADD231PS (BX), Y4, Y0
	ADDQ $32, CX
	ADDQ $32, BX
	SUBQ $8, DX
	JMP  dr8

drreduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	CMPQ DX, $4
	JL   drhsum
	VMOVUPS (CX), X4
	VFMADD231PS (BX), X4, X0
	ADDQ $16, CX
	ADDQ $16, BX
	SUBQ $4, DX

drhsum:
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	TESTQ DX, DX
	JE   drstore

dr1:
	VMOVSS (CX), X4
	VFMADD231SS (BX), X4, X0
	ADDQ $4, CX
	ADDQ $4, BX
	DECQ DX
	JNZ  dr1

drstore:
	MOVSS X0, (R11)
	ADDQ $4, R11
	DECQ R9
	JNZ  drrow

drdone:
	VZEROUPPER
	RET
