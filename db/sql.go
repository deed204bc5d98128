package db

import (
	"context"
	"fmt"
	"sync"

	"github.com/embeddb/embeddb/db/internal/exec"
	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/query"
)

// parseCache keeps the statements of recently run SQL text, so a query run
// again (typically with ? parameters) is not parsed again. Parsed trees are
// never changed by the executor, so sharing them is safe.
type parseCache struct {
	mu sync.Mutex
	m  map[string][]query.Statement
}

const parseCacheSize = 256

// parseCacheMaxLen is the longest text whose statements are cached: a long
// text is rarely run twice, and its tree (a big INSERT's rows) would stay
// in memory until 256 other texts pushed it out.
const parseCacheMaxLen = 64 << 10

func (c *parseCache) parse(sql string) ([]query.Statement, error) {
	if len(sql) > parseCacheMaxLen {
		return query.Parse(sql)
	}
	c.mu.Lock()
	stmts, ok := c.m[sql]
	c.mu.Unlock()
	if ok {
		return stmts, nil
	}
	stmts, err := query.Parse(sql)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= parseCacheSize {
		c.m = make(map[string][]query.Statement)
	}
	c.m[sql] = stmts
	c.mu.Unlock()
	return stmts, nil
}

// Query runs one statement and returns its rows; args fill its ?
// parameters in order. The caller must Close the rows.
//
//	rows, err := d.Query(ctx, "SELECT NEAREST(?, ?) FROM w2v", "python", 5)
func (d *DB) Query(ctx context.Context, sql string, args ...any) (*Rows, error) {
	stmts, err := d.parses.parse(sql)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("%w: Query runs one statement, found %d (use Exec for a script)", plan.ErrSemantic, len(stmts))
	}
	return d.Run(ctx, stmts[0], args...)
}

// streamMin is the length from which Exec reads a script without
// parameters as it runs it; see Exec.
const streamMin = 1 << 20

// Exec runs a script of one or more statements, in order, stopping at the
// first error, and returns the result of the last one. args fill the ?
// parameters of all the statements, in order.
//
// A script is parsed whole before it runs, so that a syntax error anywhere
// runs nothing; except that a script of 1 MiB or more without arguments
// (a dump, a generated INSERT of many rows) is read as it runs, a
// statement at a time and an INSERT's rows a batch at a time, so that it
// is never held parsed whole: its statements before a syntax error have
// run. Each statement still changes nothing if it fails.
func (d *DB) Exec(ctx context.Context, sql string, args ...any) (*Result, error) {
	if len(args) == 0 && len(sql) >= streamMin {
		return d.execStream(ctx, sql)
	}
	stmts, err := d.parses.parse(sql)
	if err != nil {
		return nil, err
	}
	need := 0
	for _, s := range stmts {
		need += s.NumParams()
	}
	if need != len(args) {
		return nil, fmt.Errorf("%w: the statements have %d parameters, %d values given", plan.ErrSemantic, need, len(args))
	}
	res := &Result{}
	for _, s := range stmts {
		n := s.NumParams()
		rows, err := d.Run(ctx, s, args[:n]...)
		args = args[n:]
		if err != nil {
			return nil, err
		}
		if res, err = collect(rows); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// collect reads every row of rows into a Result.
func collect(rows *Rows) (*Result, error) {
	all, err := rows.All()
	if err != nil {
		return nil, err
	}
	return &Result{Columns: rows.Columns(), Rows: all}, nil
}

// execStream runs a script as it reads it; see Exec.
func (d *DB) execStream(ctx context.Context, sql string) (*Result, error) {
	sc := query.NewScript(sql)
	res := &Result{}
	for {
		s, err := sc.Next()
		if err != nil || s == nil {
			if err != nil {
				res = nil
			}
			return res, err
		}
		rows, err := d.RunNext(ctx, sc, s)
		if err != nil {
			return nil, err
		}
		if res, err = collect(rows); err != nil {
			return nil, err
		}
	}
}

// RunNext runs stmt, the statement sc.Next returned last, without
// parameters. An INSERT reads its rows from sc a batch at a time as it
// writes them, so that they are never all held: what Exec does with a
// long script, for callers such as the shell that read scripts
// themselves. The INSERT still changes nothing if it fails, a syntax
// error in its last row included.
func (d *DB) RunNext(ctx context.Context, sc *query.Script, stmt query.Statement) (*Rows, error) {
	ins, ok := stmt.(*query.Insert)
	if !ok {
		return d.Run(ctx, stmt)
	}
	if d.st.IsClosed() {
		return nil, ErrClosed
	}
	return d.eng.InsertStream(ctx, ins, sc.Rows)
}

// Run runs one parsed statement: what Query and Exec do after parsing, for
// callers such as the shell that parse scripts themselves.
func (d *DB) Run(ctx context.Context, stmt query.Statement, args ...any) (*Rows, error) {
	return d.run1(ctx, stmt, stmt.NumParams(), args)
}

// Stmt is a prepared statement: parsed once, run many times with different
// parameters. It is safe for concurrent use.
type Stmt struct {
	d       *DB
	stmt    query.Statement
	nparams int
	plans   exec.PlanCache // the plan a SELECT built last, reused while it holds
}

// Prepare parses one statement for repeated use.
func (d *DB) Prepare(sql string) (*Stmt, error) {
	stmts, err := query.Parse(sql)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("%w: Prepare takes one statement, found %d", plan.ErrSemantic, len(stmts))
	}
	return &Stmt{d: d, stmt: stmts[0], nparams: stmts[0].NumParams()}, nil
}

// Query runs the prepared statement with args for its ? parameters.
func (s *Stmt) Query(ctx context.Context, args ...any) (*Rows, error) {
	if err := s.d.runnable(s.stmt, s.nparams, args); err != nil {
		return nil, err
	}
	return s.d.eng.RunPrepared(ctx, s.stmt, args, &s.plans)
}

// run1 runs stmt, which has nparams ? parameters, with args.
func (d *DB) run1(ctx context.Context, stmt query.Statement, nparams int, args []any) (*Rows, error) {
	if err := d.runnable(stmt, nparams, args); err != nil {
		return nil, err
	}
	return d.eng.Run(ctx, stmt, args)
}

// runnable checks that stmt, which has nparams ? parameters, can run with
// args: the database is open and every parameter has a value.
func (d *DB) runnable(stmt query.Statement, nparams int, args []any) error {
	if d.st.IsClosed() {
		return ErrClosed
	}
	if nparams != len(args) {
		return plan.ErrAt(stmt, nil, "the statement has %d parameters, %d values given", nparams, len(args))
	}
	return nil
}
