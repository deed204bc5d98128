package db

import (
	"context"
	"time"

	"github.com/embeddb/embeddb/db/internal/exec"
	"github.com/embeddb/embeddb/db/internal/store"
)

// DB is an open embeddb database file. It is safe for concurrent use by
// multiple goroutines: reads run concurrently with each other and with one
// writer.
//
// DB is the front door: the file, its tables and transactions are the
// store's (db/internal/store); statements are parsed by package query and
// run by this package's executor.
type DB struct {
	st     *store.DB
	eng    *exec.Engine // the SQL engine: the executor and the SET values
	parses parseCache   // recently parsed SQL
}

// Open opens the database file at path, creating it if it does not exist
// (unless opts.ReadOnly). A nil opts means the defaults.
//
// A file that is not an embeddb database, or was written by a newer
// version, is refused with ErrNotDatabase or ErrVersion and left untouched.
// If another process holds the file, Open waits up to opts.Timeout and then
// returns ErrLocked. A writable Open removes what interrupted writes left
// behind (tables that were never published).
func Open(path string, opts *Options) (*DB, error) {
	st, err := store.Open(path, opts)
	if err != nil {
		return nil, err
	}
	return &DB{st: st, eng: exec.NewEngine(st)}, nil
}

// Backup writes a consistent copy of the database to path while reads and
// writes go on (it reads one snapshot). The copy appears at path only when
// complete, replacing what path held; a path that is a symlink keeps
// pointing at the file it names, which receives the copy. A path that is
// the open database itself (by any name or link) is refused with
// ErrTargetIsDatabase.
func (d *DB) Backup(ctx context.Context, path string) (int64, error) {
	return d.st.Backup(ctx, path)
}

// BulkLoad starts loading a table named name with the given spec.
func (d *DB) BulkLoad(ctx context.Context, name string, spec TableSpec, opts *BulkOptions) (*BulkWriter, error) {
	return d.st.BulkLoad(ctx, name, spec, opts)
}

// Check verifies the database file: bbolt's page structure (walked by
// pageProblems, which reads the file itself and cannot be crashed by
// damage), and embeddb's invariants (catalog and table buckets, row
// counts, words and rows agreeing, vectors present, saved indexes and
// tokenizers readable and matching their tables). It returns one line per
// problem found; none means the database is sound. The invariants are not
// checked on a file whose page structure is damaged: bbolt's cursors
// cannot be trusted on it. Check also runs on a file whose statements are
// refused because Open found it damaged.
func (d *DB) Check(ctx context.Context) ([]string, error) {
	return d.st.Check(ctx)
}

// Close closes the database. It is safe to call more than once; later calls
// return nil. Statements still running are waited for; a streaming *Rows
// left open is ended (its Next returns false and its Err ErrClosed), so
// Close does not wait on a caller that forgot to close one.
func (d *DB) Close() error {
	return d.st.Close()
}

// CreateTable creates an empty table.
func (d *DB) CreateTable(ctx context.Context, name string, spec TableSpec) error {
	return d.st.CreateTable(ctx, name, spec)
}

// Delete removes the rows of words; see Tx.Delete.
func (d *DB) Delete(ctx context.Context, name string, words ...string) (n int, err error) {
	return d.st.Delete(ctx, name, words...)
}

// DropTable deletes a table.
func (d *DB) DropTable(ctx context.Context, name string) error {
	return d.st.DropTable(ctx, name)
}

// Insert adds rows to a table; see Tx.Insert.
func (d *DB) Insert(ctx context.Context, name string, rows ...Row) error {
	return d.st.Insert(ctx, name, rows...)
}

// Lookup returns the row of a word.
func (d *DB) Lookup(ctx context.Context, name, word string) (r Row, err error) {
	return d.st.Lookup(ctx, name, word)
}

// LookupID returns the row with the given id.
func (d *DB) LookupID(ctx context.Context, name string, id uint32) (r Row, err error) {
	return d.st.LookupID(ctx, name, id)
}

// Path returns the file the database was opened from.
func (d *DB) Path() string {
	return d.st.Path()
}

// ReadOnly reports whether the database was opened read-only.
func (d *DB) ReadOnly() bool {
	return d.st.ReadOnly()
}

// RenameTable renames a table.
func (d *DB) RenameTable(ctx context.Context, old, new string) error {
	return d.st.RenameTable(ctx, old, new)
}

// Replace adds or overwrites rows; see Tx.Replace.
func (d *DB) Replace(ctx context.Context, name string, rows ...Row) error {
	return d.st.Replace(ctx, name, rows...)
}

// SetTimeout changes the busy timeout (Options.Timeout) of the open
// database: how long a statement waits for another process's lock before
// it fails with ErrLocked. Zero means the default (2 seconds), negative do
// not wait.
func (d *DB) SetTimeout(t time.Duration) {
	d.st.SetTimeout(t)
}

// Table describes one table.
func (d *DB) Table(ctx context.Context, name string) (info *TableInfo, err error) {
	return d.st.Table(ctx, name)
}

// Tables returns every table, sorted by name.
func (d *DB) Tables(ctx context.Context) (out []*TableInfo, err error) {
	return d.st.Tables(ctx)
}

// Update runs fn in a read-write transaction. If fn returns an error, or ctx
// is cancelled before the commit, nothing of it is kept.
func (d *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return d.st.Update(ctx, fn)
}

// Vacuum compacts the database file in place: it writes a compacted copy
// and swaps it in. Statements wait while it runs.
//
// The swap never leaves the file at the database's path unlocked: the copy
// is opened, and locked, before it is renamed over the old file, and the
// old file is unlocked only after the rename. A process that was waiting
// for the old file's lock then finds that the path names another file and
// opens that (see Open), so no write can go to the old, unlinked file. A
// database reached through a symlink is replaced where the link points.
func (d *DB) Vacuum(ctx context.Context) (before, after int64, err error) {
	return d.st.Vacuum(ctx)
}

// VacuumInto writes a compacted copy of the database to path, which must
// not exist: the space of dropped tables and deleted rows is not copied.
// Reads and writes go on meanwhile; the copy holds one snapshot. Nothing
// appears at path unless the copy is complete.
func (d *DB) VacuumInto(ctx context.Context, path string) (int64, error) {
	return d.st.VacuumInto(ctx, path)
}

// View runs fn in a read-only transaction. Readers never wait for writers.
func (d *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return d.st.View(ctx, fn)
}

// WordsWithPrefix returns up to limit words of a table that start with
// prefix, in byte order: what a shell offers to complete.
func (d *DB) WordsWithPrefix(ctx context.Context, name, prefix string, limit int) ([]string, error) {
	return d.st.WordsWithPrefix(ctx, name, prefix, limit)
}
