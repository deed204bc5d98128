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

// insertBatch is how many rows an INSERT reads, evaluates and writes at a
// time: between batches it checks its context.
const insertBatch = 1024

// txMemory is what a statement that writes rows in one transaction
// (INSERT; IMPORT of JSON Lines or CSV, or of a Parquet or Arrow file into
// a table that exists) has written: its rows, and the memory its
// transaction holds until the commit (rowCost), which Options.MemoryLimit
// bounds.
type txMemory struct {
	rows  int64
	bytes int64
}

// add counts a row with word written into t.
func (m *txMemory) add(t *store.Table, word string) {
	m.rows++
	m.bytes += rowCost(len(word), t.RowBytes())
}

// check fails the statement, verb ("INSERT INTO") and table t, when its
// transaction holds more than limit (0: no limit); advice says how to load
// more.
func (m *txMemory) check(limit int64, verb string, t *store.Table, advice string) error {
	if limit <= 0 || m.bytes <= limit {
		return nil
	}
	return store.TooLarge(verb+" "+t.Name()+": the transaction holding its first "+strconv.FormatInt(m.rows, 10)+" rows",
		m.bytes, limit, advice)
}

// A loadTally is what a load that inserts rows in one transaction has
// written, and how to load more when that passes the memory limit.
type loadTally struct {
	txMemory
	advice string
}

// insertedRow is called by a load after each row it inserts into t, with
// the row's word. It fails the load when its transaction would hold more
// than the memory limit, and ends a batch every insertBatch rows
// (batchEnd).
func (e *env) insertedRow(t *store.Table, l *loadTally, word string) error {
	l.add(t, word)
	if err := l.check(e.st.MemoryLimit(), "IMPORT INTO", t, l.advice); err != nil {
		return err
	}
	return e.batchEnd(t, l.rows)
}

// batchEnd is called by a statement that inserts rows one by one into t,
// after its rows-th: at the end of every insertBatch rows it stops for a
// cancelled context and hands the changed chunks to bbolt (encoded, a
// row's word and count take a third of their decoded form).
func (e *env) batchEnd(t *store.Table, rows int64) error {
	if rows%insertBatch != 0 {
		return nil
	}
	if err := e.ctx.Err(); err != nil {
		return err
	}
	return t.FlushChunks()
}

// rowSource hands an INSERT its rows, up to max at a time, and none at the
// end: the parsed statement's Rows, or a query.Script reading them as it
// goes.
type rowSource func(max int) ([]query.Row, error)

// rowsOf returns a rowSource over rows held in full.
func rowsOf(rows []query.Row) rowSource {
	return func(max int) ([]query.Row, error) {
		n := min(max, len(rows))
		batch := rows[:n]
		rows = rows[n:]
		return batch, nil
	}
}

// insert runs INSERT [OR REPLACE] INTO t [(cols)] VALUES (...), ...: each
// row is (word, vector), (word, count, vector), or the listed columns.
func (e *env) insert(s *query.Insert) (*Rows, error) {
	return e.insertFrom(s, rowsOf(s.Rows))
}

