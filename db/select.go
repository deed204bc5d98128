package db

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/embeddb/embeddb/query"
	bolt "go.etcd.io/bbolt"
)

// selectStmt runs a SELECT. Its shapes:
//
//   - SELECT NEAREST(...) / TOKENS(...) / EMBED(...) FROM t [WHERE ...]: the
//     rows the function returns (WHERE filters NEAREST's candidates);
//   - a select list with aggregates (COUNT): one row;
//   - a select list that uses no column, without WHERE: one row, evaluated
//     once (SELECT SIMILARITY('a', 'b') FROM t, SELECT 1 + 1);
//   - otherwise one row per row of t that satisfies WHERE.
//
// ORDER BY, LIMIT and OFFSET apply to the rows produced.
func (e *env) selectStmt(s *query.Select) (*Rows, error) {
	if s.From == nil {
		if err := noColumns(s); err != nil {
			return nil, err
		}
		sc := &scope{e: e}
		cols, row, err := sc.project(s.Items)
		if err != nil {
			return nil, err
		}
		return e.finish(s, cols, [][]any{row})
	}
	var out *Rows
	streamIt := false
	err := e.d.view(e.ctx, func(tx *bolt.Tx) error {
		t, err := e.table(tx, s.From)
		if err != nil {
			return err
		}
		sc := &scope{e: e, t: t}
		if call, ok := tableFunc(s); ok {
			cols, rows, err := sc.tableFunction(call, s.Where)
			if err != nil {
				return err
			}
			out, err = e.finish(s, cols, rows)
			return err
		}
		if agg, err := hasAggregate(s); err != nil {
			return err
		} else if agg {
			out, err = sc.aggregate(s)
			return err
		}
		if s.Where == nil && !usesColumns(s) {
			cols, row, err := sc.project(s.Items)
			if err != nil {
				return err
			}
			out, err = e.finish(s, cols, [][]any{row})
			return err
		}
		if len(s.OrderBy) == 0 {
			streamIt = true // outside this transaction: see stream
			return nil
		}
		out, err = sc.scan(s)
		return err
	})
	if err == nil && streamIt {
		return e.stream(s)
	}
	return out, err
}

// table opens the table a statement names, with a positioned error that
// suggests a near name when there is no such table.
func (e *env) table(tx *bolt.Tx, tn *query.TableName) (*table, error) {
	var t *table
	var err error
	if tx.Writable() {
		t, err = openTable(tx, tn.Name)
	} else {
		t, err = e.d.openTableCached(tx, tn.Name)
	}
	if errors.Is(err, ErrNoTable) {
		msg := fmt.Sprintf("unknown table %s", quote(tn.Name))
		names, _, _ := catalog(tx)
		if alt := suggestName(tn.Name, names); alt != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", alt)
		}
		return nil, errAt(tn, ErrNoTable, "%s", msg)
	}
	return t, at(tn, err)
}

// tableFunction runs NEAREST, TOKENS or EMBED.
func (s *scope) tableFunction(call *query.Call, where query.Expr) ([]string, [][]any, error) {
	switch call.Name {
	case "NEAREST":
		rows, err := s.nearest(call, where)
		if err == nil && s.t.meta.Blobs[blobTokenizer] != "" {
			return s.readableNearest(call, rows)
		}
		return []string{"word", "similarity"}, rows, err
	}
	if where != nil {
		return nil, nil, errAt(where, nil, "%s takes no WHERE", call.Name)
	}
	if call.Name == "NEAREST_COSMUL" {
		rows, err := s.nearestCosmul(call)
		return []string{"word", "similarity"}, rows, err
	}
	return s.tokens(call)
}

// noColumns checks that a SELECT without FROM uses no column.
func noColumns(s *query.Select) error {
	var bad query.Node
	for i := range s.Items {
		if s.Items[i].Star {
			return errAt(&s.Items[i], nil, "SELECT * needs a FROM table")
		}
		query.Walk(s.Items[i].Expr, func(n query.Node) bool {
			if id, ok := n.(*query.Ident); ok && isColumn(id.Name) && bad == nil {
				bad = n
			}
			return bad == nil
		})
	}
	if bad != nil {
		return errAt(bad, nil, "column %s needs a FROM table", bad)
	}
	if s.Where != nil {
		return errAt(s.Where, nil, "WHERE needs a FROM table")
	}
	return nil
}

