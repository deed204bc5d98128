package db

// OpenStreams returns how many streaming results hold a read transaction
// of d: what the streaming tests check instead of counting goroutines.
func OpenStreams(d *DB) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.streams)
}

// FinishedStreams returns how many of d's streaming results have sent every
// row they had.
func FinishedStreams(d *DB) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for st := range d.streams {
		if st.finished.Load() {
			n++
		}
	}
	return n
}
