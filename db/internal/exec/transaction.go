package exec

import (
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/query"
)

// BEGIN, COMMIT and ROLLBACK (query/transaction.go): the store keeps the
// transaction (store/explicit.go); every statement runs in it until it ends.

func init() { handle((*env).transaction) }

// transaction runs BEGIN, COMMIT or ROLLBACK. They return no rows, as in
// sqlite.
func (e *env) transaction(s *query.Transaction) (*Rows, error) {
	var err error
	switch s.Op {
	case "BEGIN":
		err = e.st.Begin(e.ctx)
	case "COMMIT":
		err = e.st.Commit()
	default:
		err = e.st.Rollback()
	}
	if err != nil {
		return nil, plan.At(s, err)
	}
	return newRows(nil, nil), nil
}
