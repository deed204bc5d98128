package exec

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// The executor runs a plan (package plan) by pushing rows from its leaves
// up: each operator runs its input with a sink that does the operator's
// work on each row and hands the result to the operator above. Operators
// that compute their rows whole (a search, the tokenizer, an aggregate)
// hand them on one by one.

// tuple is one row on its way up a plan: the table row below Project, the
// output values (and ORDER BY keys) from Project or a whole result on.
type tuple struct {
	row  rowRef
	vals []any
	keys []any
}

// sink takes the rows an operator produces; errStop ends its input early.
type sink func(*tuple) error

// executor runs one plan in one transaction.
type executor struct {
	e    *env
	t    *store.Table // the plan's table, opened in this transaction
	cols []string     // the plan's output columns, for ORDER BY by name

	// lateLimit is a Limit over a result computed whole: its LIMIT and
	// OFFSET are evaluated after the result and before its ORDER BY keys,
	// so that a statement wrong in several places reports what it always
	// has. limit and offset are their values once evaluated.
	lateLimit     *plan.Limit
	limit, offset int64
	limitErr      error

	// stats is set by EXPLAIN ANALYZE: what each operator did.
	stats map[plan.Node]*opStats
}

// opStats is what EXPLAIN ANALYZE measures of an operator: the rows it
// produced, and the time spent in it and its inputs (not in the operators
// above, which its sink calls).
type opStats struct {
	runs       int
	rows       int64
	total, out time.Duration
}

// selectStmt runs a SELECT: it plans the statement in a read transaction
// and runs the plan there, or, for a per-row result without ORDER BY,
// streams it from a transaction of its own.
func (e *env) selectStmt(s *query.Select) (*Rows, error) {
	if s.From == nil {
		p, err := plan.Build(s, nil, e.args, e.planSettings())
		if err != nil {
			return nil, err
		}
		return (&executor{e: e}).result(p)
	}
	var out *Rows
	var streamed *plan.Plan
	var epoch uint64
	if e.plans != nil {
		epoch = e.st.Epoch() // before the transaction: see PlanCache.noteExpress
	}
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, p, err := e.plan(tx, s)
		if err != nil {
			return err
		}
		if p.Stream && !e.st.InTransaction() { // in BEGIN ... COMMIT, the rows are read in it
			streamed = p // outside this transaction: see stream
			return nil
		}
		out, err = (&executor{e: e, t: t}).result(p)
		if err == nil && e.plans != nil {
			e.plans.noteExpress(e, t, p, epoch)
		}
		return err
	})
	if err == nil && streamed != nil {
		return e.stream(s, streamed)
	}
	return out, err
}

// plan binds the FROM table of s in tx and plans s.
func (e *env) plan(tx *store.Tx, s *query.Select) (*store.Table, *plan.Plan, error) {
	t, err := plan.BindTable(tx, s.From)
	if err != nil {
		return nil, nil, err
	}
	set := e.planSettings()
	if p := e.plans.lookup(t, set); p != nil {
		return t, p, nil
	}
	p, err := plan.BuildEstimated(s, t, e.args, set, e.estimator(t))
	if err == nil {
		e.plans.keep(t, set, p)
	}
	return t, p, err
}

// planSettings are the SET values planning reads.
func (e *env) planSettings() plan.Settings {
	return plan.Settings{Exact: e.d.settings.exact(), EfSearch: e.d.settings.efSearch(), Recall: e.d.settings.recallTarget()}
}