// usesColumns reports whether the select list reads the rows of the table.
func usesColumns(s *query.Select) bool {
	found := false
	for i := range s.Items {
		if s.Items[i].Star {
			return true
		}
		query.Walk(s.Items[i].Expr, func(n query.Node) bool {
			if id, ok := n.(*query.Ident); ok && isColumn(id.Name) {
				found = true
			}
			return !found
		})
	}
	return found
}

// hasAggregate reports whether the select list uses COUNT; then every item
// must be an aggregate or a constant.
func hasAggregate(s *query.Select) (bool, error) {
	agg := false
	for i := range s.Items {
		if c, ok := s.Items[i].Expr.(*query.Call); ok && c.Name == "COUNT" {
			agg = true
		}
	}
	if !agg {
		return false, nil
	}
	for i := range s.Items {
		it := &s.Items[i]
		if c, ok := it.Expr.(*query.Call); ok && c.Name == "COUNT" {
			continue
		}
		if it.Star || usesColumns(&query.Select{Items: []query.SelectItem{*it}}) {
			return false, errAt(it, nil, "cannot mix COUNT with per-row values in one select list")
		}
	}
	return true, nil
}

// columnName is the name of an item's column: its alias, a column's name, a
// function's name in lower case, or the expression's text.
func columnName(it *query.SelectItem) string {
	if it.Alias != "" {
		return it.Alias
	}
	switch x := it.Expr.(type) {
	case *query.Ident:
		return x.Name
	case *query.Call:
		return strings.ToLower(x.Name)
	}
	return it.Expr.String()
}

// project evaluates the select list once (in the scope's current row).
func (s *scope) project(items []query.SelectItem) ([]string, []any, error) {
	var cols []string
	var row []any
	for i := range items {
		it := &items[i]
		if it.Star {
			cols = append(cols, columns...)
			for _, c := range columns {
				v, err := s.column(&query.Ident{Pos: it.Pos, Name: c})
				if err != nil {
					return nil, nil, err
				}
				row = append(row, v)
			}
			continue
		}
		v, err := s.eval(it.Expr)
		if err != nil {
			return nil, nil, err
		}
		cols = append(cols, columnName(it))
		row = append(row, v)
	}
	return cols, row, nil
}

