//go:build !linux

package store

// writeback does nothing where there is no sync_file_range: the disk
// writes of a bulk load happen at its transactions' fsyncs.
type writeback struct{}

func startWriteback(path string) *writeback { return nil }

func (wb *writeback) end() {}
