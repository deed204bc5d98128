package exec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// User columns in statements: their definitions (CREATE TABLE, ALTER
// TABLE ADD COLUMN), their values in expressions, and the errors that name
// them.

// columnDefs binds the column definitions of a statement.
func (e *env) columnDefs(defs []query.ColumnDef) ([]store.Column, error) {
	out := make([]store.Column, 0, len(defs))
	seen := map[string]bool{}
	for _, f := range store.FixedColumns {
		seen[f] = true
	}
	for i := range defs {
		if seen[defs[i].Name] {
			return nil, plan.ErrAt(&defs[i], store.ErrInvalidName, "column %s is defined twice (id, word, count and vector are every table's)", store.Quote(defs[i].Name))
		}
		seen[defs[i].Name] = true
		c, err := e.columnDef(&defs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

var colTypeNames = []string{"TEXT", "INTEGER", "REAL", "BOOLEAN", "JSON"}

// columnDef binds one column definition: its type, and its default
// checked against the type.
func (e *env) columnDef(d *query.ColumnDef) (store.Column, error) {
	typ, ok := store.ParseColType(d.Type)
	if !ok {
		msg := fmt.Sprintf("unknown column type %s (types are TEXT, INTEGER, REAL, BOOLEAN and JSON)", d.Type)
		if alt := plan.SuggestName(d.Type, colTypeNames); alt != "" {
			msg = fmt.Sprintf("unknown column type %s (did you mean %s?)", d.Type, alt)
		}
		return store.Column{}, &query.Error{Pos: d.TypePos, Msg: msg, Err: plan.ErrSemantic}
	}
	c := store.Column{Name: d.Name, Type: typ, NotNull: d.NotNull}
	if d.Default != nil {
		v, err := e.evalConst(d.Default)
		if err != nil {
			return store.Column{}, err
		}
		if c.Default, err = c.CheckValue(v); err != nil {
			return store.Column{}, plan.ErrAt(d.Default, plan.ErrSemantic, "DEFAULT of %s", err)
		}
	}
	return c, nil
}

// userColumn evaluates a user column of the scope's row, or returns
// ok false if the table has no column of that name.
func (s *scope) userColumn(x *query.Ident) (v any, ok bool, err error) {
	if s.t == nil {
		return nil, false, nil
	}
	if vals, ok := s.colVals[x.Name]; ok && s.row != nil {
		if int(s.row.id) < len(vals) {
			return vals[s.row.id], true, nil
		}
		return nil, true, nil
	}
	r := s.readers[x.Name]
	if r == nil {
		if s.t.ColumnIndex(x.Name) < 0 {
			return nil, false, nil
		}
		if r, err = s.t.ColumnReader(x.Name); err != nil {
			return nil, true, plan.At(x, err)
		}
		if s.readers == nil {
			s.readers = make(map[string]*store.ColumnReader)
		}
		s.readers[x.Name] = r
	}
	if s.row == nil {
		return nil, true, plan.ErrAt(x, nil, "column %s cannot be used here", store.Quote(x.Name))
	}
	v, err = r.Value(s.row.id)
	return v, true, plan.At(x, err)
}

// unknownColumn is the error for a name that is no column of the scope's
// table, suggesting a near one.
func (s *scope) unknownColumn(x *query.Ident) error {
	names := plan.StarColumns(s.t)
	msg := fmt.Sprintf("unknown column %s", store.Quote(x.Name))
	if alt := plan.SuggestName(x.Name, names); alt != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", alt)
	} else {
		msg += fmt.Sprintf(" (the columns of %s are %s)", s.t.Name(), strings.Join(names, ", "))
	}
	return plan.ErrAt(x, errNoColumn, "%s", msg)
}

// errNoColumn is the cause of an unknown-column error: a statement error
// (plan.ErrSemantic) that is also store.ErrNoColumn.
var errNoColumn = errors.Join(plan.ErrSemantic, store.ErrNoColumn)

// columnValueError positions an error from checking a value for a column
// at the node that gave the value.
func columnValueError(n query.Node, err error) error {
	var te *store.ColumnTypeError
	if errors.As(err, &te) {
		return plan.ErrAt(n, plan.ErrSemantic, "%s", te.Error())
	}
	if errors.Is(err, store.ErrNotNull) {
		return plan.ErrAt(n, store.ErrNotNull, "%s", strings.TrimPrefix(err.Error(), store.ErrNotNull.Error()+": "))
	}
	return plan.At(n, err)
}

// alterColumns runs ALTER TABLE t ADD [COLUMN] def or DROP [COLUMN] name.
// Adding writes no chunk: the rows already there read the column's
// default. Dropping deletes the column's chunks.
func (e *env) alterColumns(s *query.AlterTable) (*Rows, error) {
	var col store.Column
	if s.AddColumn != nil {
		var err error
		if col, err = e.columnDef(s.AddColumn); err != nil {
			return nil, err
		}
	}
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if s.AddColumn != nil {
			return plan.At(s.AddColumn, t.AddColumn(col))
		}
		if plan.IsColumn(s.DropColumn.Name) {
			return plan.ErrAt(s.DropColumn, nil, "column %s cannot be dropped: every table has it", store.Quote(s.DropColumn.Name))
		}
		if t.ColumnIndex(s.DropColumn.Name) < 0 {
			return (&scope{t: t}).unknownColumn(s.DropColumn)
		}
		return plan.At(s.DropColumn, t.DropColumn(s.DropColumn.Name))
	})
	if err != nil {
		return nil, err
	}
	if s.AddColumn != nil {
		return message("added", s.AddColumn.Name), nil
	}
	return message("dropped", s.DropColumn.Name), nil
}

// describeColumn writes a column's type and constraints as DESCRIBE shows
// them: INTEGER, TEXT DEFAULT 'en' NOT NULL.
func describeColumn(c store.Column) string {
	s := c.Type.String()
	if c.Default != nil {
		s += " DEFAULT " + sqlLiteral(c.Default)
	}
	if c.NotNull {
		s += " NOT NULL"
	}
	return s
}

// sqlLiteral writes a column value as a SQL literal.
func sqlLiteral(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return query.QuoteString(x)
	case bool:
		return strings.ToUpper(fmt.Sprint(x))
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}
