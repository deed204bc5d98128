package exec

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/db/recfile"
	"github.com/embeddb/embeddb/internal/osfile"
	"github.com/embeddb/embeddb/query"
)

// IMPORT and EXPORT of JSON Lines and CSV: rows with their user columns.
// IMPORT into a new table makes it, with a column per field (its type the
// one the file's values share); into an existing table it adds the rows,
// converting each field to its column's type. All in one transaction: a
// bad line changes nothing, and the error names it.

// recordOpts are the bound options of a JSON Lines or CSV IMPORT/EXPORT.
type recordOpts struct {
	format    recfile.Format
	key       string // the field holding the word
	vector    string // the field holding the vector
	replace   bool   // IMPORT: replace an existing table
	overwrite bool   // EXPORT: replace an existing file
}

// recordOptions binds the options if format names JSON Lines or CSV;
// handled is false for any other format.
func (e *env) recordOptions(opts []query.Option, stmt string) (ro recordOpts, handled bool, err error) {
	vals, nodes, err := e.options(opts)
	if err != nil {
		return ro, false, nil // the ordinary statement reports it
	}
	f, _ := vals["format"].(string)
	if ro.format, handled = recfile.ParseFormat(f); !handled {
		return ro, false, nil
	}
	ro.key, ro.vector = "word", "vector"
	for name, v := range vals {
		o := nodes[name]
		switch name {
		case "format":
		case "key", "vector":
			s, ok := v.(string)
			if !ok || s == "" {
				return ro, true, plan.ErrAt(&o, nil, "%s must be a field name in quotes, found %s", name, shown(v))
			}
			if name == "key" {
				ro.key = s
			} else {
				ro.vector = s
			}
		case "replace", "overwrite":
			b, err := parseBool(v)
			if err != nil {
				return ro, true, plan.ErrAt(&o, nil, "%s must be true or false, found %s", name, shown(v))
			}
			ro.replace, ro.overwrite = ro.replace || name == "replace" && b, ro.overwrite || name == "overwrite" && b
		default:
			return ro, true, unknownOption(o, stmt+" of "+ro.format.String(), []string{"format", "key", "vector", "replace", "overwrite"})
		}
	}
	return ro, true, nil
}

// importRecords runs IMPORT of JSON Lines or CSV.
func (e *env) importRecords(s *query.Import) (*Rows, bool, error) {
	ro, handled, err := e.recordOptions(s.Options, "IMPORT")
	if !handled || err != nil {
		return nil, handled, err
	}
	path, err := e.stringArg(s.File, "the file to import")
	if err != nil {
		return nil, true, err
	}
	atLine := func(err error) error {
		if err == nil {
			return nil
		}
		var le *recfile.LineError
		if errors.As(err, &le) {
			return plan.ErrAt(s.File, le, "%s:%d: %v", path, le.Line, le.Err)
		}
		return fileError(s.File, path, err)
	}
	n := int64(0)
	err = e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := e.importTarget(tx, s, path, ro)
		if err != nil {
			return err
		}
		n, err = e.loadRecords(t, path, ro)
		return atLine(err)
	})
	if err != nil {
		return nil, true, err
	}
	return newRows([]string{"table", "rows"}, [][]any{{s.Table.Name, n}}), true, nil
}

// openRecords opens a record file for reading.
func openRecords(path string, f recfile.Format) (*recfile.Reader, io.Closer, error) {
	file, err := osfile.OpenRegular(path)
	if err != nil {
		return nil, nil, osfile.WithReason(err, "IMPORT reads only regular files")
	}
	r, err := recfile.NewReader(file, f)
	if err != nil {
		file.Close()
		return nil, nil, err
	}
	return r, file, nil
}

// importTarget opens the table IMPORT fills, making it (with the file's
// fields as columns) if it does not exist or is replaced.
func (e *env) importTarget(tx *store.Tx, s *query.Import, path string, ro recordOpts) (*store.Table, error) {
	if store.HasTable(tx, s.Table.Name) && !ro.replace {
		return plan.BindTable(tx, s.Table)
	}
	spec, err := e.inferSpec(path, ro)
	if err != nil {
		var le *recfile.LineError
		if errors.As(err, &le) {
			return nil, plan.ErrAt(s.File, le, "%s:%d: %v", path, le.Line, le.Err)
		}
		return nil, fileError(s.File, path, err)
	}
	if store.HasTable(tx, s.Table.Name) {
		if err := tx.DropTable(s.Table.Name); err != nil {
			return nil, plan.At(s.Table, err)
		}
	}
	if err := tx.CreateTable(s.Table.Name, spec); err != nil {
		return nil, plan.At(s.Table, err)
	}
	return store.OpenTable(tx, s.Table.Name)
}

// fieldType is what inference knows of one field: its type so far, and the
// line that settled it.
type fieldType struct {
	typ  store.ColType
	line int
}

