package exec

import (
	"fmt"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// compareError is the error of a comparison whose sides have types that
// cannot be compared (year = 'soon'), naming each side that is a column
// with its type and each other side by its value, as a type mismatch in an
// INSERT does: `cannot compare column "year" (INTEGER) with text "soon"`.
// It is built only once a comparison has failed.
func (s *scope) compareError(x *query.Binary, l, r any) error {
	return plan.ErrAt(x, plan.ErrSemantic, "cannot compare %s with %s", s.describeSide(x.L, l), s.describeSide(x.R, r))
}

// describeSide describes one side of a comparison: a column of the table
// by its name and type, anything else by its value.
func (s *scope) describeSide(e query.Expr, v any) string {
	id, ok := e.(*query.Ident)
	if !ok || s.t == nil {
		return store.DescribeValue(v)
	}
	switch id.Name {
	case "id", "count":
		return fmt.Sprintf("column %s (INTEGER)", store.Quote(id.Name))
	case "word":
		return fmt.Sprintf("column %s (TEXT)", store.Quote(id.Name))
	case "vector":
		return fmt.Sprintf("column %s (VECTOR)", store.Quote(id.Name))
	}
	if i := s.t.ColumnIndex(id.Name); i >= 0 {
		return fmt.Sprintf("column %s (%s)", store.Quote(id.Name), s.t.Columns()[i].Type)
	}
	return store.DescribeValue(v)
}
