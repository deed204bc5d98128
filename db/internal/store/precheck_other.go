//go:build !unix

package store

// precheck does nothing where there is no flock: bbolt alone judges the
// file (see the unix version).
func precheck(path string) error { return nil }
