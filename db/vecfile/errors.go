package vecfile

import (
	"errors"
	"fmt"
)

// Sentinel errors. A reader wraps them in a [*FormatError] that names the
// file and the line or byte offset; match them with [errors.Is].
var (
	// ErrUnknownFormat means the format was not given and [Detect] could not
	// tell it from the content and the name.
	ErrUnknownFormat = errors.New("vecfile: unknown format")
	// ErrHeader means a header (word2vec's "count dim" line, the NPY
	// dictionary, the safetensors JSON) is malformed or inconsistent.
	ErrHeader = errors.New("vecfile: bad header")
	// ErrTruncated means the file ends before the rows its header promises.
	ErrTruncated = errors.New("vecfile: truncated file")
	// ErrDimension means a row has the wrong number of values.
	ErrDimension = errors.New("vecfile: wrong number of values")
	// ErrNumber means a value in a text file is not a number.
	ErrNumber = errors.New("vecfile: not a number")
	// ErrUnicode means a word is not valid UTF-8 and ReadOptions.UnicodeErrors
	// is "strict".
	ErrUnicode = errors.New("vecfile: invalid UTF-8")
	// ErrDuplicate means a word appears twice and ReadOptions.Duplicates is
	// [DuplicatesError].
	ErrDuplicate = errors.New("vecfile: duplicate word")
	// ErrTooLarge means a line, word, dimension or header exceeds this
	// package's limits (see the package documentation).
	ErrTooLarge = errors.New("vecfile: too large")
	// ErrTensorNotFound means the named safetensors tensor does not exist, or
	// no tensor was named and the file does not hold exactly one 2-D tensor.
	ErrTensorNotFound = errors.New("vecfile: tensor not found")
	// ErrShape means a matrix is not 2-D.
	ErrShape = errors.New("vecfile: not a 2-D matrix")
	// ErrDType means an element type is not supported.
	ErrDType = errors.New("vecfile: unsupported element type")
	// ErrLayout means a matrix is stored in a layout this package does not
	// read, such as NumPy's Fortran order, or a safetensors tensor whose
	// offsets do not match its shape or lie outside the file.
	ErrLayout = errors.New("vecfile: unsupported layout")
	// ErrWords means an NPY words file does not have one word per row.
	ErrWords = errors.New("vecfile: words file does not match the matrix")
	// ErrInvalidWord means a word cannot be written in the chosen format
	// (it contains a space or a line break, or is not valid UTF-8).
	ErrInvalidWord = errors.New("vecfile: word cannot be written in this format")
	// ErrRowCount means a [Writer] received more or fewer rows than it was
	// created for.
	ErrRowCount = errors.New("vecfile: wrong number of rows")
	// ErrClosed means a [Writer] was used after Close or Abort.
	ErrClosed = errors.New("vecfile: writer is closed")
	// ErrInvalidOption means a [ReadOptions] or [WriteOptions] field is out of
	// range.
	ErrInvalidOption = errors.New("vecfile: invalid option")
)

// FormatError reports a problem with a file's content. Err is one of the
// package's sentinel errors, so errors.Is(err, ErrTruncated) works.
type FormatError struct {
	Path   string // the file's name as given to Open or NewReader
	Line   int    // 1-based line number in a text file, or 0 when not known or not a text file
	Offset int64  // byte offset in the file, or -1 when not known
	Msg    string // what is wrong, in lowercase
	Err    error  // the sentinel error
}

// Error returns "path:line: msg" for text files and "path: byte N: msg"
// otherwise.
func (e *FormatError) Error() string {
	msg := e.Msg
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, msg)
	case e.Offset >= 0:
		return fmt.Sprintf("%s: byte %d: %s", e.Path, e.Offset, msg)
	default:
		return fmt.Sprintf("%s: %s", e.Path, msg)
	}
}

// Unwrap returns the sentinel error.
func (e *FormatError) Unwrap() error { return e.Err }

// errAt builds a FormatError at a byte offset.
func errAt(path string, off int64, sentinel error, format string, args ...any) *FormatError {
	return &FormatError{Path: path, Offset: off, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// errLine builds a FormatError at a line (and the byte offset where it starts).
func errLine(path string, line int, off int64, sentinel error, format string, args ...any) *FormatError {
	return &FormatError{Path: path, Line: line, Offset: off, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}
