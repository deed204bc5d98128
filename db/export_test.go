package db

// OpenStreams returns how many streaming results hold a read transaction
// of d: what the streaming tests check instead of counting goroutines.
func OpenStreams(d *DB) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.streams)
}