// aggregate runs a SELECT of COUNT(*) / COUNT(expr) and constants.
func (s *scope) aggregate(sel *query.Select) (*Rows, error) {
	counts := make([]int64, len(sel.Items))
	// COUNT(*) without WHERE is the table's row count: no scan.
	needScan := sel.Where != nil
	for i := range sel.Items {
		if c, ok := sel.Items[i].Expr.(*query.Call); ok && c.Name == "COUNT" {
			if !c.Star && len(c.Args) != 1 {
				return nil, errAt(c, nil, "COUNT expects * or 1 argument, got %d", len(c.Args))
			}
			if !c.Star {
				needScan = true
			}
		}
	}
	if !needScan {
		for i := range counts {
			counts[i] = s.t.meta.Rows
		}
	} else {
		withVec := refersTo(sel, "vector")
		row := &scope{e: s.e, t: s.t, row: &rowRef{}}
		err := s.t.forEachRow(0, withVec, func(r Row) error {
			*row.row = rowRef{id: r.ID, word: r.Word, count: r.Count, vec: r.Vector}
			if sel.Where != nil {
				ok, err := row.truthy(sel.Where)
				if err != nil || !ok {
					return err
				}
			}
			for i := range sel.Items {
				c, ok := sel.Items[i].Expr.(*query.Call)
				if !ok || c.Name != "COUNT" {
					continue
				}
				if c.Star {
					counts[i]++
					continue
				}
				v, err := row.eval(c.Args[0])
				if err != nil {
					return err
				}
				if v != nil {
					counts[i]++
				}
			}
			return s.e.ctx.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	var cols []string
	var vals []any
	for i := range sel.Items {
		it := &sel.Items[i]
		cols = append(cols, columnName(it))
		if c, ok := it.Expr.(*query.Call); ok && c.Name == "COUNT" {
			vals = append(vals, counts[i])
			continue
		}
		v, err := s.eval(it.Expr)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return s.e.finish(sel, cols, [][]any{vals})
}

// refersTo reports whether the statement mentions column name anywhere.
func refersTo(s *query.Select, name string) bool {
	found := false
	query.Walk(s, func(n query.Node) bool {
		if id, ok := n.(*query.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// eachRow calls emit with the projected values of every row of the table
// that satisfies WHERE, in id order, and with its ORDER BY keys when
// withKeys. emit returning errStop ends the walk early without error.
func (s *scope) eachRow(sel *query.Select, withKeys bool, emit func(vals, keys []any) error) error {
	withVec := refersTo(sel, "vector") || hasStar(sel)
	row := &scope{e: s.e, t: s.t, row: &rowRef{}}
	n := 0
	visit := func(r Row) error {
		if n++; n%4096 == 0 {
			if err := s.e.ctx.Err(); err != nil {
				return err
			}
		}
		*row.row = rowRef{id: r.ID, word: r.Word, count: r.Count, vec: r.Vector}
		if sel.Where != nil {
			ok, err := row.truthy(sel.Where)
			if err != nil || !ok {
				return err
			}
		}
		cols, vals, err := row.project(sel.Items)
		if err != nil {
			return err
		}
		var keys []any
		if withKeys {
			if keys, err = row.orderKeys(sel, cols, vals); err != nil {
				return err
			}
		}
		return emit(vals, keys)
	}
	ids, indexed, err := s.accessPath(sel.Where)
	if err != nil {
		return err
	}
	if !indexed {
		err = s.t.forEachRow(0, withVec, visit)
	} else {
		for _, id := range ids {
			r, lerr := s.t.lookupID(id)
			if errors.Is(lerr, ErrNoWord) {
				continue
			}
			if err = lerr; err == nil {
				if !withVec {
					r.Vector = nil
				}
				err = visit(r)
			}
			if err != nil {
				break
			}
		}
	}
	if err == errStop {
		return nil
	}
	return err
}

// scan runs a per-row SELECT with ORDER BY: every row is needed before the
// first can be given.
func (s *scope) scan(sel *query.Select) (*Rows, error) {
	limit, offset, err := s.e.limits(sel)
	if err != nil {
		return nil, err
	}
	var rows, keys [][]any
	err = s.eachRow(sel, true, func(vals, k []any) error {
		rows, keys = append(rows, vals), append(keys, k)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortByKeys(rows, keys, sel.OrderBy)
	return newRows(itemNames(sel), window(rows, offset, limit)), nil
}

// stream runs a per-row SELECT without ORDER BY: rows are produced as they
// are read, in a read transaction that lives until the Rows is closed or
// exhausted, so a query over a large table needs no memory for the whole
// result. The first row (or error) is read before stream returns, so that
// an error in the statement is returned at once.
func (e *env) stream(sel *query.Select) (*Rows, error) {
	limit, offset, err := e.limits(sel)
	if err != nil {
		return nil, err
	}
	type item struct {
		vals []any
		err  error
	}
	ch := make(chan item, 64)
	st, err := e.d.openStream(e.ctx)
	if err != nil {
		return nil, err
	}
	done := st.done
	go func() {
		defer close(ch)
		var skipped, sent int64
		cut := false // ended by done, before the last row
		err := e.d.view(st.ctx, func(tx *bolt.Tx) error {
			t, err := e.table(tx, sel.From)
			if err != nil {
				return err
			}
			sc := &scope{e: e, t: t}
			return sc.eachRow(sel, false, func(vals, _ []any) error {
				if skipped < offset {
					skipped++
					return nil
				}
				if limit >= 0 && sent >= limit {
					return errStop
				}
				select {
				case ch <- item{vals: vals}:
					sent++
					return nil
				case <-done:
					cut = true
					return errStop
				}
			})
		})
		if err == nil && !cut {
			st.finished.Store(true) // every row was sent: a later Close cuts nothing
		}
		if err != nil {
			select {
			case ch <- item{err: err}:
			case <-done:
			}
		}
	}()
	release := func() {
		st.end(false)
		for range ch { // let the producer end its transaction
		}
		e.d.closeStream(st)
	}
	first, ok := <-ch
	if ok && first.err != nil {
		release()
		return nil, first.err
	}
	pending := &first
	if !ok {
		pending = nil
	}
	next := func() ([]any, error) {
		if pending != nil {
			it := pending
			pending = nil
			return it.vals, nil
		}
		it, ok := <-ch
		if !ok {
			if st.closedDB.Load() && !st.finished.Load() {
				return nil, ErrClosed
			}
			return nil, nil
		}
		return it.vals, it.err
	}
	return &Rows{cols: itemNames(sel), next: next, release: release, i: -1}, nil
}

func hasStar(s *query.Select) bool {
	for _, it := range s.Items {
		if it.Star {
			return true
		}
	}
	return false
}

// itemNames gives the column names of a select list without evaluating it
// (for an empty result).
func itemNames(s *query.Select) []string {
	var cols []string
	for i := range s.Items {
		if s.Items[i].Star {
			cols = append(cols, columns...)
		} else {
			cols = append(cols, columnName(&s.Items[i]))
		}
	}
	return cols
}

// accessPath finds rows through the words index instead of a full scan when
// a top-level condition of WHERE allows: word = 'x', word IN (...), word
// LIKE 'prefix%', id = n, id IN (...). The full WHERE is still applied to
// each row found. ok is false when the table must be scanned.
func (s *scope) accessPath(where query.Expr) (ids []uint32, ok bool, err error) {
	for _, c := range conjuncts(where) {
		switch c := c.(type) {
		case *query.Binary:
			if c.Op != query.OpEq {
				continue
			}
			col, val := c.L, c.R
			if _, isCol := val.(*query.Ident); isCol {
				col, val = val, col
			}
			id, isIdent := col.(*query.Ident)
			if !isIdent || (id.Name != "word" && id.Name != "id") || !isConst(val) {
				continue
			}
			return s.lookupValues(id.Name, []query.Expr{val})
		case *query.In:
			id, isIdent := c.X.(*query.Ident)
			if c.Not || !isIdent || (id.Name != "word" && id.Name != "id") {
				continue
			}
			allConst := true
			for _, v := range c.List {
				allConst = allConst && isConst(v)
			}
			if allConst {
				return s.lookupValues(id.Name, c.List)
			}
		case *query.Like:
			id, isIdent := c.X.(*query.Ident)
			if c.Not || !isIdent || id.Name != "word" || !isConst(c.Pattern) {
				continue
			}
			v, err := s.eval(c.Pattern)
			if err != nil {
				return nil, false, err
			}
			p, isStr := v.(string)
			if !isStr {
				continue
			}
			prefix, ok := likePrefix(p)
			if !ok {
				continue
			}
			err = s.t.words().scan(prefix, func(w []byte, id uint32) bool {
				if !bytes.HasPrefix(w, []byte(prefix)) {
					return false
				}
				ids = append(ids, id)
				return true
			})
			if err != nil {
				return nil, false, err
			}
			slices.Sort(ids)
			return ids, true, nil
		}
	}
	return nil, false, nil
}

func (s *scope) lookupValues(col string, vals []query.Expr) ([]uint32, bool, error) {
	var ids []uint32
	for _, x := range vals {
		v, err := s.eval(x)
		if err != nil {
			return nil, false, err
		}
		switch col {
		case "word":
			if w, ok := v.(string); ok {
				id, ok, err := s.t.wordID(w)
				if err != nil {
					return nil, false, err
				}
				if ok {
					ids = append(ids, id)
				}
			}
		case "id":
			if n, ok := toInt(v); ok && n >= 0 && n < 1<<32 {
				ids = append(ids, uint32(n))
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), true, nil
}

// conjuncts splits a condition at its top-level ANDs.
func conjuncts(x query.Expr) []query.Expr {
	if b, ok := x.(*query.Binary); ok && b.Op == query.OpAnd {
		return append(conjuncts(b.L), conjuncts(b.R)...)
	}
	if x == nil {
		return nil
	}
	return []query.Expr{x}
}

// isConst reports whether x needs no row to evaluate.
func isConst(x query.Expr) bool {
	switch x.(type) {
	case *query.NumberLit, *query.StringLit, *query.Param, *query.BoolLit:
		return true
	}
	return false
}

// limits evaluates LIMIT and OFFSET; limit is -1 when absent.
func (e *env) limits(s *query.Select) (limit, offset int64, err error) {
	limit = -1
	if s.Limit != nil {
		if limit, err = e.intArg(s.Limit, "LIMIT"); err != nil {
			return 0, 0, err
		}
	}
	if s.Offset != nil {
		if offset, err = e.intArg(s.Offset, "OFFSET"); err != nil {
			return 0, 0, err
		}
	}
	return limit, offset, nil
}

// orderKeys evaluates the ORDER BY keys of a row: an output column's name or
// alias, a position (ORDER BY 2), or any expression over the row.
func (s *scope) orderKeys(sel *query.Select, cols []string, vals []any) ([]any, error) {
	keys := make([]any, len(sel.OrderBy))
	out := make(map[string]any, len(cols))
	for i, c := range cols {
		if _, dup := out[c]; !dup {
			out[c] = vals[i]
		}
	}
	for i, o := range sel.OrderBy {
		if n, ok := o.Expr.(*query.NumberLit); ok && n.IsInt {
			if n.Int < 1 || int(n.Int) > len(vals) {
				return nil, errAt(n, nil, "ORDER BY position %d is not in the select list (1 to %d)", n.Int, len(vals))
			}
			keys[i] = vals[n.Int-1]
			continue
		}
		if id, ok := o.Expr.(*query.Ident); ok {
			if v, ok := out[id.Name]; ok {
				keys[i] = v
				continue
			}
		}
		sc := &scope{e: s.e, t: s.t, row: s.row, out: out}
		v, err := sc.eval(o.Expr)
		if err != nil {
			return nil, err
		}
		keys[i] = v
	}
	return keys, nil
}

// sortByKeys sorts rows by their keys, stably; NULLs sort first, as in
// sqlite.
func sortByKeys(rows [][]any, keys [][]any, order []query.OrderItem) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := keys[idx[a]], keys[idx[b]]
		for i, o := range order {
			c := cmpOrder(ka[i], kb[i])
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	sorted := make([][]any, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	copy(rows, sorted)
}

// cmpOrder orders any two values: NULL < numbers < strings < others.
func cmpOrder(a, b any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case bool:
			return 1
		case int64, float32, float64:
			return 2
		case string:
			return 3
		}
		return 4
	}
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	if ra == 0 || ra == 4 {
		return 0
	}
	c, _, _ := cmpValues(a, b)
	return c
}

// window applies OFFSET and LIMIT (limit < 0: none).
func window(rows [][]any, offset, limit int64) [][]any {
	if offset >= int64(len(rows)) {
		return nil
	}
	rows = rows[offset:]
	if limit >= 0 && limit < int64(len(rows)) {
		rows = rows[:limit]
	}
	return rows
}

// finish applies ORDER BY, OFFSET and LIMIT to rows with the given columns.
func (e *env) finish(s *query.Select, cols []string, rows [][]any) (*Rows, error) {
	limit, offset, err := e.limits(s)
	if err != nil {
		return nil, err
	}
	if len(s.OrderBy) > 0 && len(rows) > 1 {
		keys := make([][]any, len(rows))
		sc := &scope{e: e}
		for i, r := range rows {
			if keys[i], err = sc.orderKeys(s, cols, r); err != nil {
				return nil, err
			}
		}
		sortByKeys(rows, keys, s.OrderBy)
	}
	return newRows(cols, window(rows, offset, limit)), nil
}

// stream is a streaming result's hold on the database: its producer reads
// in a transaction until done is closed.
type stream struct {
	ctx      context.Context // the statement's, cancelled when it ends
	cancel   context.CancelFunc
	done     chan struct{}
	once     sync.Once
	closedDB atomic.Bool // ended by DB.Close, not by the caller
	finished atomic.Bool // the producer sent every row there was
}

// end stops the producer; byClose says that DB.Close asked.
func (st *stream) end(byClose bool) {
	st.once.Do(func() {
		st.closedDB.Store(byClose)
		st.cancel()
		close(st.done)
	})
}

// openStream registers a streaming result, so that Close can end it.
func (d *DB) openStream(ctx context.Context) (*stream, error) {
	sctx, cancel := context.WithCancel(ctx)
	st := &stream{ctx: sctx, cancel: cancel, done: make(chan struct{})}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		cancel()
		return nil, ErrClosed
	}
	if d.streams == nil {
		d.streams = make(map[*stream]struct{})
	}
	d.streams[st] = struct{}{}
	return st, nil
}

// closeStream forgets a result whose producer has ended.
func (d *DB) closeStream(st *stream) {
	d.mu.Lock()
	delete(d.streams, st)
	d.mu.Unlock()
}
