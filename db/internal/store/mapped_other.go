//go:build !linux

package store

// dropMapped is advice that only Linux takes here (see mapped_linux.go).
func (d *DB) dropMapped() {}
