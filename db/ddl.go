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

// insert runs INSERT [OR REPLACE] INTO t [(cols)] VALUES (...), ...: each
// row is (word, vector), (word, count, vector), or the listed columns.
func (e *env) insert(s *query.Insert) (*Rows, error) {
	cols := []string{"word", "vector"}
	if len(s.Columns) > 0 {
		cols = cols[:0]
		seen := map[string]bool{}
		for _, c := range s.Columns {
			switch c.Name {
			case "word", "count", "vector":
			case "id":
				return nil, errAt(c, nil, "id cannot be set: rows get the table's next id")
			default:
				return nil, errAt(c, nil, "unknown column %s (INSERT sets word, count and vector)", quote(c.Name))
			}
			if seen[c.Name] {
				return nil, errAt(c, nil, "column %s listed twice", quote(c.Name))
			}
			seen[c.Name] = true
			cols = append(cols, c.Name)
		}
		if !seen["word"] || !seen["vector"] {
			return nil, errAt(s.Table, nil, "INSERT needs a word and a vector for each row")
		}
	}
	n := 0
	err := e.d.Update(e.ctx, func(tx *Tx) error {
		t, err := e.table(tx.tx, s.Table)
		if err != nil {
			return err
		}
		tx.open = map[string]*table{t.name: t}
		sc := &scope{e: e, t: t}
		for ri := range s.Rows {
			r := &s.Rows[ri]
			vals := r.Values
			if len(s.Columns) == 0 && len(vals) == 3 {
				cols = []string{"word", "count", "vector"}
			} else if len(s.Columns) == 0 {
				cols = []string{"word", "vector"}
			}
			if len(vals) != len(cols) {
				return errAt(r, nil, "row has %d values, expected %d (%s)", len(vals), len(cols), strings.Join(cols, ", "))
			}
			var row Row
			for i, c := range cols {
				v, err := sc.eval(vals[i])
				if err != nil {
					return err
				}
				switch c {
				case "word":
					w, ok := v.(string)
					if !ok {
						return errAt(vals[i], nil, "word must be a string, found %s", describeValue(v))
					}
					row.Word = w
				case "count":
					n, ok := toInt(v)
					if !ok || n < 0 {
						return errAt(vals[i], nil, "count must be a non-negative integer, found %s", describeArg(v))
					}
					row.Count = n
				case "vector":
					vec, ok := v.([]float32)
					if !ok {
						return errAt(vals[i], nil, "vector must be a vector such as [0.1, 0.2], found %s", describeValue(v))
					}
					row.Vector = vec
				}
			}
			if len(row.Vector) != t.meta.Dim {
				return errAt(r, &DimensionError{Table: t.name, Want: t.meta.Dim, Got: len(row.Vector)},
					"table %s has dimension %d, got a vector of length %d", t.name, t.meta.Dim, len(row.Vector))
			}
			if _, err := t.insert(row.Word, row.Count, row.Vector, s.OrReplace); err != nil {
				switch {
				case errors.Is(err, ErrWordExists):
					return errAt(r, ErrWordExists, "word %s is already in %s (use INSERT OR REPLACE to overwrite it)", quote(row.Word), t.name)
				case errors.Is(err, ErrInvalidName):
					return errAt(r, ErrInvalidName, "invalid word %s: %v", quote(row.Word), err)
				}
				return at(r, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return message("inserted", int64(n)), nil
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