// inferSpec reads the file once to find the vectors' length and the type
// of each other field: INTEGER, REAL (integers and reals mixed), BOOLEAN,
// TEXT, or JSON for objects and arrays; TEXT for a field always null.
func (e *env) inferSpec(path string, ro recordOpts) (store.TableSpec, error) {
	r, c, err := openRecords(path, ro.format)
	if err != nil {
		return store.TableSpec{}, err
	}
	defer c.Close()
	spec := store.TableSpec{Provenance: map[string]any{"source": path, "format": ro.format.String()}}
	var order []string
	types := map[string]*fieldType{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return spec, err
		}
		for _, f := range rec.Fields {
			if err := inferField(&spec, ro, rec.Line, f, types, &order); err != nil {
				return spec, &recfile.LineError{Line: rec.Line, Err: err}
			}
		}
	}
	if spec.Dim == 0 {
		return spec, &recfile.LineError{Line: 1, Err: fmt.Errorf("no row has a vector in field %q", ro.vector)}
	}
	for _, name := range order {
		ft := types[name]
		if ft.typ == 0 {
			ft.typ = store.ColText
		}
		spec.Columns = append(spec.Columns, store.Column{Name: name, Type: ft.typ})
	}
	return spec, nil
}

// inferField merges one field of a record into what inference knows.
func inferField(spec *store.TableSpec, ro recordOpts, line int, f recfile.Field, types map[string]*fieldType, order *[]string) error {
	switch f.Name {
	case ro.key, "count":
		return nil
	case ro.vector:
		if spec.Dim == 0 && f.Value != nil {
			v, err := recfile.Vector(f.Value)
			if err != nil {
				return fmt.Errorf("field %q: %v", f.Name, err)
			}
			spec.Dim = len(v)
		}
		return nil
	case "id":
		return nil // a row gets the table's next id
	}
	ft := types[f.Name]
	if ft == nil {
		ft = &fieldType{}
		types[f.Name] = ft
		*order = append(*order, f.Name)
	}
	t := valueType(f.Value, ro.format == recfile.CSV)
	switch {
	case t == 0 || t == ft.typ:
	case ft.typ == 0:
		ft.typ, ft.line = t, line
	case ft.typ == store.ColInteger && t == store.ColReal, ft.typ == store.ColReal && t == store.ColInteger:
		ft.typ = store.ColReal
	case ro.format == recfile.CSV:
		ft.typ = store.ColText // CSV: mixed cells are text
	default:
		return fmt.Errorf("field %q holds %s here but a value of type %s on line %d", f.Name, recfile.Describe(f.Value), ft.typ, ft.line)
	}
	return nil
}

// valueType is the column type a field value suggests; 0 for null.
func valueType(v any, cell bool) store.ColType {
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		return store.ColBoolean
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return store.ColInteger
		}
		return store.ColReal
	case string:
		if !cell {
			return store.ColText
		}
		if _, err := strconv.ParseInt(x, 10, 64); err == nil {
			return store.ColInteger
		}
		if _, err := strconv.ParseFloat(x, 64); err == nil {
			return store.ColReal
		}
		if x == "true" || x == "false" {
			return store.ColBoolean
		}
		return store.ColText
	}
	return store.ColJSON
}

// loadRecords inserts the file's rows into t.
func (e *env) loadRecords(t *store.Table, path string, ro recordOpts) (int64, error) {
	r, c, err := openRecords(path, ro.format)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	// JSON Lines and CSV are inserted in one transaction, into a new table
	// too: a file too large for the limit has to be split.
	tally := loadTally{advice: "split the file into several IMPORTs, or raise the limit"}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return tally.rows, nil
		}
		if err != nil {
			return tally.rows, err
		}
		row, err := recordRow(t, ro, rec)
		if err == nil {
			_, err = t.InsertRow(row, false)
		}
		if err != nil {
			return tally.rows, &recfile.LineError{Line: rec.Line, Err: err}
		}
		if err := e.insertedRow(t, &tally, row.Word); err != nil {
			return tally.rows, err
		}
	}
}

// recordRow converts a record into a row of t.
func recordRow(t *store.Table, ro recordOpts, rec recfile.Record) (store.Row, error) {
	row := store.Row{Cols: map[string]any{}}
	for _, f := range rec.Fields {
		var err error
		switch f.Name {
		case ro.key:
			row.Word, err = recordWord(f.Value)
		case ro.vector:
			row.Vector, err = recfile.Vector(f.Value)
		case "count":
			row.Count, err = recordCount(f.Value)
		case "id":
		default:
			err = recordColumn(t, f, row.Cols, ro.format == recfile.CSV)
		}
		if err != nil {
			return row, fmt.Errorf("field %q: %w", f.Name, err)
		}
	}
	if row.Word == "" {
		return row, fmt.Errorf("no key: field %q is missing or empty (WITH (key = 'field') names another)", ro.key)
	}
	if row.Vector == nil {
		return row, fmt.Errorf("row %s has no vector: field %q is missing (WITH (vector = 'field') names another)", store.Quote(row.Word), ro.vector)
	}
	return row, nil
}

// recordWord reads the key field: text, or a number written as text.
func recordWord(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return string(x), nil
	}
	return "", fmt.Errorf("the key must be text or a number, found %s", recfile.Describe(v))
}

