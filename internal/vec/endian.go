package vec

// LittleEndian reports whether the machine stores a float32 in memory as the files embeddb
// reads and writes store it (little-endian): a reader may then read a file's bytes straight
// into a []float32 through AsBytes, and a writer write a []float32's memory as it is.
func LittleEndian() bool { return littleEndian }
