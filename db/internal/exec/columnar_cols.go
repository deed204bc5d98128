package exec

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
)

// A table's own columns through Parquet and Arrow. EXPORT writes them
// between count and vector, as the files' own types (TEXT string, INTEGER
// int64, REAL double, BOOLEAN bool, JSON string marked JSON), with their
// declarations in the key-value metadata (columnar.MetaColumns). IMPORT
// maps a file's other columns by name: into a new table as columns of the
// corresponding types (exactly as declared when embeddb wrote the file),
// into an existing table onto its columns. WITH (columns = 'a, b') names
// the columns to take; columns = '' takes none. Without it every column
// is taken but word, id, count and vector, and a column of a type a table
// cannot hold (a timestamp, binary, a struct, a list that is not the
// vector) is an error naming it, as DuckDB's INSERT ... BY NAME refuses a
// column it cannot place rather than dropping data unseen.

// colDecl is a column's declaration as EXPORT stores it.
type colDecl struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	NotNull bool   `json:"not_null,omitempty"`
	Default any    `json:"default,omitempty"`
}

// colValueTypes pairs each column type with the file type of its values.
var colValueTypes = []struct {
	col store.ColType
	val columnar.ValueType
}{
	{store.ColText, columnar.ValueString},
	{store.ColInteger, columnar.ValueInt},
	{store.ColReal, columnar.ValueFloat},
	{store.ColBoolean, columnar.ValueBool},
	{store.ColJSON, columnar.ValueJSON},
}

// valueTypeOf is the file type of a column of type t.
func valueTypeOf(t store.ColType) columnar.ValueType {
	for _, p := range colValueTypes {
		if p.col == t {
			return p.val
		}
	}
	return columnar.ValueString
}

// colTypeOf is the column type a new table gives a file column of type v.
func colTypeOf(v columnar.ValueType) store.ColType {
	for _, p := range colValueTypes {
		if p.val == v {
			return p.col
		}
	}
	return store.ColText
}

// fits reports whether values of file type v go into a column of type c
// without loss: integers into REAL too, text and JSON into either.
func fits(v columnar.ValueType, c store.ColType) bool {
	switch v {
	case columnar.ValueString, columnar.ValueJSON:
		return c == store.ColText || c == store.ColJSON
	case columnar.ValueInt:
		return c == store.ColInteger || c == store.ColReal
	}
	return colTypeOf(v) == c
}

// exportColumns are the fields and the metadata of t's columns.
func exportColumns(t *store.Table, md map[string]string) []columnar.Field {
	cols := t.Columns()
	if len(cols) == 0 {
		return nil
	}
	fields := make([]columnar.Field, len(cols))
	decls := make([]colDecl, len(cols))
	for i, c := range cols {
		fields[i] = columnar.Field{Name: c.Name, Type: valueTypeOf(c.Type)}
		decls[i] = colDecl{Name: c.Name, Type: c.Type.String(), NotNull: c.NotNull, Default: c.Default}
	}
	if b, err := json.Marshal(decls); err == nil {
		md[columnar.MetaColumns] = string(b)
	}
	return fields
}

// chunkColumns reads the columns of the rows ids of t for the writer.
func chunkColumns(readers []*store.ColumnReader, ids []int64, cols [][]any) ([][]any, error) {
	if len(readers) == 0 {
		return nil, nil
	}
	if cols == nil {
		cols = make([][]any, len(readers))
	}
	for j, r := range readers {
		cols[j] = cols[j][:0]
		for _, id := range ids {
			v, err := r.Value(uint32(id))
			if err != nil {
				return nil, err
			}
			cols[j] = append(cols[j], v)
		}
	}
	return cols, nil
}

