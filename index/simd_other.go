//go:build !amd64

package index

const hasAVX2 = false

func dotKernel(a, b []float32) float32 { return dotGeneric(a, b) }

func l2Kernel(a, b []float32) float32 { return l2Generic(a, b) }

func dotBatch(q, base []float32, idx []uint32, out []float32) { dotBatchGeneric(q, base, idx, out) }

func l2Batch(q, base []float32, idx []uint32, out []float32) { l2BatchGeneric(q, base, idx, out) }

func dotRows(q, rows []float32, out []float32) { dotRowsGeneric(q, rows, out) }
