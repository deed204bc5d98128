//go:build !amd64

package trainer

var useAVX2 = false

func dotRowsAVX2(x, m *float32, stride int, idx *int32, k int, out *float32)                 {}
func updateRowsAVX2(x, m *float32, stride int, idx *int32, grad *float32, k int, w *float32) {}
func sumRowsAVX2(m *float32, stride int, idx *int32, k int, scale float32, out *float32)     {}
func addRowsAVX2(m *float32, stride int, idx *int32, k int, v *float32)                      {}
func axpyAVX2(a float32, x, y *float32, n int)                                               {}

func gemvAddAVX2(m *float32, stride int, idx *int32, grad *float32, k int, out *float32) {}

func prefetchRowsAVX2(m *float32, stride int, idx *int32, k int) {}
