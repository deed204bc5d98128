package exec

import (
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/query"
)

// aggregateValue evaluates an aggregate call: inside an Aggregate, its
// value for the group being output; elsewhere an error.
func (s *scope) aggregateValue(x *query.Call) (any, error) {
	if v, ok := s.aggs[x]; ok {
		return v, nil
	}
	return nil, plan.ErrAt(x, nil, "%s is an aggregate: use it in the select list, HAVING or ORDER BY of a SELECT", x.Name)
}
