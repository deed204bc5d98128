package store

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/embeddb/embeddb/query"
)

// Errors returned when opening a database file.
var (
	// ErrLocked is returned by Open, a statement or a transaction when
	// another process holds the file (a writer excludes everyone; readers
	// exclude writers) for longer than Options.Timeout: sqlite's "database
	// is locked". Its text names the process when it can be told.
	ErrLocked = errors.New("db: database is locked by another process")

	// ErrNotDatabase is returned by Open for a file that is not an embeddb
	// database: not a bbolt file at all, or a bbolt file of another program.
	// The file is left untouched.
	ErrNotDatabase = errors.New("db: not an embeddb database")

	// ErrVersion is returned by Open for a database written by a newer,
	// incompatible version of embeddb. The file is left untouched.
	ErrVersion = errors.New("db: unsupported database format version")

	// ErrCorrupt is returned when the file's structure is damaged.
	ErrCorrupt = errors.New("db: database file is corrupt")

	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("db: database is closed")

	// ErrReadOnly is returned by writes to a database opened read-only.
	ErrReadOnly = errors.New("db: database is read-only")
)

// Errors returned by table and row operations. Match them with errors.Is:
// the returned errors wrap them with the table or word concerned.
var (
	// ErrNoTable means the named table does not exist.
	ErrNoTable = errors.New("db: no such table")

	// ErrTableExists means a table of that name already exists.
	ErrTableExists = errors.New("db: table already exists")

	// ErrNoWord means the word (or row id) is not in the table.
	ErrNoWord = errors.New("db: word not in vocabulary")

	// ErrWordExists means an insert would duplicate a word of the table.
	ErrWordExists = errors.New("db: word already in table")

	// ErrInvalidName means a table name or word is empty, too long or not
	// valid UTF-8.
	ErrInvalidName = errors.New("db: invalid name")

	// ErrInvalidVector means a vector holds NaN or an infinity.
	ErrInvalidVector = errors.New("db: invalid vector")

	// ErrBulkDone is returned by a BulkWriter used after Commit or Abort.
	ErrBulkDone = errors.New("db: bulk load already finished")

	// ErrNoIndex means the table has no index to drop or use.
	ErrNoIndex = errors.New("db: table has no index")

	// ErrNoTokenizer means the table has no tokenizer, so TOKENS, EMBED and
	// text lookups by token cannot work.
	ErrNoTokenizer = errors.New("db: table has no tokenizer")

	// ErrTooLarge means an operation would need more memory than
	// Options.MemoryLimit allows.
	ErrTooLarge = errors.New("db: operation exceeds the memory limit")

	// ErrTokenizerMismatch means IMPORT was given a tokenizer with more
	// tokens than the matrix has rows.
	ErrTokenizerMismatch = errors.New("db: tokenizer does not fit the matrix")

	// ErrTargetIsDatabase means BACKUP, VACUUM INTO or EXPORT was asked to
	// write over the open database file itself (by its path, another path,
	// a symlink or a hard link), which would lose every later write.
	ErrTargetIsDatabase = errors.New("db: the target is the open database file")
)

// DimensionError reports a vector whose length is not the table's dimension.
type DimensionError struct {
	Table string // the table, if known
	Want  int    // the table's dimension
	Got   int    // the length of the vector given
}

// Error implements error.
func (e *DimensionError) Error() string {
	if e.Table != "" {
		return fmt.Sprintf("db: table %s has dimension %d, got a vector of length %d", Quote(e.Table), e.Want, e.Got)
	}
	return fmt.Sprintf("db: dimension mismatch: want %d, got %d", e.Want, e.Got)
}

// tooLarge is an ErrTooLarge with its own message.
type tooLarge struct{ msg string }

func (e *tooLarge) Error() string { return e.msg }
func (e *tooLarge) Unwrap() error { return ErrTooLarge }

func TooLarge(what string, need, limit int64, advice string) error {
	return &tooLarge{fmt.Sprintf("%s needs about %s, over the memory limit of %s; %s",
		what, fmtBytes(need), fmtBytes(limit), advice)}
}

// fmtBytes prints a size for people: 43 KiB, 1.5 GiB.
func fmtBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	f, i := float64(n), 0
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.3g %ciB", f, " KMGT"[i])
}

// ErrInternal is matched by an [*InternalError]: a bug in embeddb, not a
// problem with the statement or the file.
var ErrInternal = errors.New("db: internal error")

// InternalError reports a panic recovered while a statement ran: a bug in
// embeddb (or a library it uses). The statement's transaction was rolled
// back, so the database is as it was; please report the error with its
// stack.
type InternalError struct {
	Panic any    // the value the code panicked with
	Stack []byte // the goroutine's stack where it was recovered
}

// Error says what panicked, and the stack, so that a report carries it.
func (e *InternalError) Error() string {
	return fmt.Sprintf("db: internal error (a bug; the statement changed nothing): %v\n%s", e.Panic, e.Stack)
}

// Is reports whether target is ErrInternal.
func (e *InternalError) Is(target error) bool { return target == ErrInternal }

// Quote puts text from the user (a word, a name, a path) in double quotes
// for a message, as %q does, cut by [query.Shorten] to its first 80
// characters: a 5 MB word must not make a 5 MB error. Every message of the
// package quotes such text through it.
func Quote(s string) string { return strconv.Quote(query.Shorten(s)) }
