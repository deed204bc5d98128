//go:build !linux

package index

// adviseHuge does nothing where huge pages cannot be asked for.
func adviseHuge[E any](s []E) {}
