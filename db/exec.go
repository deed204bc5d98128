package db

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/embeddb/embeddb/query"
)

// env is one statement's execution: the database, the context and the
// values of its ? parameters.
type env struct {
	d    *DB
	ctx  context.Context
	args []any
}

// param returns the value bound to a ? parameter, converted to one of the
// language's value types.
func (e *env) param(p *query.Param) (any, error) {
	if p.Index < 1 || p.Index > len(e.args) {
		return nil, errAt(p, nil, "parameter %d has no value (%d given)", p.Index, len(e.args))
	}
	v, err := fromGo(e.args[p.Index-1])
	if err != nil {
		return nil, errAt(p, nil, "parameter %d: %v", p.Index, err)
	}
	return v, nil
}

// fromGo converts a Go value given as a parameter.
func fromGo(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, int64, float32, float64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return nil, fmt.Errorf("%d does not fit an int64", x)
		}
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, fmt.Errorf("%d does not fit an int64", x)
		}
		return int64(x), nil
	case []float32:
		return append([]float32(nil), x...), nil
	case []float64:
		out := make([]float32, len(x))
		for i, f := range x {
			out[i] = float32(f)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported type %T", v)
}

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
		return nil, fmt.Errorf("%w: Query runs one statement, found %d (use Exec for a script)", ErrSemantic, len(stmts))
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
		return nil, fmt.Errorf("%w: the statements have %d parameters, %d values given", ErrSemantic, need, len(args))
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
	if d.isClosed() {
		return nil, ErrClosed
	}
	e := &env{d: d, ctx: ctx}
	return e.insertFrom(ins, sc.Rows)
}

// Run runs one parsed statement: what Query and Exec do after parsing, for
// callers such as the shell that parse scripts themselves.
func (d *DB) Run(ctx context.Context, stmt query.Statement, args ...any) (*Rows, error) {
	return d.run1(ctx, stmt, stmt.NumParams(), args)
}

// run1 runs stmt, which has nparams ? parameters, with args.
func (d *DB) run1(ctx context.Context, stmt query.Statement, nparams int, args []any) (*Rows, error) {
	if d.isClosed() {
		return nil, ErrClosed
	}
	if nparams != len(args) {
		return nil, errAt(stmt, nil, "the statement has %d parameters, %d values given", nparams, len(args))
	}
	e := &env{d: d, ctx: ctx, args: args}
	switch s := stmt.(type) {
	case *query.Select:
		return e.selectStmt(s)
	case *query.Explain:
		return e.explain(s)
	case *query.ShowTables:
		return e.showTables()
	case *query.Describe:
		return e.describe(s)
	case *query.CreateTable:
		return e.createTable(s)
	case *query.DropTable:
		return e.dropTable(s)
	case *query.AlterTable:
		return e.alterTable(s)
	case *query.Insert:
		return e.insert(s)
	case *query.Delete:
		return e.delete(s)
	case *query.Set:
		return e.set(s)
	case *query.Train:
		return e.train(s)
	case *query.Import:
		return e.importStmt(s)
	case *query.Export:
		return e.exportStmt(s)
	case *query.CreateIndex:
		return e.createIndex(s)
	case *query.DropIndex:
		return e.dropIndex(s)
	case *query.Evaluate:
		return e.evaluate(s)
	case *query.CheckDatabase:
		return e.check(s)
	case *query.Backup:
		return e.backup(s)
	case *query.Vacuum:
		return e.vacuum(s)
	case *query.Plot:
		return e.plotStmt(s)
	}
	return nil, errAt(stmt, nil, "statement %T is not supported", stmt)
}

// Stmt is a prepared statement: parsed once, run many times with different
// parameters. It is safe for concurrent use.
type Stmt struct {
	d       *DB
	stmt    query.Statement
	nparams int
}

// Prepare parses one statement for repeated use.
func (d *DB) Prepare(sql string) (*Stmt, error) {
	stmts, err := query.Parse(sql)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("%w: Prepare takes one statement, found %d", ErrSemantic, len(stmts))
	}
	return &Stmt{d: d, stmt: stmts[0], nparams: stmts[0].NumParams()}, nil
}

// Query runs the prepared statement with args for its ? parameters.
func (s *Stmt) Query(ctx context.Context, args ...any) (*Rows, error) {
	return s.d.run1(ctx, s.stmt, s.nparams, args)
}

// evalConst evaluates an expression that needs no table (an option value,
// a LIMIT).
func (e *env) evalConst(x query.Expr) (any, error) {
	s := &scope{e: e}
	return s.eval(x)
}

// intArg evaluates x as a non-negative integer for what.
func (e *env) intArg(x query.Expr, what string) (int64, error) {
	v, err := e.evalConst(x)
	if err != nil {
		return 0, err
	}
	n, ok := toInt(v)
	if !ok || n < 0 {
		return 0, errAt(x, nil, "%s must be a non-negative integer, found %s", what, describeArg(v))
	}
	return n, nil
}

// stringArg evaluates x as a string for what.
func (e *env) stringArg(x query.Expr, what string) (string, error) {
	v, err := e.evalConst(x)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", errAt(x, nil, "%s must be a string, found %s", what, describeValue(v))
	}
	return s, nil
}

// optionValue evaluates an option's value; bare words (on, off, hnsw) are
// strings.
func (e *env) optionValue(o query.Option) (any, error) {
	if id, ok := o.Value.(*query.Ident); ok {
		return id.Name, nil
	}
	return e.evalConst(o.Value)
}

// options evaluates a WITH list into name -> value, refusing duplicates.
func (e *env) options(opts []query.Option) (map[string]any, map[string]query.Option, error) {
	vals := make(map[string]any, len(opts))
	nodes := make(map[string]query.Option, len(opts))
	for _, o := range opts {
		if _, dup := vals[o.Name]; dup {
			return nil, nil, errAt(&o, nil, "option %s given twice", quote(o.Name))
		}
		v, err := e.optionValue(o)
		if err != nil {
			return nil, nil, err
		}
		vals[o.Name] = v
		nodes[o.Name] = o
	}
	return vals, nodes, nil
}

// unknownOption reports an option the statement does not take.
func unknownOption(o query.Option, stmt string, known []string) error {
	msg := fmt.Sprintf("unknown option %s for %s", quote(o.Name), stmt)
	if alt := suggestName(o.Name, known); alt != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", alt)
	}
	return errAt(&o, nil, "%s", msg)
}

// message is a one-row, one-column result for statements that only report.
func message(col string, v any) *Rows {
	return newRows([]string{col}, [][]any{{v}})
}
