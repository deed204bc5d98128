package query

import "github.com/alecthomas/participle/v2/lexer"

// SHOW TABLES, the statement in one file: its grammar, its syntax-tree node,
// and how the node converts, prints and walks. The executor's side is in
// db/internal/exec/ddl.go.

func init() { registerStatement[gShow]("SHOW") }

type gShow struct {
	Pos    lexer.Position
	Tables bool `parser:"'SHOW' @'TABLES'"`
}

func (*gShow) gstmt() {}

func (x *gShow) convert() Statement {
	return &ShowTables{Pos: position(x.Pos)}
}

// ShowTables is SHOW TABLES.
type ShowTables struct {
	Pos, End Position
}

// Position returns x.Pos.
func (x *ShowTables) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *ShowTables) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *ShowTables) NumParams() int { return countParams(x) }

// TableName returns "": SHOW TABLES is about them all.
func (x *ShowTables) TableName() string { return "" }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *ShowTables) String() string { return stmtString(x) }

func (*ShowTables) stmtNode() {}

func (x *ShowTables) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *ShowTables) print(p *printer) {
	p.WriteString("SHOW TABLES")
}

func (x *ShowTables) walk(func(Node) bool) {}