// columnReaders returns a reader of each of t's columns.
func columnReaders(t *store.Table) ([]*store.ColumnReader, error) {
	out := make([]*store.ColumnReader, 0, len(t.Columns()))
	for _, c := range t.Columns() {
		r, err := t.ColumnReader(c.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// columnChooser is an IMPORT's ReadOptions.Columns: the file columns to
// take, given the columns option (nil: unset) and the existing table t
// (nil: a new table).
func columnChooser(only *string, t *store.Table) func([]columnar.Field) ([]string, error) {
	return func(others []columnar.Field) ([]string, error) {
		var names []string
		if only != nil {
			for _, n := range strings.Split(*only, ",") {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
		} else {
			for _, f := range others {
				if slices.Contains(store.FixedColumns, f.Name) {
					continue // embeddb's own id, or a word column not chosen as the key
				}
				if f.Type == columnar.ValueUnsupported {
					hint := "WITH (columns = '') leaves it out"
					if ok := supported(others); len(ok) > 0 {
						hint = fmt.Sprintf("WITH (columns = '%s') imports the others (columns = '' none)", strings.Join(ok, ", "))
					}
					return nil, fmt.Errorf("column %q is %s, which a table column cannot hold; %s", f.Name, f.FileType, hint)
				}
				names = append(names, f.Name)
			}
		}
		if t != nil {
			return names, checkTargetColumns(t, names, others)
		}
		return names, nil
	}
}

// supported names the columns of others a table can take.
func supported(others []columnar.Field) []string {
	var out []string
	for _, f := range others {
		if f.Type != columnar.ValueUnsupported && !slices.Contains(store.FixedColumns, f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// checkTargetColumns checks that each file column named is a column of t
// of a type its values fit.
func checkTargetColumns(t *store.Table, names []string, others []columnar.Field) error {
	var have []string
	for _, c := range t.Columns() {
		have = append(have, c.Name)
	}
	for _, n := range names {
		k := slices.IndexFunc(others, func(f columnar.Field) bool { return f.Name == n })
		if k < 0 {
			continue // the reader says the file has no such column
		}
		f := others[k]
		i := targetColumn(t, n)
		if i < 0 {
			msg := fmt.Sprintf("column %q: table %s has no such column", n, store.Quote(t.Name()))
			if alt := plan.SuggestName(n, have); alt != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", alt)
			}
			return &wrapped{fmt.Sprintf("%s; ALTER TABLE %s ADD COLUMN adds it, WITH (columns = '...') names the columns to import",
				msg, store.Quote(t.Name())), store.ErrNoColumn}
		}
		if c := t.Columns()[i]; f.Type == columnar.ValueUnsupported || !fits(f.Type, c.Type) {
			got := f.FileType
			if f.Type != columnar.ValueUnsupported {
				got = f.Type.String()
			}
			return fmt.Errorf("column %q is %s in the file, but %s in table %s", n, got, c.Type, store.Quote(t.Name()))
		}
	}
	return nil
}

// specColumns are the columns of a new table for the file's fields: the
// declarations embeddb stored when it wrote the file, where they still fit
// the column's values, else the fields' own types.
func specColumns(hdr columnar.Header) []store.Column {
	var decls []colDecl
	if s := hdr.Metadata[columnar.MetaColumns]; s != "" {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber() // an INTEGER default stays exact
		if d.Decode(&decls) != nil {
			decls = nil // a damaged declaration: the file's own types
		}
	}
	out := make([]store.Column, 0, len(hdr.Fields))
	for _, f := range hdr.Fields {
		c := store.Column{Name: f.Name, Type: colTypeOf(f.Type)}
		if k := slices.IndexFunc(decls, func(d colDecl) bool { return d.Name == f.Name }); k >= 0 {
			d := decls[k]
			if t, ok := store.ParseColType(d.Type); ok && fits(f.Type, t) {
				c.Type, c.NotNull = t, d.NotNull
				if v, ok := t.Coerce(d.Default); ok {
					c.Default = v
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// wrapped is an error whose message is its own, matching a sentinel
// whose text it does not repeat.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// targetColumn returns the index of t's column that file column n fills:
// the one of that name, else the only one of that name in another case
// (as DuckDB's INSERT ... BY NAME matches names); -1 if none.
func targetColumn(t *store.Table, n string) int {
	if i := t.ColumnIndex(n); i >= 0 {
		return i
	}
	found := -1
	for i, c := range t.Columns() {
		if strings.EqualFold(c.Name, n) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}
