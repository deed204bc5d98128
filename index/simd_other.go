//go:build !amd64

package index

const hasAVX2 = false

func dotKernel(a, b []float32) float32 { return dotGeneric(a, b) }

func l2Kernel(a, b []float32) float32 { return l2Generic(a, b) }

func prefetchVec(v []float32) {}
