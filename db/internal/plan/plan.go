package plan

import (
	"fmt"
	"strings"

	"github.com/embeddb/embeddb/query"
)

// A plan is how a SELECT runs: a tree of operators that the planner
// (planner.go) builds once from the statement and the table, that the
// executor (run.go) runs, and that EXPLAIN prints. Rows flow from the leaves
// (a scan, a lookup, a search) up to the root, whose rows are the result.

// Node is one operator of a plan.
type Node interface {
	// Label is the operator's line in EXPLAIN: its name and arguments.
	Label() string
	// Inputs are the operators whose rows it reads.
	Inputs() []Node
}

// Plan is a planned SELECT.
type Plan struct {
	Root  Node
	Table string   // the FROM table; "" without FROM
	Cols  []string // the result's column names
	// Stream says that the result is read as it is produced, in a read
	// transaction of its own that lives until the Rows is closed: a per-row
	// SELECT without ORDER BY.
	Stream bool
	// ArgFree says that the plan does not depend on the values of the
	// statement's ? parameters, so a prepared statement may run it again
	// with others (while its table and the settings are unchanged).
	ArgFree bool
}

// Result evaluates the select list once: a SELECT without FROM, or one
// whose list reads no column of its table and has no WHERE.
type Result struct {
	Items []query.SelectItem
}

// Scan reads every row of the table in id order.
type Scan struct {
	Table   string
	Rows    int64 // live rows when planned, for EXPLAIN
	Vectors bool  // the rows' vectors are read
}

// WordLookup finds rows through the table's words index: the ids of words
// or ids in a list, or of the words that start with a prefix. Cond is the
// condition of WHERE it serves; a Filter above it applies the whole WHERE.
type WordLookup struct {
	Table   string
	Column  string       // "word" or "id"
	Values  []query.Expr // constant words or ids; nil for Prefix
	Prefix  string       // word LIKE 'prefix%'
	Cond    query.Expr
	Vectors bool
}

// Filter passes the rows that satisfy Cond.
type Filter struct {
	Input Node
	Cond  query.Expr
}

// Project evaluates the select list over each row, and the ORDER BY keys
// (Keys) when a Sort above needs them.
type Project struct {
	Input Node
	Items []query.SelectItem
	Keys  []query.OrderItem
}

// Aggregate computes the aggregates (COUNT, SUM, AVG, MIN, MAX) of its
// input's rows, in one group or, with Groups, one per distinct value of
// the GROUP BY expressions, keeps the groups for which Having is true, and
// evaluates the select list per group. Without input it answers COUNT(*)
// from the table's row count.
type Aggregate struct {
	Input  Node // nil: the table's row count
	Table  string
	Items  []query.SelectItem
	Groups []query.Expr  // GROUP BY; empty: one group of every row
	Having query.Expr    // nil without HAVING
	Calls  []*query.Call // the aggregate calls of Items and Having
}

// HNSWSearch answers NEAREST through the table's HNSW index, and searches
// exactly the rows added since the index was built (Pending of them). A
// quantized index compares codes (all of them when ScanCodes, for SET
// exact = on) and rescores the best Rescore × k with the table's vectors.
type HNSWSearch struct {
	Table        string
	Call         *query.Call
	Filter       query.Expr // WHERE, applied to the candidates
	Ef           int        // ef_search the search uses
	EfSet        int        // SET ef_search, 0 when the index's own applies
	Pending      int64
	Quantization string // "" for an index of float32 vectors; "int8", "binary"
	Rescore      int
	RescoreSet   int // the rescore depth SET recall chose, 0 for the index's own
	ScanCodes    bool
	Elem         string // the table's element type, which rescoring reads
	Readable     bool   // the table has a tokenizer: results show their text

	// Filtered searches (filtered.go).
	Est      *Estimate // the filter's estimated selectivity, nil without
	EmitRows bool      // give table rows to a Project above (ORDER BY SIMILARITY ... LIMIT k)

	// SET recall (recall.go): the recall asked for, and what the index's
	// calibration measured for the chosen setting.
	Recall, Calibrated float64
	CalQueries, CalK   int
}

// ExactSearch answers NEAREST by comparing the query with every row, or
// with the rows Input lists when it is not nil (filtered.go).
type ExactSearch struct {
	Table    string
	Call     *query.Call
	Filter   query.Expr
	Rows     int64
	Metric   string
	Readable bool // the table has a tokenizer: results show their text

	// Filtered searches (filtered.go).
	Input     Node      // a WordLookup listing the only rows that can pass Filter; nil: every row
	OnIndex   bool      // compare with the vectors the table's index holds: no matrix is built
	Quantized bool      // that index is quantized: codes, then rescoring with the table's vectors
	Est       *Estimate // the filter's estimated selectivity, nil without
	EmitRows  bool      // give table rows to a Project above (ORDER BY SIMILARITY ... LIMIT k)
	Kept      bool      // search the rows Filter holds for, kept by an earlier search (Estimate.Known)

	RecallNote string // why SET recall chose an exact search (recall.go)
}

// Cosmul runs NEAREST_COSMUL, gensim's most_similar_cosmul, over every
// row.
type Cosmul struct {
	Table string
	Call  *query.Call
}

// Tokenize runs TOKENS or EMBED with the table's tokenizer.
type Tokenize struct {
	Table string
	Call  *query.Call
}

// Sort orders its input by the ORDER BY keys, stably.
type Sort struct {
	Input Node
	Order []query.OrderItem
}

// Limit passes rows Offset to Offset+Limit of its input. Eager says that
// LIMIT and OFFSET are evaluated before the input runs (a per-row
// pipeline), not after (a result computed whole).
type Limit struct {
	Input         Node
	Limit, Offset query.Expr // nil when absent
	Eager         bool
}

