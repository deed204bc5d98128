package db

import (
	"fmt"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/query"
	bolt "go.etcd.io/bbolt"
)

// explain runs EXPLAIN SELECT ...: how the statement would find its rows.
func (e *env) explain(s *query.Explain) (*Rows, error) {
	sel, ok := s.Stmt.(*query.Select)
	if !ok {
		return nil, errAt(s, nil, "EXPLAIN explains SELECT statements")
	}
	var plan []string
	add := func(format string, a ...any) { plan = append(plan, fmt.Sprintf(format, a...)) }
	if sel.From == nil {
		add("evaluate the select list once")
		return planRows(plan), nil
	}
	err := e.d.view(e.ctx, func(tx *bolt.Tx) error {
		t, err := e.table(tx, sel.From)
		if err != nil {
			return err
		}
		sc := &scope{e: e, t: t}
		if call, ok := tableFunc(sel); ok {
			switch call.Name {
			case "NEAREST":
				if t.meta.Index != nil && (!e.d.settings.exact() || indexQuantization(t.meta.Index) != index.QuantNone) {
					ef := e.d.settings.efSearch()
					if ef == 0 {
						ef = toIntDefault(t.meta.Index.Params["ef_search"], index.DefaultEfSearch)
					}
					add("%s", explainIndex(t, ef, e.d.settings.exact()))
					if pending := int64(t.meta.NextID) - int64(t.meta.Index.Upto); pending > 0 {
						add("plus an exact scan of the ids added since the index was built (up to %d)", pending)
					}
				} else {
					add("NEAREST by an exact scan of %d rows of %s (%s)", t.meta.Rows, t.name, t.meta.Metric)
				}
				if sel.Where != nil {
					add("keeping only rows where %s", sel.Where)
				}
				if len(call.Args) > 0 {
					sc.explainText(call.Args[0], add)
				}
			default:
				add("%s with the tokenizer of %s", call.Name, t.name)
			}
		} else if _, indexed, err := sc.accessPath(sel.Where); err != nil {
			return err
		} else if indexed {
			add("look rows up through the words of %s", t.name)
		} else if sel.Where == nil && !usesColumns(sel) {
			add("evaluate the select list once")
		} else {
			add("scan the %d rows of %s", t.meta.Rows, t.name)
		}
		if len(sel.OrderBy) > 0 {
			add("sort the result")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return planRows(plan), nil
}

func planRows(plan []string) *Rows {
	rows := make([][]any, len(plan))
	for i, p := range plan {
		rows[i] = []any{p}
	}
	return newRows([]string{"plan"}, rows)
}

func toIntDefault(v any, def int) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return def
}
