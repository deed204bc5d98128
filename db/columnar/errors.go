package columnar

import (
	"errors"
	"fmt"
)

// Errors returned by this package; match them with errors.Is.
var (
	// ErrInvalidOption reports an option out of range or unknown.
	ErrInvalidOption = errors.New("columnar: invalid option")
	// ErrFormat reports a file that is not what its format says, or that
	// holds no usable vector column.
	ErrFormat = errors.New("columnar: bad file")
	// ErrNoColumn reports a column named by an option that the file does
	// not have, or a file where no column could be picked.
	ErrNoColumn = errors.New("columnar: no such column")
	// ErrRange reports a value the file's element type cannot hold.
	ErrRange = errors.New("columnar: value out of range")
)

// RowError is a problem with one row of a file: Row counts from 0 among the
// rows read, Column names the column.
type RowError struct {
	Path   string
	Row    int64
	Column string
	Msg    string
	Err    error
}

// Error returns "PATH: row N, column C: MSG".
func (e *RowError) Error() string {
	return fmt.Sprintf("%s: row %d, column %q: %s", e.Path, e.Row+1, e.Column, e.Msg)
}

// Unwrap returns the sentinel the error matches.
func (e *RowError) Unwrap() error { return e.Err }
