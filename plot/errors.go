package plot

import "errors"

// Errors returned by the package. They are wrapped with details; match them
// with errors.Is.
var (
	// ErrInput is returned for input a projection cannot use: too few
	// points, a dimension of zero, vectors of the wrong length, or values
	// that are not finite.
	ErrInput = errors.New("plot: bad input")
	// ErrOption is returned for an option out of its range.
	ErrOption = errors.New("plot: bad option")
)
