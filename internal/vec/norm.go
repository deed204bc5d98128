package vec

// SumSquares and Scale are what normalising a vector to unit length costs:
// the sum of its squares in float64, then a multiplication by the inverse
// of its length. A search that rescores candidates with their full vectors
// normalises each one it reads (a 1,536-d row: three passes of scalar Go
// took more time than the row's dot product and its fetch together).
//
// Unlike Dot, both give the same bits on every machine: each square of a
// float32 is exact in float64, so the assembly's fused multiply-adds round
// as the Go code's separate ones do, and both sum in the same order.

// SumSquares returns the sum of the squares of v, each computed exactly in
// float64 and summed in float64 in a fixed order: sixteen running sums s
// over the first len(v)&^15 elements (element i into s[i%16]); then t[l] =
// (s[l]+s[4+l]) + (s[8+l]+s[12+l]) for l < 4; then (t[0]+t[2]) +
// (t[1]+t[3]), to which the remaining elements are added in order. It is
// +Inf or NaN exactly when v holds a NaN or an infinity: a float32's
// square is below 2^256, so no sum of as many as a slice holds overflows.
func SumSquares(v []float32) float64 {
	if useAVX2 && len(v) >= 16 {
		return sumSquaresAVX2(v)
	}
	return sumSquaresGo(v)
}

// Scale stores v[i]*s into dst[i] for every i < len(v), each product
// rounded to float32 as the plain multiplication does. dst must hold at
// least len(v) elements; it may be v itself.
func Scale(dst, v []float32, s float32) {
	dst = dst[:len(v)]
	if useAVX2 && len(v) >= 8 {
		scaleAVX2(dst, v, s)
		return
	}
	for i, x := range v {
		dst[i] = x * s
	}
}

// sumSquaresGo is SumSquares in Go, in the same order as the assembly.
func sumSquaresGo(v []float32) float64 {
	var acc [16]float64
	n16 := len(v) &^ 15
	for i := 0; i < n16; i += 16 {
		for l, x := range v[i : i+16] {
			acc[l] += float64(x) * float64(x)
		}
	}
	var t [4]float64
	for l := range t {
		t[l] = (acc[l] + acc[4+l]) + (acc[8+l] + acc[12+l])
	}
	s := (t[0] + t[2]) + (t[1] + t[3])
	for _, x := range v[n16:] {
		s += float64(x) * float64(x)
	}
	return s
}
