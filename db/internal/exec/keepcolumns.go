package exec

import (
	"errors"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// TRAIN ... WITH (update = true) and IMPORT ... WITH (replace = true)
// rebuild a table through the bulk writer, which keeps its columns and
// scalar indexes (store/carry.go, BulkOptions.KeepColumns). A NOT NULL
// column without a DEFAULT cannot be filled for new words: that is found
// here, before the training or the reading of the file.

// checkKeepColumns returns an error, positioned at at, when the table tn
// exists and has a NOT NULL column without a DEFAULT; nil when the table
// does not exist.
func (e *env) checkKeepColumns(tn *query.TableName, at query.Node) error {
	return e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := store.OpenTable(tx, tn.Name)
		if errors.Is(err, store.ErrNoTable) {
			return nil
		}
		if err != nil {
			return plan.At(tn, err)
		}
		if col := t.RequiredColumn(); col != "" {
			err := store.RequiredColumnError(tn.Name, col)
			return plan.ErrAt(at, err, "%s", trimPrefix(err.Error(), "db: "))
		}
		return nil
	})
}
