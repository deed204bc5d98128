package exec

import (
	"context"
	"sync/atomic"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// PlanCache keeps the plan a prepared SELECT built last, so that running
// it again skips planning while its table is unchanged: a plan depends on
// the statement (fixed), the table's metadata (named by its id and version,
// which every change bumps), the SET values planning reads, and, for a
// per-row plan only, the parameters' values (plan.Plan.ArgFree). The
// zero value is empty and ready; it is safe for concurrent use.
type PlanCache struct {
	last atomic.Pointer[cachedPlan]

	// express is what the last run of a NEAREST keeps to run the next
	// without a transaction (express.go), or nil.
	express   atomic.Pointer[expressNearest]
	expressed atomic.Int64 // runs the express entry answered
}

// ExpressRuns returns how many runs of the statement its express entry
// answered, without a transaction (express.go): for tests, which must
// know that the path they check is the one that ran.
func (c *PlanCache) ExpressRuns() int64 { return c.expressed.Load() }

// ExpressHeld reports whether the statement's express entry still has the
// graph and the words it kept: once a change has dropped them from the
// store's caches and the garbage collector has run, it must not.
func (c *PlanCache) ExpressHeld() (graph, words bool) {
	x := c.express.Load()
	if x == nil {
		return false, false
	}
	return x.h.Value() != nil, x.words.Value() != nil
}

// cachedPlan is one plan with what it was built from.
type cachedPlan struct {
	table, ver uint64
	set        plan.Settings
	p          *plan.Plan
}

// lookup returns the cached plan for t and set, or nil.
func (c *PlanCache) lookup(t *store.Table, set plan.Settings) *plan.Plan {
	if c == nil {
		return nil
	}
	if cp := c.last.Load(); cp != nil && cp.table == t.ID() && cp.ver == t.Ver() && cp.set == set {
		return cp.p
	}
	return nil
}

// keep caches p, built for t and set, if it holds whatever the parameters.
func (c *PlanCache) keep(t *store.Table, set plan.Settings, p *plan.Plan) {
	if c != nil && p.ArgFree {
		c.last.Store(&cachedPlan{table: t.ID(), ver: t.Ver(), set: set, p: p})
	}
}

// RunPrepared runs a prepared statement as Run does, reusing the plan that
// pc holds when it still applies.
func (g *Engine) RunPrepared(ctx context.Context, stmt query.Statement, args []any, pc *PlanCache) (*Rows, error) {
	if x := pc.express.Load(); x != nil {
		if rows := x.run(g, ctx, args); rows != nil {
			pc.expressed.Add(1)
			return rows, nil
		}
	}
	return g.run(&env{d: g, st: g.st, ctx: ctx, args: args, plans: pc}, stmt)
}

// snapshot returns the SET values planning reads, read together.
func (s *settings) snapshot() plan.Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return plan.Settings{Exact: s.exactScan, EfSearch: s.ef, Recall: s.recall}
}