// Label implements Node.
func (n *Result) Label() string { return "Result (" + itemList(n.Items) + ")" }

// Label implements Node.
func (n *Scan) Label() string { return fmt.Sprintf("Scan on %s (%d rows)", n.Table, n.Rows) }

// Label implements Node.
func (n *WordLookup) Label() string { return fmt.Sprintf("WordLookup on %s (%s)", n.Table, n.Cond) }

// Label implements Node.
func (n *Filter) Label() string { return fmt.Sprintf("Filter (%s)", n.Cond) }

// Label implements Node.
func (n *Project) Label() string { return "Project (" + itemList(n.Items) + ")" }

// Label implements Node.
func (n *Aggregate) Label() string {
	if n.Input == nil {
		return fmt.Sprintf("Aggregate (%s, from the row count of %s)", itemList(n.Items), n.Table)
	}
	s := "Aggregate (" + itemList(n.Items)
	if len(n.Groups) > 0 {
		groups := make([]string, len(n.Groups))
		for i, g := range n.Groups {
			groups[i] = g.String()
		}
		s += ", group by " + strings.Join(groups, ", ")
	}
	if n.Having != nil {
		s += ", having " + n.Having.String()
	}
	return s + ")"
}

// Label implements Node.
func (n *HNSWSearch) Label() string {
	s := fmt.Sprintf("HNSWSearch on %s (%s, ef_search %d", n.Table, n.Call, n.Ef)
	if n.Quantization != "" {
		if n.ScanCodes {
			s = fmt.Sprintf("HNSWSearch on %s (%s, by an exact scan of the %s codes", n.Table, n.Call, n.Quantization)
		} else {
			s = fmt.Sprintf("HNSWSearch on %s (%s, through the graph on the %s codes, ef_search %d", n.Table, n.Call, n.Quantization, n.Ef)
		}
		s += fmt.Sprintf(", then rescoring the best %d × k with the table's %s vectors", n.Rescore, n.Elem)
	}
	s += n.recallNote()
	if n.Pending > 0 {
		s += fmt.Sprintf(", plus an exact scan of up to %d rows added since the index was built", n.Pending)
	}
	return s + filterNote(n.Filter) + estimateNote(n.Est, "filtering as it walks") + ")"
}

// Label implements Node.
func (n *ExactSearch) Label() string {
	s := n.exactLabel()
	if n.RecallNote != "" {
		s = s[:len(s)-1] + ", " + n.RecallNote + ")"
	}
	return s
}

// Label implements Node.
func (n *Cosmul) Label() string { return fmt.Sprintf("Cosmul on %s (%s)", n.Table, n.Call) }

// Label implements Node.
func (n *Tokenize) Label() string { return fmt.Sprintf("Tokenize on %s (%s)", n.Table, n.Call) }

// Label implements Node.
func (n *Sort) Label() string {
	keys := make([]string, len(n.Order))
	for i, o := range n.Order {
		keys[i] = o.Expr.String()
		if o.Desc {
			keys[i] += " DESC"
		}
	}
	return "Sort (" + strings.Join(keys, ", ") + ")"
}

// Label implements Node.
func (n *Limit) Label() string {
	var parts []string
	if n.Limit != nil {
		parts = append(parts, "limit "+n.Limit.String())
	}
	if n.Offset != nil {
		parts = append(parts, "offset "+n.Offset.String())
	}
	return "Limit (" + strings.Join(parts, ", ") + ")"
}

// Inputs implement Node.
func (n *Result) Inputs() []Node      { return nil }
func (n *Scan) Inputs() []Node        { return nil }
func (n *WordLookup) Inputs() []Node  { return nil }
func (n *Filter) Inputs() []Node      { return []Node{n.Input} }
func (n *Project) Inputs() []Node     { return []Node{n.Input} }
func (n *HNSWSearch) Inputs() []Node  { return nil }
func (n *ExactSearch) Inputs() []Node { return n.inputs() }
func (n *Tokenize) Inputs() []Node    { return nil }
func (n *Cosmul) Inputs() []Node      { return nil }
func (n *Sort) Inputs() []Node        { return []Node{n.Input} }
func (n *Limit) Inputs() []Node       { return []Node{n.Input} }

// Inputs implements Node.
func (n *Aggregate) Inputs() []Node {
	if n.Input == nil {
		return nil
	}
	return []Node{n.Input}
}

func filterNote(x query.Expr) string {
	if x == nil {
		return ""
	}
	return ", filter " + x.String()
}

// itemList writes a select list as EXPLAIN shows it.
func itemList(items []query.SelectItem) string {
	parts := make([]string, len(items))
	for i := range items {
		if items[i].Star {
			parts[i] = "*"
		} else {
			parts[i] = items[i].Expr.String()
		}
	}
	return strings.Join(parts, ", ")
}

// Lines writes the plan as EXPLAIN prints it: one line per operator, the
// root first, each input indented under the operator that reads it, in the
// manner of PostgreSQL. note, if not nil, adds to an operator's line (what
// EXPLAIN ANALYZE measured).
func (p *Plan) Lines(note func(Node) string) []string {
	var out []string
	var walk func(n Node, depth int)
	walk = func(n Node, depth int) {
		line := n.Label()
		if depth > 0 {
			line = strings.Repeat("   ", depth-1) + "-> " + line
		}
		if note != nil {
			line += " " + note(n)
		}
		out = append(out, line)
		for _, in := range n.Inputs() {
			walk(in, depth+1)
		}
	}
	walk(p.Root, 0)
	return out
}
