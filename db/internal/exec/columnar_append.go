package exec

import (
	"errors"
	"fmt"
	"time"

	"github.com/embeddb/embeddb/db/columnar"
	"github.com/embeddb/embeddb/db/internal/plan"
	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/query"
)

// IMPORT of a Parquet or Arrow file into a table that exists (and is not
// replaced) adds the file's rows to it, as COPY t FROM 'x.parquet' does in
// DuckDB and as IMPORT of JSON Lines does here: the file's columns map by
// name onto the table's (columnar_cols.go), the vectors must have the
// table's dimension, and a word the table has already is an error (or
// skipped, WITH (duplicates = 'skip')). The rows go in through INSERT's
// path, in one transaction: a bad row changes nothing, and the table's
// indexes follow. Unlike a new table's load, that transaction holds the
// rows added until it commits.

// tableExists reports whether a table is named name.
func (e *env) tableExists(name string) bool {
	found := false
	e.st.View(e.ctx, func(tx *store.Tx) error {
		found = store.HasTable(tx, name)
		return nil
	})
	return found
}

// appendColumnar runs IMPORT into an existing table.
func (e *env) appendColumnar(s *query.Import, path string, format columnar.Format, co *columnarOpts, fo *fileOpts) (*Rows, error) {
	for _, o := range s.Options {
		if o.Name == "type" || o.Name == "metric" {
			return nil, plan.ErrAt(&o, nil, "%s is a new table's; table %s exists (WITH (replace = true) makes it anew)", o.Name, store.Quote(s.Table.Name))
		}
	}
	if format == columnar.Spark {
		return nil, plan.ErrAt(s.Table, store.ErrTableExists, "table %s already exists (IMPORT ... WITH (replace = true) replaces it)", store.Quote(s.Table.Name))
	}
	start := time.Now()
	var added, skipped, dim int64
	var elem string
	err := e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		r, err := columnar.Open(path, columnar.ReadOptions{Format: format, Vector: co.vector, Key: co.key, Limit: int64(fo.limit),
			Columns: columnChooser(co.columns, t)})
		if err != nil {
			return columnarError(s.File, path, err)
		}
		defer r.Close()
		dim, elem = int64(t.Dim()), t.Elem().String()
		if d := r.Header().Dim; d != t.Dim() {
			return plan.ErrAt(s.File, &store.DimensionError{Table: t.Name(), Want: t.Dim(), Got: d},
				"%s: the vectors have %d elements, table %s's %d", path, d, store.Quote(t.Name()), t.Dim())
		}
		added, skipped, err = e.appendRows(r, t, fo.duplicates == vecfile.DuplicatesSkip)
		if err != nil {
			return columnarError(s.File, path, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return newRows([]string{"table", "rows", "dim", "type", "format", "skipped", "seconds"}, [][]any{{
		s.Table.Name, added, dim, elem, format.String(), skipped, roundTo(time.Since(start).Seconds(), 3)}}), nil
}

// appendRows inserts the rows r reads into t; skip skips a word t has.
func (e *env) appendRows(r *columnar.Reader, t *store.Table, skip bool) (added, skipped int64, err error) {
	hdr := r.Header()
	fileElem := fromFileDType(hdr.Elem)
	size := hdr.Dim * hdr.Elem.Size()
	names := make([]string, len(hdr.Fields)) // the table's names of the file's columns
	for j, f := range hdr.Fields {
		names[j] = t.Columns()[targetColumn(t, f.Name)].Name
	}
	tally := loadTally{advice: "import the file into a new table (a bulk load, which commits as it goes), or raise the limit"}
	err = r.Read(e.ctx, func(b *columnar.Batch) error {
		for i, word := range b.Words {
			row := store.Row{Word: word, Vector: make([]float32, hdr.Dim)}
			store.DecodeVector(row.Vector, b.Data[i*size:(i+1)*size], fileElem)
			if b.Counts != nil {
				row.Count = b.Counts[i]
			}
			if len(hdr.Fields) > 0 {
				row.Cols = make(map[string]any, len(hdr.Fields))
				for j, name := range names {
					row.Cols[name] = b.Columns[j][i]
				}
			}
			_, err := t.InsertRow(row, false)
			if skip && errors.Is(err, store.ErrWordExists) {
				skipped++
				continue
			}
			if err != nil {
				return &wrapped{fmt.Sprintf("row %d: %s", b.Start+int64(i)+1, trimPrefix(err.Error(), "db: ")), err}
			}
			added++
			if err := e.insertedRow(t, &tally, word); err != nil {
				return err
			}
		}
		return nil
	})
	return added, skipped, err
}
