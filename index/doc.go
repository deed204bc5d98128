// Package index answers nearest-neighbour queries over a set of vectors:
// exactly (Flat) or approximately (HNSW).
package index
