package db

// OpenStreams returns how many streaming results hold a read transaction
// of d: what the streaming tests check instead of counting goroutines.
func OpenStreams(d *DB) int {
	n, _ := d.st.StreamCounts()
	return n
}

// FinishedStreams returns how many of d's streaming results have sent every
// row they had.
func FinishedStreams(d *DB) int {
	_, n := d.st.StreamCounts()
	return n
}
