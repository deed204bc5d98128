package db

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/embeddb/embeddb/query"
	bolt "go.etcd.io/bbolt"
)

// showTables runs SHOW TABLES.
func (e *env) showTables() (*Rows, error) {
	infos, err := e.d.Tables(e.ctx)
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

// describe runs DESCRIBE t: one (property, value) row per fact.
func (e *env) describe(s *query.Describe) (*Rows, error) {
	var rows [][]any
	err := e.d.view(e.ctx, func(tx *bolt.Tx) error {
		t, err := e.table(tx, s.Table)
		if err != nil {
			return err
		}
		m := t.meta
		add := func(k string, v any) { rows = append(rows, []any{k, v}) }
		add("name", t.name)
		add("kind", m.Kind)
		add("rows", m.Rows)
		add("dim", int64(m.Dim))
		add("type", m.Elem.String())
		add("metric", m.Metric)
		add("created", m.Created.Format(time.RFC3339))
		add("modified", m.Modified.Format(time.RFC3339))
		add("vector_bytes", int64(m.NextID)*int64(m.rowBytes()))
		add("tokenizer", m.Blobs[blobTokenizer] != "")
		add("trainable", m.Blobs[blobState] != "")
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
	spec := TableSpec{}
	for name, v := range vals {
		o := nodes[name]
		switch name {
		case "dim":
			n, ok := toInt(v)
			if !ok || n < 1 || n > 1<<16 {
				return nil, errAt(&o, nil, "dim must be an integer from 1 to 65536, found %s", shown(v))
			}
			spec.Dim = int(n)
		case "type":
			str, _ := v.(string)
			t, err := ParseElemType(str)
			if err != nil {
				return nil, errAt(&o, nil, "type must be float32, float16 or bfloat16, found %s", shown(v))
			}
			spec.Elem = t
		case "metric":
			str, _ := v.(string)
			if _, err := validMetric(strings.ToLower(str)); err != nil {
				return nil, errAt(&o, nil, "metric must be cosine, dot or euclidean, found %s", shown(v))
			}
			spec.Metric = strings.ToLower(str)
		default:
			return nil, unknownOption(o, "CREATE TABLE", []string{"dim", "type", "metric"})
		}
	}
	if spec.Dim == 0 {
		return nil, errAt(s, nil, "CREATE TABLE needs the vector length: CREATE TABLE %s (dim = N)", s.Table)
	}
	err = e.d.Update(e.ctx, func(tx *Tx) error {
		if s.IfNotExists && tx.tx.Bucket(bucketCatalog).Get([]byte(s.Table.Name)) != nil {
			return nil
		}
		err := tx.CreateTable(s.Table.Name, spec)
		if errors.Is(err, ErrTableExists) {
			return errAt(s.Table, ErrTableExists, "table %s already exists", quote(s.Table.Name))
		}
		return at(s.Table, err)
	})
	if err != nil {
		return nil, err
	}
	return message("created", s.Table.Name), nil
}

// dropTable runs DROP TABLE [IF EXISTS] t.
func (e *env) dropTable(s *query.DropTable) (*Rows, error) {
	err := e.d.Update(e.ctx, func(tx *Tx) error {
		if _, err := e.table(tx.tx, s.Table); err != nil {
			if s.IfExists && errors.Is(err, ErrNoTable) {
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

// alterTable runs ALTER TABLE t RENAME TO u.
func (e *env) alterTable(s *query.AlterTable) (*Rows, error) {
	err := e.d.Update(e.ctx, func(tx *Tx) error {
		if _, err := e.table(tx.tx, s.Table); err != nil {
			return err
		}
		err := tx.RenameTable(s.Table.Name, s.NewName.Name)
		if errors.Is(err, ErrTableExists) {
			return errAt(s.NewName, ErrTableExists, "table %s already exists", quote(s.NewName.Name))
		}
		return at(s.NewName, err)
	})
	if err != nil {
		return nil, err
	}
	return message("renamed", s.NewName.Name), nil
}

// delete runs DELETE FROM t [WHERE cond].
func (e *env) delete(s *query.Delete) (*Rows, error) {
	n := 0
	err := e.d.Update(e.ctx, func(tx *Tx) error {
		t, err := e.table(tx.tx, s.Table)
		if err != nil {
			return err
		}
		tx.open = map[string]*table{t.name: t}
		sc := &scope{e: e, t: t}
		var ids []uint32
		collect := func(r Row) error {
			if s.Where != nil {
				row := &scope{e: e, t: t, row: &rowRef{id: r.ID, word: r.Word, count: r.Count, vec: r.Vector}}
				ok, err := row.truthy(s.Where)
				if err != nil || !ok {
					return err
				}
			}
			ids = append(ids, r.ID)
			return nil
		}
		found, indexed, err := sc.accessPath(s.Where)
		if err != nil {
			return err
		}
		if indexed {
			for _, id := range found {
				r, err := t.lookupID(id)
				if errors.Is(err, ErrNoWord) {
					continue
				}
				if err == nil {
					err = collect(r)
				}
				if err != nil {
					return err
				}
			}
		} else {
			withVec := s.Where != nil && mentions(s.Where, "vector")
			if err := t.forEachRow(0, withVec, collect); err != nil {
				return err
			}
		}
		for i, id := range ids {
			if i%4096 == 0 {
				if err := e.ctx.Err(); err != nil {
					return err
				}
			}
			ok, err := t.deleteID(id)
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

// mentions reports whether expression x refers to column name.
func mentions(x query.Expr, name string) bool {
	found := false
	query.Walk(x, func(n query.Node) bool {
		if id, ok := n.(*query.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}