// insertFrom runs an INSERT whose rows come from next. All of them are
// written in one transaction, so that a statement that fails, even in its
// last row, changes nothing; rows are dropped once written, so that the
// memory held is what the transaction holds, which Options.MemoryLimit
// bounds.
func (e *env) insertFrom(s *query.Insert, next rowSource) (*Rows, error) {
	if s.Select != nil {
		return e.insertSelect(s) // insertselect.go
	}
	cols, err := insertColumns(s)
	if err != nil {
		return nil, err
	}
	n := 0
	err = e.st.Update(e.ctx, func(tx *store.Tx) error {
		t, err := plan.BindTable(tx, s.Table)
		if err != nil {
			return err
		}
		if err := checkInsertColumns(s, t); err != nil {
			return err
		}
		w := &rowWriter{sc: &scope{e: e, t: t}, t: t, s: s, cols: cols}
		for {
			batch, err := next(insertBatch)
			if err != nil || len(batch) == 0 {
				return err
			}
			for i := range batch {
				if err := w.write(&batch[i]); err != nil {
					return err
				}
				n++
				// After each row, not each batch: a batch of rows of
				// 65536 dimensions is 256 MiB.
				if err := w.checkMemory(e.st.MemoryLimit()); err != nil {
					return err
				}
			}
			if err := e.ctx.Err(); err != nil {
				return err
			}
			// Hand the changed chunks to bbolt now: encoded, a row's word
			// and count take a third of their decoded form.
			if err := t.FlushChunks(); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return message("inserted", int64(n)), nil
}

// insertColumns returns the columns an INSERT lists, checked; nil when it
// lists none, and each row's length then says which columns it has.
func insertColumns(s *query.Insert) ([]string, error) {
	if len(s.Columns) == 0 {
		return nil, nil
	}
	var cols []string
	seen := map[string]bool{}
	for _, c := range s.Columns {
		switch c.Name {
		case "word", "count", "vector":
		case "id":
			return nil, plan.ErrAt(c, nil, "id cannot be set: rows get the table's next id")
		}
		if seen[c.Name] {
			return nil, plan.ErrAt(c, nil, "column %s listed twice", store.Quote(c.Name))
		}
		seen[c.Name] = true
		cols = append(cols, c.Name)
	}
	return cols, nil
}

var (
	wordVector      = []string{"word", "vector"}
	wordCountVector = []string{"word", "count", "vector"}
)

// rowWriter evaluates and writes the rows of one INSERT.
type rowWriter struct {
	sc   *scope
	t    *store.Table
	s    *query.Insert
	cols []string // the listed columns, or nil
	mem  txMemory // the rows written so far
}

// write evaluates row r and adds it to the table.
func (w *rowWriter) write(r *query.Row) error {
	cols := w.cols
	switch {
	case cols != nil:
	case len(r.Values) == 3:
		cols = wordCountVector
	default:
		cols = wordVector
	}
	if len(r.Values) != len(cols) {
		return plan.ErrAt(r, nil, "the row has %d %s, expected %d (%s)", len(r.Values), plural(len(r.Values), "value"), len(cols), strings.Join(cols, ", "))
	}
	row, err := w.eval(r, cols)
	if err != nil {
		return err
	}
	return w.put(r, row)
}

// put adds an evaluated row to the table; errors are positioned at r.
func (w *rowWriter) put(r query.Node, row store.Row) error {
	t := w.t
	if len(row.Vector) != t.Dim() {
		return plan.ErrAt(r, &store.DimensionError{Table: t.Name(), Want: t.Dim(), Got: len(row.Vector)},
			"table %s has dimension %d, got a vector of length %d", t.Name(), t.Dim(), len(row.Vector))
	}
	if _, err := t.InsertRow(row, w.s.OrReplace); err != nil {
		switch {
		case errors.Is(err, store.ErrNotNull):
			return columnValueError(r, err)
		case errors.Is(err, store.ErrWordExists):
			return plan.ErrAt(r, store.ErrWordExists, "word %s is already in %s (use INSERT OR REPLACE to overwrite it)", store.Quote(row.Word), t.Name())
		case errors.Is(err, store.ErrInvalidName) && row.Word == "":
			return plan.ErrAt(r, store.ErrInvalidName, "a word cannot be empty")
		case errors.Is(err, store.ErrInvalidName) && len(row.Word) > store.MaxWordLen:
			return plan.ErrAt(r, store.ErrInvalidName, "word %s is %d bytes long, over the limit of %d", store.Quote(row.Word), len(row.Word), store.MaxWordLen)
		case errors.Is(err, store.ErrInvalidName):
			return plan.ErrAt(r, store.ErrInvalidName, "invalid word %s: %s", store.Quote(row.Word), strings.TrimPrefix(err.Error(), store.ErrInvalidName.Error()+": "))
		}
		return plan.At(r, err)
	}
	w.mem.add(t, row.Word)
	return nil
}

// eval evaluates the values of row r, which are the columns cols.
func (w *rowWriter) eval(r *query.Row, cols []string) (store.Row, error) {
	var row store.Row
	for i, c := range cols {
		x := r.Values[i]
		v, err := w.sc.eval(x)
		if err != nil {
			return store.Row{}, err
		}
		if err := w.assign(&row, c, x, v); err != nil {
			return store.Row{}, err
		}
	}
	return row, nil
}

// rowCost estimates what a row written in a transaction holds until the
// commit: its vector in the chunk being changed and again in the page
// bbolt writes it to, its word in the row chunk and in the words index
// (key copies, nodes and pages), and some fixed overhead per entry.
func rowCost(wordLen, rowBytes int) int64 {
	return int64(2*rowBytes + 4*wordLen + 160)
}

// checkMemory fails the INSERT when what its transaction holds passes the
// memory limit (0: none).
func (w *rowWriter) checkMemory(limit int64) error {
	err := w.mem.check(limit, "INSERT INTO", w.t,
		"insert the rows in several statements, load them from a file with IMPORT, or raise the limit")
	if err != nil {
		return plan.At(w.s, err)
	}
	return nil
}

// plural returns noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// checkInsertColumns checks that the user columns an INSERT lists are
// columns of t.
func checkInsertColumns(s *query.Insert, t *store.Table) error {
	if len(s.Columns) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, c := range s.Columns {
		seen[c.Name] = true
		if plan.IsColumn(c.Name) || t.ColumnIndex(c.Name) >= 0 {
			continue
		}
		settable := []string{"word", "count", "vector"}
		for _, uc := range t.Columns() {
			settable = append(settable, uc.Name)
		}
		msg := fmt.Sprintf("unknown column %s", store.Quote(c.Name))
		if alt := plan.SuggestName(c.Name, settable); alt != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", alt)
		} else {
			msg += " (INSERT sets " + joinAnd(settable) + ")"
		}
		return plan.ErrAt(c, errNoColumn, "%s", msg)
	}
	if !seen["word"] || !seen["vector"] {
		return plan.ErrAt(s.Table, nil, "INSERT needs a word and a vector for each row")
	}
	return nil
}

// joinAnd joins words as a sentence does: "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// setColumn checks value v, given by x, for user column name of the row.
func (w *rowWriter) setColumn(row *store.Row, name string, x query.Node, v any) error {
	c := &w.t.Columns()[w.t.ColumnIndex(name)]
	cv, err := c.CheckValue(v)
	if errors.Is(err, store.ErrNotNull) && row.Word != "" {
		err = store.NotNullError(row.Word, name)
	}
	if err != nil {
		return columnValueError(x, err)
	}
	if row.Cols == nil {
		row.Cols = make(map[string]any, len(w.t.Columns()))
	}
	row.Cols[name] = cv
	return nil
}

// assign sets column c of row to v, the value of x, checked.
func (w *rowWriter) assign(row *store.Row, c string, x query.Node, v any) error {
	switch c {
	case "word":
		s, ok := v.(string)
		if !ok {
			return plan.ErrAt(x, nil, "word must be a string, found %s", describeValue(v))
		}
		row.Word = s
	case "count":
		n, ok := toInt(v)
		if !ok || n < 0 {
			return plan.ErrAt(x, nil, "count must be a non-negative integer, found %s", describeArg(v))
		}
		row.Count = n
	case "vector":
		vec, ok := v.([]float32)
		if !ok {
			return plan.ErrAt(x, nil, "vector must be a vector such as [0.1, 0.2], found %s", describeValue(v))
		}
		row.Vector = vec
	default:
		return w.setColumn(row, c, x, v)
	}
	return nil
}
