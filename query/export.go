package query

import "github.com/alecthomas/participle/v2/lexer"

// EXPORT table TO file [WITH (options)], the statement in one file: its
// grammar, its syntax-tree node, and how the node converts, prints and
// walks. The executor's side is in db/internal/exec/importexport.go.

func init() { registerStatement[gExport]("EXPORT") }

type gExport struct {
	Pos     lexer.Position
	Table   *gTableName `parser:"'EXPORT' @@"`
	File    *gFile      `parser:"'TO' @@"`
	Options []*gOption  `parser:"('WITH' '(' @@ (',' @@)* ')')?"`
}

func (*gExport) gstmt() {}

func (x *gExport) convert() Statement {
	return &Export{Pos: position(x.Pos), Table: convertTable(x.Table), File: convertFile(x.File), Options: convertOptions(x.Options)}
}

// Export is EXPORT table TO file [WITH (options)]: write a table's vectors
// to a file.
type Export struct {
	Pos, End Position
	Table    *TableName
	File     Expr // a *StringLit or a *Param
	Options  []Option
}

// Position returns x.Pos.
func (x *Export) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Export) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Export) NumParams() int { return countParams(x) }

// TableName returns the table exported.
func (x *Export) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Export) String() string { return stmtString(x) }

func (*Export) stmtNode() {}

func (x *Export) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Export) print(p *printer) {
	p.WriteString("EXPORT ")
	p.table(x.Table)
	p.WriteString(" TO ")
	p.expr(x.File, 0)
	p.with(x.Options)
}

func (x *Export) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	walkExpr(x.File, fn)
	walkOptions(x.Options, fn)
}
