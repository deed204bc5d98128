package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/db/internal/store"

	"github.com/embeddb/embeddb/query"
)

// ErrSemantic is wrapped by errors in a well-formed statement that cannot
// run as written: an unknown column or function, an argument of the wrong
// type, a missing option. Errors about missing tables or words wrap
// store.ErrNoTable and ErrNoWord instead.
var ErrSemantic = errors.New("db: invalid statement")

// ErrAt returns a positioned error at node n: the shell points at the spot.
func ErrAt(n query.Node, cause error, format string, args ...any) error {
	var pos query.Position
	if n != nil {
		pos = n.Position()
	}
	if cause == nil {
		cause = ErrSemantic
	}
	return &query.Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// At attaches node n's position to err unless it has one already.
func At(n query.Node, err error) error {
	if err == nil {
		return nil
	}
	var qe *query.Error
	if errors.As(err, &qe) {
		return err
	}
	var pos query.Position
	if n != nil {
		pos = n.Position()
	}
	return &query.Error{Pos: pos, Msg: err.Error(), Err: err}
}

// NoColumns checks that a SELECT without FROM uses no column.
func NoColumns(s *query.Select) error {
	var bad query.Node
	for i := range s.Items {
		if s.Items[i].Star {
			return ErrAt(&s.Items[i], nil, "SELECT * needs a FROM table")
		}
		query.Walk(s.Items[i].Expr, func(n query.Node) bool {
			if id, ok := n.(*query.Ident); ok && IsColumn(id.Name) && bad == nil {
				bad = n
			}
			return bad == nil
		})
	}
	if bad != nil {
		return ErrAt(bad, nil, "column %s needs a FROM table", bad)
	}
	if s.Where != nil {
		return ErrAt(s.Where, nil, "WHERE needs a FROM table")
	}
	return nil
}

// UsesColumns reports whether the select list reads the rows of the table.
func UsesColumns(s *query.Select) bool { return UsesColumnsOf(s, nil) }

// UsesColumnsOf reports whether the select list reads the rows of table t:
// a column every table has, or one of t's user columns.
func UsesColumnsOf(s *query.Select, t *store.Table) bool {
	found := false
	for i := range s.Items {
		if s.Items[i].Star {
			return true
		}
		query.Walk(s.Items[i].Expr, func(n query.Node) bool {
			if id, ok := n.(*query.Ident); ok && IsTableColumn(t, id.Name) {
				found = true
			}
			return !found
		})
	}
	return found
}

// ColumnName is the name of an item's column: its alias, a column's name, a
// function's name in lower case, or the expression's text.
func ColumnName(it *query.SelectItem) string {
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

// RefersTo reports whether the statement mentions column name anywhere.
func RefersTo(s *query.Select, name string) bool {
	found := false
	query.Walk(s, func(n query.Node) bool {
		if id, ok := n.(*query.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

func HasStar(s *query.Select) bool {
	for _, it := range s.Items {
		if it.Star {
			return true
		}
	}
	return false
}

// ItemNames gives the column names of a select list without evaluating it
// (for an empty result).
func ItemNames(s *query.Select) []string { return ItemNamesOf(s, nil) }

// ItemNamesOf is ItemNames for a select list over table t.
func ItemNamesOf(s *query.Select, t *store.Table) []string {
	var cols []string
	for i := range s.Items {
		if s.Items[i].Star {
			cols = append(cols, StarColumns(t)...)
		} else {
			cols = append(cols, ColumnName(&s.Items[i]))
		}
	}
	return cols
}

// Conjuncts splits a condition at its top-level ANDs.
func Conjuncts(x query.Expr) []query.Expr {
	if b, ok := x.(*query.Binary); ok && b.Op == query.OpAnd {
		return append(Conjuncts(b.L), Conjuncts(b.R)...)
	}
	if x == nil {
		return nil
	}
	return []query.Expr{x}
}

// IsConst reports whether x needs no row to evaluate.
func IsConst(x query.Expr) bool {
	switch x.(type) {
	case *query.NumberLit, *query.StringLit, *query.Param, *query.BoolLit:
		return true
	}
	return false
}

// checkTableFunc reports whether the select list is one call of a function
// that returns rows.
func TableFunc(s *query.Select) (*query.Call, bool) {
	if len(s.Items) != 1 || s.Items[0].Star {
		return nil, false
	}
	c, ok := s.Items[0].Expr.(*query.Call)
	if !ok {
		return nil, false
	}
	switch c.Name {
	case "NEAREST", "TOKENS", "EMBED", "NEAREST_COSMUL":
		return c, true
	}
	return nil, false
}

// Columns are the columns every table has.
var Columns = []string{"id", "word", "count", "vector"}

// IsTableColumn reports whether name is a column of t: one every table
// has or a user column (t may be nil).
func IsTableColumn(t *store.Table, name string) bool {
	return IsColumn(name) || t != nil && t.ColumnIndex(name) >= 0
}

// StarColumns are the columns SELECT * gives for t: the fixed ones, then
// its user columns in order.
func StarColumns(t *store.Table) []string {
	if t == nil || len(t.Columns()) == 0 {
		return Columns
	}
	out := append([]string(nil), Columns...)
	for _, c := range t.Columns() {
		out = append(out, c.Name)
	}
	return out
}

// IsColumn reports whether name is a column every table has.
func IsColumn(name string) bool {
	for _, c := range Columns {
		if c == name {
			return true
		}
	}
	return false
}

// LikePrefix returns the literal prefix of a LIKE pattern and whether the
// pattern is exactly that prefix followed by a single %.
func LikePrefix(p string) (string, bool) {
	i := strings.IndexAny(p, "%_")
	if i < 0 || p[i] != '%' || i != len(p)-1 {
		return "", false
	}
	return p[:i], true
}

// SuggestName returns the name in names closest to s (at most two edits
// away), or else one that shares its stem with s ("analogy" for
// "analogies"), or "".
func SuggestName(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(s, n, bestD); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" {
		return best
	}
	for _, n := range names {
		if sameStem(s, n) {
			return n
		}
	}
	return best
}

// sameStem reports whether a and b differ only in an ending of at most
// three letters after a shared start of at least five, as the singular
// and plural of a word (analogy, analogies) or its forms (restrict,
// restricted) do.
func sameStem(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n >= 5 && len(ra)-n <= 3 && len(rb)-n <= 3
}

// editDistance is the Levenshtein distance of a and b, or limit if it is
// at least limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}

// table opens the table a statement names, with a positioned error that
// suggests a near name when there is no such table.
func BindTable(tx *store.Tx, tn *query.TableName) (*store.Table, error) {
	t, err := store.OpenTable(tx, tn.Name)
	return bound(t, err, tn, func() []string { return store.TableNames(tx) })
}

// BindSibling binds a table a statement names beside its FROM table t
// (EMBED_TEXT's model), in t's transaction.
func BindSibling(t *store.Table, tn *query.TableName) (*store.Table, error) {
	other, err := t.Sibling(tn.Name)
	return bound(other, err, tn, t.SiblingNames)
}

// bound positions the error of opening table tn, suggesting a near name
// when there is no such table.
func bound(t *store.Table, err error, tn *query.TableName, names func() []string) (*store.Table, error) {
	if errors.Is(err, store.ErrNoTable) {
		msg := fmt.Sprintf("unknown table %s", store.Quote(tn.Name))
		if alt := SuggestName(tn.Name, names()); alt != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", alt)
		}
		return nil, ErrAt(tn, store.ErrNoTable, "%s", msg)
	}
	return t, At(tn, err)
}