// result runs p to its end and returns its rows.
func (x *executor) result(p *plan.Plan) (*Rows, error) {
	x.cols = p.Cols
	if x.stats == nil && isWhole(p.Root) {
		rows, err := x.produce(p.Root)
		if err != nil {
			return nil, err
		}
		return newRows(p.Cols, rows), nil
	}
	var rows [][]any
	err := x.run(p.Root, func(tp *tuple) error {
		rows = append(rows, tp.vals)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newRows(p.Cols, rows), nil
}

// isWhole reports whether n computes its rows whole, with no input.
func isWhole(n plan.Node) bool {
	switch n.(type) {
	case *plan.HNSWSearch, *plan.ExactSearch, *plan.Cosmul, *plan.Tokenize, *plan.Aggregate, *plan.Result:
		return true
	}
	return false
}

// run runs operator n, giving its rows to out.
func (x *executor) run(n plan.Node, out sink) error {
	if x.stats != nil {
		return x.runMeasured(n, out)
	}
	return x.exec(n, out)
}

// runMeasured runs n as run does, for EXPLAIN ANALYZE: it counts the rows n
// gives out and times n with its inputs, less the time out takes.
func (x *executor) runMeasured(n plan.Node, out sink) error {
	st := x.stats[n]
	if st == nil {
		st = &opStats{}
		x.stats[n] = st
	}
	st.runs++
	start := time.Now()
	err := x.exec(n, func(tp *tuple) error {
		st.rows++
		t0 := time.Now()
		err := out(tp)
		st.out += time.Since(t0)
		return err
	})
	st.total += time.Since(start)
	return err
}

// exec runs operator n.
func (x *executor) exec(n plan.Node, out sink) error {
	switch n := n.(type) {
	case *plan.Scan:
		return x.scan(n, out)
	case *plan.WordLookup:
		return x.lookup(n, out)
	case *plan.ScalarLookup:
		return x.scalarLookup(n, out)
	case *plan.Filter:
		return x.filter(n, out)
	case *plan.Project:
		return x.project(n, out)
	case *plan.Sort:
		return x.sort(n, out)
	case *plan.Limit:
		return x.limitRows(n, out)
	case *plan.HNSWSearch, *plan.ExactSearch:
		if emitsRows(n) {
			return x.searchRows(n, out)
		}
	}
	rows, err := x.produce(n)
	if err != nil {
		return err
	}
	return x.emit(rows, out)
}

// produce runs an operator that computes its rows whole.
func (x *executor) produce(n plan.Node) ([][]any, error) {
	sc := &scope{e: x.e, t: x.t}
	switch n := n.(type) {
	case *plan.HNSWSearch:
		rows, err := sc.nearest(n.Call, n.Filter, hnswPath(n))
		return readable(sc, n.Call, rows, err, n.Readable)
	case *plan.ExactSearch:
		via, err := x.exactPath(n)
		if err != nil {
			return nil, err
		}
		rows, err := sc.nearest(n.Call, n.Filter, via)
		return readable(sc, n.Call, rows, err, n.Readable)
	case *plan.Cosmul:
		return sc.nearestCosmul(n.Call)
	case *plan.Tokenize:
		_, rows, err := sc.tokens(n.Call)
		return rows, err
	case *plan.Aggregate:
		return x.aggregate(n)
	case *plan.Result:
		_, row, err := sc.project(n.Items)
		if err != nil {
			return nil, err
		}
		return [][]any{row}, nil
	}
	return nil, fmt.Errorf("%w: no executor for the plan operator %T", store.ErrInternal, n)
}

// scan runs Scan: every row of the table, in id order.
func (x *executor) scan(n *plan.Scan, out sink) error {
	var tp tuple
	count := 0
	return x.t.ForEachRow(0, n.Vectors, func(r store.Row) error {
		if count++; count%4096 == 0 {
			if err := x.e.ctx.Err(); err != nil {
				return err
			}
		}
		tp.row = rowRef{id: r.ID, word: r.Word, count: r.Count, vec: r.Vector}
		return out(&tp)
	})
}

// lookup runs WordLookup: the rows of the words or ids it names, in id
// order.
func (x *executor) lookup(n *plan.WordLookup, out sink) error {
	ids, err := x.lookupIDs(n)
	if err != nil {
		return err
	}
	var tp tuple
	for i, id := range ids {
		if (i+1)%4096 == 0 {
			if err := x.e.ctx.Err(); err != nil {
				return err
			}
		}
		r, err := x.t.LookupID(id)
		if errors.Is(err, store.ErrNoWord) {
			continue
		}
		if err != nil {
			return err
		}
		if !n.Vectors {
			r.Vector = nil
		}
		tp.row = rowRef{id: r.ID, word: r.Word, count: r.Count, vec: r.Vector}
		if err := out(&tp); err != nil {
			return err
		}
	}
	return nil
}

// lookupIDs finds the ids of the rows a WordLookup names, sorted.
func (x *executor) lookupIDs(n *plan.WordLookup) ([]uint32, error) {
	if n.Values != nil {
		return (&scope{e: x.e, t: x.t}).lookupValues(n.Column, n.Values, n.Cond)
	}
	var ids []uint32
	err := x.t.Words().Scan(n.Prefix, func(w []byte, id uint32) bool {
		if !bytes.HasPrefix(w, []byte(n.Prefix)) {
			return false
		}
		ids = append(ids, id)
		return true
	})
	slices.Sort(ids)
	return ids, err
}

// filter runs Filter: the rows for which the condition is true.
func (x *executor) filter(n *plan.Filter, out sink) error {
	row := &scope{e: x.e, t: x.t, row: &rowRef{}}
	return x.run(n.Input, func(tp *tuple) error {
		*row.row = tp.row
		ok, err := row.truthy(n.Cond)
		if err != nil || !ok {
			return err
		}
		return out(tp)
	})
}

// project runs Project: the select list (and ORDER BY keys) of each row.
func (x *executor) project(n *plan.Project, out sink) error {
	row := &scope{e: x.e, t: x.t, row: &rowRef{}}
	return x.run(n.Input, func(tp *tuple) error {
		*row.row = tp.row
		cols, vals, err := row.project(n.Items)
		if err != nil {
			return err
		}
		tp.vals, tp.keys = vals, nil
		if n.Keys != nil {
			if tp.keys, err = row.orderKeys(n.Keys, cols, vals); err != nil {
				return err
			}
		}
		return out(tp)
	})
}

// sort runs Sort: all of its input, ordered by the keys Project computed,
// or, over a result computed whole, by keys over its output columns.
func (x *executor) sort(n *plan.Sort, out sink) error {
	var rows, keys [][]any
	err := x.run(n.Input, func(tp *tuple) error {
		rows, keys = append(rows, tp.vals), append(keys, tp.keys)
		return nil
	})
	if err != nil {
		return err
	}
	if _, perRow := n.Input.(*plan.Project); !perRow {
		if err := x.settleLimit(); err != nil {
			return err
		}
		if len(rows) < 2 {
			return x.emit(rows, out)
		}
		sc := &scope{e: x.e}
		order := n.Order
		if agg, ok := n.Input.(*plan.Aggregate); ok {
			order = byItemPosition(order, agg.Items)
		}
		for i, r := range rows {
			if keys[i], err = sc.orderKeys(order, x.cols, r); err != nil {
				return err
			}
		}
	}
	sortByKeys(rows, keys, n.Order)
	return x.emit(rows, out)
}

// emit gives rows to out one by one.
func (x *executor) emit(rows [][]any, out sink) error {
	var tp tuple
	for _, r := range rows {
		tp.vals = r
		if err := out(&tp); err != nil {
			return err
		}
	}
	return nil
}

// limitRows runs Limit: rows Offset to Offset+Limit of its input, ending
// the input once it has given them.
func (x *executor) limitRows(n *plan.Limit, out sink) error {
	if n.Eager {
		x.limit, x.offset, x.limitErr = x.e.limits(n.Limit, n.Offset)
		if x.limitErr != nil {
			return x.limitErr
		}
	} else {
		x.lateLimit = n
	}
	var skipped, sent int64
	err := x.run(n.Input, func(tp *tuple) error {
		if err := x.settleLimit(); err != nil {
			return err
		}
		if skipped < x.offset {
			skipped++
			return nil
		}
		if x.limit >= 0 && sent >= x.limit {
			return errStop
		}
		sent++
		return out(tp)
	})
	if err == errStop {
		err = nil
	}
	if err == nil {
		err = x.settleLimit() // an empty input: LIMIT is still checked
	}
	return err
}

// settleLimit evaluates a late Limit's bounds, once.
func (x *executor) settleLimit() error {
	if n := x.lateLimit; n != nil {
		x.lateLimit = nil
		x.limit, x.offset, x.limitErr = x.e.limits(n.Limit, n.Offset)
	}
	return x.limitErr
}

// stream runs a per-row plan without ORDER BY: rows are produced as they
// are read, in a read transaction that lives until the Rows is closed or
// exhausted, so a query over a large table needs no memory for the whole
// result. The first row (or error) is read before stream returns, so that
// an error in the statement is returned at once. The table is bound again
// in the stream's own transaction; the plan, a scan or a lookup, holds for
// whatever version of the table that finds.
func (e *env) stream(sel *query.Select, p *plan.Plan) (*Rows, error) {
	type item struct {
		vals []any
		err  error
	}
	ch := make(chan item, 64)
	st, err := e.st.OpenStream(e.ctx)
	if err != nil {
		return nil, err
	}
	done := st.Done
	go func() {
		defer close(ch)
		cut := false // ended by done, before the last row
		err := e.st.View(st.Ctx, func(tx *store.Tx) error {
			t, err := plan.BindTable(tx, sel.From)
			if err != nil {
				return err
			}
			x := &executor{e: e, t: t, cols: p.Cols}
			err = x.run(p.Root, func(tp *tuple) error {
				select {
				case ch <- item{vals: tp.vals}:
					return nil
				case <-done:
					cut = true
					return errStop
				}
			})
			if err == errStop {
				err = nil
			}
			return err
		})
		if err == nil && !cut {
			st.Finished.Store(true) // every row was sent: a later Close cuts nothing
		}
		if err != nil {
			select {
			case ch <- item{err: err}:
			case <-done:
			}
		}
	}()
	release := func() {
		st.End(false)
		for range ch { // let the producer end its transaction
		}
		e.st.CloseStream(st)
	}
	first, ok := <-ch
	if ok && first.err != nil {
		release()
		return nil, first.err
	}
	pending := &first
	if !ok {
		pending = nil
	}
	next := func() ([]any, error) {
		if pending != nil {
			it := pending
			pending = nil
			return it.vals, nil
		}
		it, ok := <-ch
		if !ok {
			if st.ClosedDB.Load() && !st.Finished.Load() {
				return nil, store.ErrClosed
			}
			return nil, nil
		}
		return it.vals, it.err
	}
	return &Rows{cols: p.Cols, next: next, release: release, i: -1}, nil
}

// readable shows NEAREST's results on a table with a tokenizer as text,
// beside their vocabulary form.
func readable(sc *scope, call *query.Call, rows [][]any, err error, on bool) ([][]any, error) {
	if err != nil || !on {
		return rows, err
	}
	_, rows, err = sc.readableNearest(call, rows)
	return rows, err
}
