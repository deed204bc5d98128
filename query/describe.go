package query

import "github.com/alecthomas/participle/v2/lexer"

// DESCRIBE table, the statement in one file: its grammar, its syntax-tree
// node, and how the node converts, prints and walks. The executor's side is
// in db/internal/exec/ddl.go.

func init() { registerStatement[gDescribe]("DESCRIBE") }

type gDescribe struct {
	Pos   lexer.Position
	Table *gTableName `parser:"'DESCRIBE' @@"`
}

func (*gDescribe) gstmt() {}

func (x *gDescribe) convert() Statement {
	return &Describe{Pos: position(x.Pos), Table: convertTable(x.Table)}
}

// Describe is DESCRIBE table.
type Describe struct {
	Pos, End Position
	Table    *TableName
}

// Position returns x.Pos.
func (x *Describe) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Describe) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Describe) NumParams() int { return countParams(x) }

// TableName returns the table described.
func (x *Describe) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Describe) String() string { return stmtString(x) }

func (*Describe) stmtNode() {}

func (x *Describe) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Describe) print(p *printer) {
	p.WriteString("DESCRIBE ")
	p.table(x.Table)
}

func (x *Describe) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
}
