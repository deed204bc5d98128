package exec

import (
	"fmt"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// explain runs EXPLAIN SELECT ...: the plan the executor runs the
// statement by, one operator a line. EXPLAIN ANALYZE runs the plan, in one
// read transaction and without streaming, and adds to each operator the
// rows it produced and the time spent in it and its inputs, in the manner
// of PostgreSQL; an operator that never ran says so.
func (e *env) explain(s *query.Explain) (*Rows, error) {
	sel, ok := s.Stmt.(*query.Select)
	if !ok {
		return nil, plan.ErrAt(s, nil, "EXPLAIN explains SELECT statements")
	}
	var lines []string
	run := func(x *executor, p *plan.Plan) error {
		if !s.Analyze {
			lines = p.Lines(nil)
			return nil
		}
		x.stats = make(map[plan.Node]*opStats)
		if _, err := x.result(p); err != nil {
			return err
		}
		lines = p.Lines(x.measured)
		return nil
	}
	if sel.From == nil {
		p, err := plan.Build(sel, nil, e.args, e.planSettings())
		if err == nil {
			err = run(&executor{e: e}, p)
		}
		return planRows(lines), err
	}
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, p, err := e.plan(tx, sel)
		if err != nil {
			return err
		}
		if err := run(&executor{e: e, t: t}, p); err != nil {
			return err
		}
		// A text query on a table with a tokenizer: say how it is read.
		if call, ok := plan.TableFunc(sel); ok && call.Name == "NEAREST" && len(call.Args) > 0 {
			(&scope{e: e, t: t}).explainText(call.Args[0], func(format string, a ...any) {
				lines = append(lines, fmt.Sprintf(format, a...))
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return planRows(lines), nil
}

// measured is what EXPLAIN ANALYZE adds to operator n's line.
func (x *executor) measured(n plan.Node) string {
	st := x.stats[n]
	if st == nil {
		return "(never executed)"
	}
	ms := float64(st.total-st.out) / float64(time.Millisecond)
	return fmt.Sprintf("(actual rows=%d time=%.3f ms)", st.rows, ms)
}

func planRows(plan []string) *Rows {
	rows := make([][]any, len(plan))
	for i, p := range plan {
		rows[i] = []any{p}
	}
	return newRows([]string{"plan"}, rows)
}
