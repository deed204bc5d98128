package exec

import (
	"slices"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// knownColumn returns the unknown-column error, with its suggestion of a
// near name, when col is no column of t (CREATE INDEX ON t (col) names a
// column as a SELECT does); nil when it is one, indexable or not.
func knownColumn(t *store.Table, col *query.Ident) error {
	if slices.Contains(plan.StarColumns(t), col.Name) {
		return nil
	}
	return (&scope{t: t}).unknownColumn(col)
}
