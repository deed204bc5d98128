// Package db is embeddb's engine and the library's front door: it opens the
// database file, keeps tables of embeddings in it, and runs statements of the
// embeddb language against them.
package db
