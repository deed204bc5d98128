package exec

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db/internal/plan"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

func init() { handle((*env).showTables) }

// showTables runs SHOW TABLES.
func (e *env) showTables(*query.ShowTables) (*Rows, error) {
	infos, err := e.st.Tables(e.ctx)
	if err != nil {
		return nil, err
	}
	rows := make([][]any, 0, len(infos))
	for _, in := range infos {
		ix := ""
		if in.Index != nil {
			ix = in.Index.Method
		}
		rows = append(rows, []any{in.Name, in.Kind, in.Rows, int64(in.Dim), in.Elem.String(), in.Metric, ix})
	}
	return newRows([]string{"name", "kind", "rows", "dim", "type", "metric", "index"}, rows), nil
}

func init() { handle((*env).describe) }

// describe runs DESCRIBE t: one (property, value) row per fact.
func (e *env) describe(s *query.Describe) (*Rows, error) {
	var rows [][]any
	err := e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		m := t.Info()
		add := func(k string, v any) { rows = append(rows, []any{k, v}) }
		add("name", m.Name)
		add("kind", m.Kind)
		add("rows", m.Rows)
		add("dim", int64(m.Dim))
		add("type", m.Elem.String())
		add("metric", m.Metric)
		add("created", m.Created.Format(time.RFC3339))
		add("modified", m.Modified.Format(time.RFC3339))
		add("vector_bytes", int64(m.NextID)*int64(t.RowBytes()))
		for _, c := range m.Columns {
			add("column."+c.Name, describeColumn(c))
		}
		add("tokenizer", m.Tokenizer)
		add("trainable", m.TrainState)
		if ix := m.Index; ix != nil {
			add("index", ix.Method)
			keys := make([]string, 0, len(ix.Params))
			for k := range ix.Params {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				add("index."+k, fmt.Sprint(ix.Params[k]))
			}
			add("index.rows", int64(ix.Upto))
			add("index.bytes", ix.Bytes)
			add("index.built", ix.Built.Format(time.RFC3339))
			e.describeIndex(t, add)
			if pending := int64(m.NextID) - int64(ix.Upto); pending > 0 {
				add("index.unindexed_ids", pending)
			}
		} else {
			add("index", "none")
		}
		if cols := t.ScalarIndexes(); len(cols) > 0 {
			add("scalar_indexes", strings.Join(cols, ", ")) // CREATE INDEX ON t (col)
		}
		keys := make([]string, 0, len(m.Provenance))
		for k := range m.Provenance {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add("source."+k, provenanceValue(m.Provenance[k]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newRows([]string{"property", "value"}, rows), nil
}

// provenanceValue turns a decoded JSON value into a result value.
func provenanceValue(v any) any {
	switch x := v.(type) {
	case float64:
		if n, ok := toInt(x); ok {
			return n
		}
		return x
	case string, bool, nil, int64:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// createTable runs CREATE TABLE t (dim = N [, type = ..., metric = ...]).
func (e *env) createTable(s *query.CreateTable) (*Rows, error) {
	vals, nodes, err := e.options(s.Options)
	if err != nil {
		return nil, err
	}
	spec := store.TableSpec{}
	for name, v := range vals {
		o := nodes[name]
		switch name {
		case "dim":
			n, ok := toInt(v)
			if !ok || n < 1 || n > 1<<16 {
				return nil, plan.ErrAt(&o, nil, "dim must be an integer from 1 to 65536, found %s", shown(v))
			}
			spec.Dim = int(n)
		case "type":
			str, _ := v.(string)
			t, err := store.ParseElemType(str)
			if err != nil {
				return nil, plan.ErrAt(&o, nil, "type must be float32, float16 or bfloat16, found %s", shown(v))
			}
			spec.Elem = t
		case "metric":
			str, _ := v.(string)
			if _, err := store.ValidMetric(strings.ToLower(str)); err != nil {
				return nil, plan.ErrAt(&o, nil, "metric must be cosine, dot or euclidean, found %s", shown(v))
			}
			spec.Metric = strings.ToLower(str)
		default:
			return nil, unknownOption(o, "CREATE TABLE", []string{"dim", "type", "metric"})
		}
	}
	if spec.Dim == 0 {
		return nil, plan.ErrAt(s, nil, "CREATE TABLE needs the vector length: CREATE TABLE %s (dim = N)", s.Table)
	}
	if spec.Columns, err = e.columnDefs(s.Columns); err != nil {
		return nil, err
	}
	err = e.st.Update(e.ctx, func(tx *store.Tx) error {
		if s.IfNotExists && store.HasTable(tx, s.Table.Name) {
			return nil
		}
		err := tx.CreateTable(s.Table.Name, spec)
		if errors.Is(err, store.ErrTableExists) {
			return plan.ErrAt(s.Table, store.ErrTableExists, "table %s already exists", store.Quote(s.Table.Name))
		}
		if err != nil && len(s.Columns) > 0 && errors.Is(err, store.ErrInvalidName) {
			return plan.At(&s.Columns[0], err)
		}
		return plan.At(s.Table, err)
	})
	if err != nil {
		return nil, err
	}
	return message("created", s.Table.Name), nil
}

func init() { handle((*env).dropTable) }

// dropTable runs DROP TABLE [IF EXISTS] t.
func (e *env) dropTable(s *query.DropTable) (*Rows, error) {
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		if _, err := plan.BindTable(tx, s.Table); err != nil {
			if s.IfExists && errors.Is(err, store.ErrNoTable) {
				return nil
			}
			return err
		}
		return tx.DropTable(s.Table.Name)
	})
	if err != nil {
		return nil, err
	}
	return message("dropped", s.Table.Name), nil
}

// alterTable runs ALTER TABLE t RENAME TO u, ADD COLUMN or DROP COLUMN.
func (e *env) alterTable(s *query.AlterTable) (*Rows, error) {
	if s.AddColumn != nil || s.DropColumn != nil {
		return e.alterColumns(s)
	}
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		if _, err := plan.BindTable(tx, s.Table); err != nil {
			return err
		}
		err := tx.RenameTable(s.Table.Name, s.NewName.Name)
		if errors.Is(err, store.ErrTableExists) {
			return plan.ErrAt(s.NewName, store.ErrTableExists, "table %s already exists", store.Quote(s.NewName.Name))
		}
		return plan.At(s.NewName, err)
	})
	if err != nil {
		return nil, err
	}
	return message("renamed", s.NewName.Name), nil
}

// delete runs DELETE FROM t [WHERE cond].
func (e *env) delete(s *query.Delete) (*Rows, error) {
	n := 0
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		var ids []uint32
		x := &executor{e: e, t: t}
		err = x.run(plan.BuildDelete(s.Where, t, e.args).Root, func(tp *tuple) error {
			ids = append(ids, tp.row.id)
			return nil
		})
		if err != nil {
			return err
		}
		for i, id := range ids {
			if i%4096 == 0 {
				if err := e.ctx.Err(); err != nil {
					return err
				}
			}
			ok, err := t.DeleteID(id)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return message("deleted", int64(n)), nil
}
