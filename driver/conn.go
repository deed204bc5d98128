package driver

import (
	"context"
	sqldriver "database/sql/driver"
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/db"
)

// conn is one database/sql connection; connections share the Connector's
// *db.DB, which is safe for concurrent use.
type conn struct {
	d     *db.DB
	owner *Connector // set when Driver.Open made the connection alone
}

var (
	_ sqldriver.Conn               = (*conn)(nil)
	_ sqldriver.ConnPrepareContext = (*conn)(nil)
	_ sqldriver.QueryerContext     = (*conn)(nil)
	_ sqldriver.ExecerContext      = (*conn)(nil)
	_ sqldriver.NamedValueChecker  = (*conn)(nil)
	_ sqldriver.Pinger             = (*conn)(nil)
	_ sqldriver.ConnBeginTx        = (*conn)(nil)
	_ sqldriver.Validator          = (*conn)(nil)
)

func (c *conn) Prepare(query string) (sqldriver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext parses query once for many runs.
func (c *conn) PrepareContext(ctx context.Context, query string) (sqldriver.Stmt, error) {
	s, err := c.d.Prepare(query)
	if err != nil {
		return nil, err
	}
	return &stmt{s: s, c: c}, nil
}

// Close closes the file only if the connection has it alone (Driver.Open);
// otherwise the Connector owns it.
func (c *conn) Close() error {
	if c.owner != nil {
		return c.owner.Close()
	}
	return nil
}

// IsValid reports whether the connection can be reused.
func (c *conn) IsValid() bool { return true }

func (c *conn) Begin() (sqldriver.Tx, error) { return nil, ErrTxUnsupported }

// BeginTx returns ErrTxUnsupported: see the package documentation.
func (c *conn) BeginTx(context.Context, sqldriver.TxOptions) (sqldriver.Tx, error) {
	return nil, ErrTxUnsupported
}

// Ping checks that the database is open and readable.
func (c *conn) Ping(ctx context.Context) error {
	_, err := c.d.Tables(ctx)
	return err
}

// CheckNamedValue accepts vectors ([]float32, []float64) beside the
// standard types, and refuses named arguments.
func (c *conn) CheckNamedValue(nv *sqldriver.NamedValue) error {
	if nv.Name != "" {
		return fmt.Errorf("%w (argument %q)", ErrNamedParams, nv.Name)
	}
	switch v := nv.Value.(type) {
	case []float32:
		return nil
	case []float64:
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		nv.Value = f
		return nil
	case float32:
		nv.Value = float64(v)
		return nil
	}
	return sqldriver.ErrSkip // the standard conversions
}

func values(args []sqldriver.NamedValue) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// QueryContext runs one statement and streams its rows.
func (c *conn) QueryContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	r, err := c.d.Query(ctx, query, values(args)...)
	if err != nil {
		return nil, err
	}
	return newRows(ctx, r), nil
}

// ExecContext runs a script of one or more statements.
func (c *conn) ExecContext(ctx context.Context, query string, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	res, err := c.d.Exec(ctx, query, values(args)...)
	if err != nil {
		return nil, err
	}
	return result(res.Columns, res.Rows), nil
}

// stmt is a prepared statement.
type stmt struct {
	s *db.Stmt
	c *conn
}

var (
	_ sqldriver.StmtQueryContext  = (*stmt)(nil)
	_ sqldriver.StmtExecContext   = (*stmt)(nil)
	_ sqldriver.NamedValueChecker = (*stmt)(nil)
)

func (s *stmt) Close() error { return nil }

// NumInput returns -1: the engine counts the parameters itself and says
// when the number is wrong.
func (s *stmt) NumInput() int { return -1 }

func (s *stmt) CheckNamedValue(nv *sqldriver.NamedValue) error { return s.c.CheckNamedValue(nv) }

func (s *stmt) Exec(args []sqldriver.Value) (sqldriver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []sqldriver.Value) (sqldriver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func named(args []sqldriver.Value) []sqldriver.NamedValue {
	out := make([]sqldriver.NamedValue, len(args))
	for i, a := range args {
		out[i] = sqldriver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

func (s *stmt) QueryContext(ctx context.Context, args []sqldriver.NamedValue) (sqldriver.Rows, error) {
	r, err := s.s.Query(ctx, values(args)...)
	if err != nil {
		return nil, err
	}
	return newRows(ctx, r), nil
}

func (s *stmt) ExecContext(ctx context.Context, args []sqldriver.NamedValue) (sqldriver.Result, error) {
	r, err := s.s.Query(ctx, values(args)...)
	if err != nil {
		return nil, err
	}
	all, err := r.All()
	if err != nil {
		return nil, err
	}
	return result(r.Columns(), all), nil
}

// execResult is what Exec reports: the rows a statement changed, read
// from its one-row report (inserted, deleted, rows).
type execResult int64

func result(cols []string, rows [][]any) execResult {
	if len(rows) != 1 {
		return 0
	}
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "inserted", "deleted", "replaced", "updated", "rows":
			if n, ok := rows[0][i].(int64); ok {
				return execResult(n)
			}
		}
	}
	return 0
}

// LastInsertId is not supported: rows are named by their words.
func (r execResult) LastInsertId() (int64, error) {
	return 0, fmt.Errorf("embeddb/driver: LastInsertId is not supported; rows are found by word")
}

// RowsAffected returns the number of rows the statement inserted, deleted
// or loaded.
func (r execResult) RowsAffected() (int64, error) { return int64(r), nil }
