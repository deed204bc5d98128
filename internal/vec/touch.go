package vec

import "unsafe"

// Touch reads every byte of b and returns the XOR of its 8-byte words (and
// of the last len(b)%8 bytes): a STREAM-style read, the baseline that
// benchmarks compare a scan's bytes per second with. On amd64 with AVX2 it
// loads 128 bytes a step into four independent accumulators, so that
// nothing but the memory limits it, and prefetches 2 KiB ahead, as the
// scan kernels do.
func Touch(b []byte) uint64 { return TouchAhead(b, 2048) }

// TouchAhead is Touch with the software prefetch ahead bytes on (0: none
// worth the name, the hardware prefetcher alone). Which distance reads
// fastest differs between CPUs (on AMD's Zen 3 the scan kernels
// outran a read with 2 KiB), so a baseline should take the fastest of a
// few. Without AVX2 it does not prefetch.
func TouchAhead(b []byte, ahead int) uint64 {
	var x uint64
	i := 0
	if useAVX2 && len(b) >= 128 {
		i = len(b) &^ 127
		x = touchAVX2(unsafe.Pointer(&b[0]), i, max(0, ahead))
	}
	for ; i+8 <= len(b); i += 8 {
		x ^= uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
	}
	for j := 0; i < len(b); i, j = i+1, j+1 {
		x ^= uint64(b[i]) << (8 * j)
	}
	return x
}

// AsBytes returns the memory of s as bytes, without copying: for Touch.
func AsBytes[E uint16 | float32](s []E) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}
