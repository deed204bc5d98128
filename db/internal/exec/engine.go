package exec

import (
	"context"
	"fmt"
	"math"
	"reflect"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// Engine runs statements for one database: the executor's entry, with the
// values SET gave.
type Engine struct {
	st       *store.DB
	settings settings
	filtered filterCache // selectivity estimates and column values for filtered searches (filtered.go)
}

// handlers run the statements whose handlers register themselves, by the
// statement's type: a new statement needs its own file here and no case in
// Run (adminstmt.go's BACKUP is the example).
var handlers = map[reflect.Type]func(*env, query.Statement) (*Rows, error){}

// handle registers fn as the handler of statements of type S. It is called
// from init functions.
func handle[S query.Statement](fn func(*env, S) (*Rows, error)) {
	handlers[reflect.TypeFor[S]()] = func(e *env, s query.Statement) (*Rows, error) { return fn(e, s.(S)) }
}

// NewEngine returns the engine of the database st.
func NewEngine(st *store.DB) *Engine { return &Engine{st: st} }

// Run runs one statement with the values of its ? parameters.
func (g *Engine) Run(ctx context.Context, stmt query.Statement, args []any) (*Rows, error) {
	return g.run(&env{d: g, st: g.st, ctx: ctx, args: args}, stmt)
}

// run runs stmt in e.
func (g *Engine) run(e *env, stmt query.Statement) (*Rows, error) {
	switch s := stmt.(type) {
	case *query.Select:
		return e.selectStmt(s)
	case *query.Explain:
		return e.explain(s)
	case *query.CreateTable:
		return e.createTable(s)
	case *query.AlterTable:
		return e.alterTable(s)
	case *query.Insert:
		return e.insert(s)
	case *query.Delete:
		return e.delete(s)
	}
	if h := handlers[reflect.TypeOf(stmt)]; h != nil {
		return h(e, stmt)
	}
	return nil, plan.ErrAt(stmt, nil, "statement %T is not supported", stmt)
}

// InsertStream runs an INSERT whose rows next reads a batch at a time.
func (g *Engine) InsertStream(ctx context.Context, ins *query.Insert, next rowSource) (*Rows, error) {
	e := &env{d: g, st: g.st, ctx: ctx}
	return e.insertFrom(ins, next)
}

// env is one statement's execution: the database, the context and the
// values of its ? parameters.
type env struct {
	d    *Engine
	st   *store.DB
	ctx  context.Context
	args []any

	plans *PlanCache // a prepared statement's plan cache, or nil
}

// param returns the value bound to a ? parameter, converted to one of the
// language's value types.
func (e *env) param(p *query.Param) (any, error) {
	if p.Index < 1 || p.Index > len(e.args) {
		return nil, plan.ErrAt(p, nil, "parameter %d has no value (%d given)", p.Index, len(e.args))
	}
	v, err := fromGo(e.args[p.Index-1])
	if err != nil {
		return nil, plan.ErrAt(p, nil, "parameter %d: %v", p.Index, err)
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
		return 0, plan.ErrAt(x, nil, "%s must be a non-negative integer, found %s", what, describeArg(v))
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
		return "", plan.ErrAt(x, nil, "%s must be a string, found %s", what, describeValue(v))
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
			return nil, nil, plan.ErrAt(&o, nil, "option %s given twice", store.Quote(o.Name))
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
	msg := fmt.Sprintf("unknown option %s for %s", store.Quote(o.Name), stmt)
	if alt := plan.SuggestName(o.Name, known); alt != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", alt)
	}
	return plan.ErrAt(&o, nil, "%s", msg)
}

// message is a one-row, one-column result for statements that only report.
func message(col string, v any) *Rows {
	return newRows([]string{col}, [][]any{{v}})
}
