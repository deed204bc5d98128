//go:build nocolumnar

package columnar

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotBuilt reports that this build of embeddb has no Parquet or Arrow:
// it was built with the nocolumnar tag, which leaves out arrow-go and
// about two thirds of the binary.
var ErrNotBuilt = errors.New("columnar: this embeddb was built without Parquet and Arrow (build tag nocolumnar)")

// Reader is a columnar file reader; in this build, Open always fails.
type Reader struct{}

// Open fails with ErrNotBuilt.
func Open(path string, opts ReadOptions) (*Reader, error) {
	return nil, fmt.Errorf("%s: %w", path, ErrNotBuilt)
}

// Header returns nothing in this build.
func (r *Reader) Header() Header { return Header{} }

// Read fails with ErrNotBuilt.
func (r *Reader) Read(ctx context.Context, fn func(b *Batch) error) error { return ErrNotBuilt }

// Close does nothing.
func (r *Reader) Close() error { return nil }

// Writer is a columnar file writer; in this build, Create always fails.
type Writer struct{}

// Create fails with ErrNotBuilt.
func Create(path string, dim int, opts WriteOptions) (*Writer, error) {
	return nil, fmt.Errorf("%s: %w", path, ErrNotBuilt)
}

// Rows returns 0 in this build.
func (w *Writer) Rows() int64 { return 0 }

// Format returns FormatNone in this build.
func (w *Writer) Format() Format { return FormatNone }

// Write fails with ErrNotBuilt.
func (w *Writer) Write(words []string, ids, counts []int64, vecs []float32) error { return ErrNotBuilt }

// Close fails with ErrNotBuilt.
func (w *Writer) Close() error { return ErrNotBuilt }

// Abort does nothing.
func (w *Writer) Abort() error { return nil }

// WriteColumns fails with ErrNotBuilt.
func (w *Writer) WriteColumns(words []string, ids, counts []int64, vecs []float32, cols [][]any) error {
	return ErrNotBuilt
}
