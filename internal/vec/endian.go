package vec

// LittleEndian reports whether the machine stores numbers in memory low byte first, as the
// files embeddb reads and writes store them: a reader may then read a file's bytes straight
// into a []float32 through AsBytes, a writer write a []float32's memory as it is, and the
// index read its packed links' words as bytes.
func LittleEndian() bool { return littleEndian }