func recordCount(v any) (int64, error) {
	n, ok := store.ColInteger.Coerce(cellNumber(v))
	if c, isInt := n.(int64); ok && isInt && c >= 0 {
		return c, nil
	}
	return 0, fmt.Errorf("count must be a non-negative integer, found %s", recfile.Describe(v))
}

// cellNumber turns a CSV cell that is a number into a json.Number.
func cellNumber(v any) any {
	if s, ok := v.(string); ok {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	}
	return v
}

// recordColumn converts a field to its user column's type into cols.
func recordColumn(t *store.Table, f recfile.Field, cols map[string]any, cell bool) error {
	i := t.ColumnIndex(f.Name)
	if i < 0 {
		names := []string{}
		for _, c := range t.Columns() {
			names = append(names, c.Name)
		}
		msg := fmt.Sprintf("table %s has no such column", t.Name())
		if alt := plan.SuggestName(f.Name, names); alt != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", alt)
		}
		return errors.Join(store.ErrNoColumn, errors.New(msg))
	}
	col := t.Columns()[i]
	v := f.Value
	switch {
	case cell && v != nil:
		v = cellValue(col.Type, v.(string))
	case col.Type == store.ColJSON && v != nil:
		b, _ := json.Marshal(v)
		v = string(b)
	}
	cv, err := col.CheckValue(v)
	if err != nil {
		return err
	}
	cols[f.Name] = cv
	return nil
}

// cellValue reads a CSV cell as a value of type t, where it can.
func cellValue(t store.ColType, s string) any {
	switch t {
	case store.ColInteger, store.ColReal:
		return cellNumber(s)
	case store.ColBoolean:
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	return s
}

// exportRecords runs EXPORT to JSON Lines or CSV: word, count (for
// trained tables), vector, then the user columns.
func (e *env) exportRecords(s *query.Export) (*Rows, bool, error) {
	ro, handled, err := e.recordOptions(s.Options, "EXPORT")
	if !handled || err != nil {
		return nil, handled, err
	}
	path, err := e.stringArg(s.File, "the file to export to")
	if err != nil {
		return nil, true, err
	}
	var n int64
	err = e.st.View(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if err := e.refuseOpenDB(s.File, path); err != nil {
			return err
		}
		n, err = e.writeRecords(t, path, ro)
		if errors.Is(err, fs.ErrExist) {
			return plan.ErrAt(s.File, err, "cannot export to %s: the file exists; EXPORT ... WITH (overwrite = true) replaces it", path)
		}
		return plan.At(s.File, err)
	})
	if err != nil {
		return nil, true, err
	}
	return newRows([]string{"table", "rows", "file"}, [][]any{{s.Table.Name, n, path}}), true, nil
}

// writeRecords writes t's rows to path, through a temporary file renamed
// into place once complete.
func (e *env) writeRecords(t *store.Table, path string, ro recordOpts) (int64, error) {
	if _, err := os.Lstat(path); err == nil && !ro.overwrite {
		return 0, fs.ErrExist
	}
	tmp, err := os.CreateTemp(dirOf(path), ".embeddb-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	names, kinds := recordNames(t, ro)
	w, err := recfile.NewWriter(tmp, ro.format, names)
	if err != nil {
		tmp.Close()
		return 0, err
	}
	n, err := e.writeRows(t, w, kinds)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return n, err
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// recordNames are the fields of an exported record, and for each user
// column its type (0 for the fixed fields).
func recordNames(t *store.Table, ro recordOpts) ([]string, []store.ColType) {
	names := []string{ro.key}
	if t.Info().Kind == "trained" {
		names = append(names, "count")
	}
	names = append(names, ro.vector)
	kinds := make([]store.ColType, len(names))
	for _, c := range t.Columns() {
		names = append(names, c.Name)
		kinds = append(kinds, c.Type)
	}
	return names, kinds
}

// writeRows writes every live row of t.
func (e *env) writeRows(t *store.Table, w *recfile.Writer, kinds []store.ColType) (int64, error) {
	readers := make([]*store.ColumnReader, 0, len(t.Columns()))
	for _, c := range t.Columns() {
		r, err := t.ColumnReader(c.Name)
		if err != nil {
			return 0, err
		}
		readers = append(readers, r)
	}
	fixed := len(kinds) - len(readers)
	var n int64
	err := t.ForEachRow(0, true, func(r store.Row) error {
		vals := []any{r.Word}
		if fixed == 3 {
			vals = append(vals, r.Count)
		}
		vals = append(vals, r.Vector)
		for i, rd := range readers {
			v, err := rd.Value(r.ID)
			if err != nil {
				return err
			}
			if s, ok := v.(string); ok && kinds[fixed+i] == store.ColJSON {
				v = recfile.RawJSON(s)
			}
			vals = append(vals, v)
		}
		if n++; n%4096 == 0 {
			if err := e.ctx.Err(); err != nil {
				return err
			}
		}
		return w.Write(vals)
	})
	return n, err
}
