package vec

import "io"

// LittleEndian reports whether the machine stores numbers in memory low byte first, as the
// files embeddb reads and writes store them: a reader may then read a file's bytes straight
// into a []float32 through AsBytes, a writer write a []float32's memory as it is, and the
// index read its packed links' words as bytes.
func LittleEndian() bool { return littleEndian }

// WriteFloat32s writes v to w as little-endian float32s, the layout of every file and blob
// embeddb writes. Where the machine stores floats so, their memory is written as it is, with
// no pass to encode them; elsewhere they are encoded a chunk at a time.
func WriteFloat32s(w io.Writer, v []float32) error {
	const step = 1 << 20 // values per Write: a writer that flushes as it goes sees each step
	var chunk []byte
	for len(v) > 0 {
		k := min(len(v), step)
		var b []byte
		if LittleEndian() {
			b = AsBytes(v[:k])
		} else {
			if chunk == nil {
				chunk = make([]byte, 4*step)
			}
			b = chunk[:4*k]
			Float32.Encode(b, v[:k])
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		v = v[k:]
	}
	return nil
}
