package exec

import (
	"errors"
	"io/fs"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"

	"github.com/embeddb/embeddb/query"
)

// refuseOpenDB refuses an EXPORT whose file (or a file it writes beside
// it) is the open database, positioned at the statement's file argument.
func (e *env) refuseOpenDB(at query.Node, path string) error {
	if err := e.st.CheckNotOpenDB(path); err != nil {
		return plan.ErrAt(at, err, "cannot export to %s: it is the open database file", path)
	}
	return nil
}

// fileStmtError positions an error of BACKUP or VACUUM INTO (what) at the
// statement's file argument, saying plainly the two refusals a user can
// meet.
func fileStmtError(n query.Node, what, path string, err error) error {
	switch {
	case errors.Is(err, store.ErrTargetIsDatabase):
		return plan.ErrAt(n, err, "cannot %s %s: it is the open database file", what, path)
	case errors.Is(err, fs.ErrExist):
		return plan.ErrAt(n, err, "cannot %s %s: the file exists", what, path)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return plan.ErrAt(n, err, "cannot %s %s: %v", what, path, pe.Err)
	}
	return plan.ErrAt(n, err, "cannot %s %s: %v", what, path, err)
}

func init() { handle((*env).backup) }

// backup runs BACKUP TO 'file'.
func (e *env) backup(s *query.Backup) (*Rows, error) {
	path, err := e.stringArg(s.File, "the backup file")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	n, err := e.st.Backup(e.ctx, path)
	if err != nil {
		return nil, fileStmtError(s.File, "back up to", path, err)
	}
	return newRows([]string{"file", "bytes", "seconds"}, [][]any{{path, n, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

func init() { handle((*env).vacuum) }

// vacuum runs VACUUM INTO 'file' (and VACUUM, which compacts the file in
// place).
func (e *env) vacuum(s *query.Vacuum) (*Rows, error) {
	start := time.Now()
	if s.Into == nil {
		before, after, err := e.st.Vacuum(e.ctx)
		if err != nil {
			return nil, plan.At(s, err)
		}
		return newRows([]string{"bytes_before", "bytes_after", "seconds"}, [][]any{{before, after, roundTo(time.Since(start).Seconds(), 3)}}), nil
	}
	path, err := e.stringArg(s.Into, "the file to vacuum into")
	if err != nil {
		return nil, err
	}
	n, err := e.st.VacuumInto(e.ctx, path)
	if err != nil {
		return nil, fileStmtError(s.Into, "vacuum into", path, err)
	}
	return newRows([]string{"file", "bytes", "seconds"}, [][]any{{path, n, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

func init() { handle((*env).check) }

// check runs CHECK DATABASE.
func (e *env) check(s *query.CheckDatabase) (*Rows, error) {
	problems, err := e.st.Check(e.ctx)
	if err != nil {
		return nil, plan.At(s, err)
	}
	if len(problems) == 0 {
		return message("check", "ok"), nil
	}
	rows := make([][]any, len(problems))
	for i, p := range problems {
		rows[i] = []any{p}
	}
	return newRows([]string{"check"}, rows), nil
}
