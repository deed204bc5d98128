package query

import (
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// CREATE INDEX, the statement in one file: its grammar, its syntax-tree
// node, and how the node converts, prints and walks. It shares its first
// word with CREATE TABLE, so the grammar's CREATE (gCreate, grammar.go)
// names gCreateIndex and calls its convert. The executor's side is in
// db/internal/exec/indexstmt.go.

type gCreateIndex struct {
	Pos         lexer.Position
	IfNotExists bool        `parser:"'INDEX' @('IF' 'NOT' 'EXISTS')?"`
	Table       *gTableName `parser:"'ON' @@"`
	Columns     []*gColumn  `parser:"('(' @@ (',' @@)* ')')?"`
	Method      *gMethod    `parser:"('USING' @@)?"`
	Options     []*gOption  `parser:"('WITH' '(' @@ (',' @@)* ')')?"`
}

// convert makes the statement; pos is where its CREATE is.
func (i *gCreateIndex) convert(pos Position) Statement {
	s := &CreateIndex{Pos: pos, IfNotExists: i.IfNotExists, Table: convertTable(i.Table), Options: convertOptions(i.Options),
		Columns: convertColumns(i.Columns)}
	if i.Method != nil {
		s.Method = strings.ToLower(unquoteName(i.Method.Name))
		s.MethodPos = position(i.Method.Pos)
	}
	return s
}

// CreateIndex is CREATE INDEX [IF NOT EXISTS] ON table [(column)] [USING
// method] [WITH (options)], for instance CREATE INDEX ON w2v USING hnsw
// WITH (m = 16), or CREATE INDEX ON docs (year) for a scalar index.
type CreateIndex struct {
	Pos, End    Position
	IfNotExists bool
	Table       *TableName
	Columns     []*Ident // CREATE INDEX ON t (col): a scalar index on the columns; nil for a vector index
	Method      string   // lower-cased method name ("hnsw"); "" when USING is absent
	MethodPos   Position // where the method name is written; invalid when absent
	Options     []Option
}

// Position returns x.Pos.
func (x *CreateIndex) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *CreateIndex) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *CreateIndex) NumParams() int { return countParams(x) }

// TableName returns the table indexed.
func (x *CreateIndex) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *CreateIndex) String() string { return stmtString(x) }

func (*CreateIndex) stmtNode() {}

func (x *CreateIndex) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *CreateIndex) print(p *printer) {
	p.WriteString("CREATE INDEX ")
	if x.IfNotExists {
		p.WriteString("IF NOT EXISTS ")
	}
	p.WriteString("ON ")
	p.table(x.Table)
	p.columns(x.Columns)
	if x.Method != "" {
		p.WriteString(" USING ")
		p.WriteString(QuoteIdent(x.Method))
	}
	p.with(x.Options)
}

func (x *CreateIndex) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	walkOptions(x.Options, fn)
}

// convertColumns converts the parenthesised column list of CREATE INDEX
// and DROP INDEX; nil when there is none.
func convertColumns(cols []*gColumn) []*Ident {
	var out []*Ident
	for _, col := range cols {
		out = append(out, &Ident{Pos: position(col.Pos), Name: unquoteName(col.Name)})
	}
	return out
}

// columns writes a parenthesised list of column names, or nothing for an
// empty one.
func (p *printer) columns(cols []*Ident) {
	if len(cols) == 0 {
		return
	}
	p.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(c, 0)
	}
	p.WriteString(")")
}
