package db

import (
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
)

// Errors returned when opening a database file.
var (
	// ErrLocked is returned by Open, a statement or a transaction when
	// another process holds the file (a writer excludes everyone; readers
	// exclude writers) for longer than Options.Timeout: sqlite's "database
	// is locked". Its text names the process when it can be told.
	ErrLocked = store.ErrLocked

	// ErrNotDatabase is returned by Open for a file that is not an embeddb
	// database: not a bbolt file at all, or a bbolt file of another program.
	// The file is left untouched.
	ErrNotDatabase = store.ErrNotDatabase

	// ErrVersion is returned by Open for a database written by a newer,
	// incompatible version of embeddb. The file is left untouched.
	ErrVersion = store.ErrVersion

	// ErrCorrupt is returned when the file's structure is damaged.
	ErrCorrupt = store.ErrCorrupt

	// ErrClosed is returned by every method called after Close.
	ErrClosed = store.ErrClosed

	// ErrReadOnly is returned by writes to a database opened read-only.
	ErrReadOnly = store.ErrReadOnly
)

// Errors returned by table and row operations. Match them with errors.Is:
// the returned errors wrap them with the table or word concerned.
var (
	// ErrNoTable means the named table does not exist.
	ErrNoTable = store.ErrNoTable

	// ErrTableExists means a table of that name already exists.
	ErrTableExists = store.ErrTableExists

	// ErrNoWord means the word (or row id) is not in the table.
	ErrNoWord = store.ErrNoWord

	// ErrWordExists means an insert would duplicate a word of the table.
	ErrWordExists = store.ErrWordExists

	// ErrInvalidName means a table name or word is empty, too long or not
	// valid UTF-8.
	ErrInvalidName = store.ErrInvalidName

	// ErrInvalidVector means a vector holds NaN or an infinity.
	ErrInvalidVector = store.ErrInvalidVector

	// ErrNoColumn means a statement or Row names a column the table does
	// not have.
	ErrNoColumn = store.ErrNoColumn

	// ErrNotNull means a row would hold NULL in a NOT NULL column.
	ErrNotNull = store.ErrNotNull

	// ErrBulkDone is returned by a BulkWriter used after Commit or Abort.
	ErrBulkDone = store.ErrBulkDone

	// ErrNoIndex means the table has no index to drop or use.
	ErrNoIndex = store.ErrNoIndex

	// ErrNoTokenizer means the table has no tokenizer, so TOKENS, EMBED and
	// text lookups by token cannot work.
	ErrNoTokenizer = store.ErrNoTokenizer

	// ErrTokenizerMismatch means IMPORT was given a tokenizer with more
	// token ids than the matrix has rows.
	ErrTokenizerMismatch = store.ErrTokenizerMismatch

	// ErrTooLarge means an operation would need more memory than
	// Options.MemoryLimit allows.
	ErrTooLarge = store.ErrTooLarge

	// ErrTargetIsDatabase means BACKUP, VACUUM INTO or EXPORT was asked to
	// write over the open database file itself (by its path, another path,
	// a symlink or a hard link), which would lose every later write.
	ErrTargetIsDatabase = store.ErrTargetIsDatabase
)

// ErrInternal is matched by an [*InternalError]: a bug in embeddb, not a
// problem with the statement or the file.
var ErrInternal = store.ErrInternal

// ErrSemantic is wrapped by errors in a well-formed statement that cannot
// run as written: an unknown column or function, an argument of the wrong
// type, a missing option. Errors about missing tables or words wrap
// ErrNoTable and ErrNoWord instead.
var ErrSemantic = plan.ErrSemantic

// Errors of explicit transactions (BEGIN, COMMIT, ROLLBACK).
var (
	// ErrInTransaction is returned by BEGIN inside a transaction, and by
	// VACUUM, VACUUM INTO and BACKUP, which cannot run in one.
	ErrInTransaction = store.ErrInTransaction

	// ErrNoTransaction is returned by COMMIT and ROLLBACK without BEGIN.
	ErrNoTransaction = store.ErrNoTransaction

	// ErrTxAborted is returned by the statements after one that failed
	// inside a transaction: the whole transaction was rolled back (there
	// are no savepoints), and ROLLBACK or COMMIT ends it.
	ErrTxAborted = store.ErrTxAborted
)
