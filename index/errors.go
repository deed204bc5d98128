package index

import (
	"errors"
	"fmt"
)

// Sentinel errors. Match them with [errors.Is]; the returned errors wrap them
// with the operation and the offending value.
var (
	// ErrDimensionMismatch means a vector's length is not the index's dimension.
	// The error is a *DimensionError, which carries both lengths.
	ErrDimensionMismatch = errors.New("index: dimension mismatch")

	// ErrNotFinite means a vector holds a NaN or an infinity.
	ErrNotFinite = errors.New("index: vector contains NaN or Inf")

	// ErrZeroVector means a query vector has length zero, so it has no
	// direction to compare by cosine.
	ErrZeroVector = errors.New("index: zero vector has no direction")

	// ErrEmpty means the index holds no rows to search.
	ErrEmpty = errors.New("index: index is empty")

	// ErrInvalidK means the number of results asked for is not positive.
	ErrInvalidK = errors.New("index: k must be positive")

	// ErrDuplicateID means Add was given an id that the index already holds,
	// or the same id twice.
	ErrDuplicateID = errors.New("index: duplicate id")

	// ErrNotFound means Delete was given an id that the index does not hold.
	ErrNotFound = errors.New("index: id not found")

	// ErrUnknownMetric means a metric name is none of those ParseMetric knows.
	ErrUnknownMetric = errors.New("index: unknown metric")

	// ErrInvalidOption means an option is unknown, has the wrong type or is
	// out of range.
	ErrInvalidOption = errors.New("index: invalid option")

	// ErrCorrupt means serialized index data is truncated, damaged or not an
	// index at all.
	ErrCorrupt = errors.New("index: corrupt index data")

	// ErrVersion means serialized index data has a format version this build
	// cannot read (written by a newer embeddb).
	ErrVersion = errors.New("index: unsupported format version")
)

// DimensionError reports a vector whose length is not the index's dimension.
// It matches ErrDimensionMismatch with [errors.Is].
type DimensionError struct {
	Want int // the index's dimension
	Got  int // the length given
}

// Error implements error.
func (e *DimensionError) Error() string {
	return fmt.Sprintf("index: dimension mismatch: want %d, got %d", e.Want, e.Got)
}

// Unwrap returns ErrDimensionMismatch.
func (e *DimensionError) Unwrap() error { return ErrDimensionMismatch }
