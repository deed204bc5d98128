package query

import "github.com/alecthomas/participle/v2/lexer"

// IMPORT table FROM file [WITH (options)], the statement in one file: its
// grammar, its syntax-tree node, and how the node converts, prints and
// walks. The executor's side is in db/internal/exec/importexport.go.

func init() { registerStatement[gImport]("IMPORT") }

type gImport struct {
	Pos     lexer.Position
	Table   *gTableName `parser:"'IMPORT' @@"`
	File    *gFile      `parser:"'FROM' @@"`
	Options []*gOption  `parser:"('WITH' '(' @@ (',' @@)* ')')?"`
}

func (*gImport) gstmt() {}

func (x *gImport) convert() Statement {
	return &Import{Pos: position(x.Pos), Table: convertTable(x.Table), File: convertFile(x.File), Options: convertOptions(x.Options)}
}

// Import is IMPORT table FROM file [WITH (options)]: load an embedding
// matrix (word2vec, GloVe, fastText .vec, safetensors...) into a new table.
type Import struct {
	Pos, End Position
	Table    *TableName
	File     Expr // a *StringLit or a *Param
	Options  []Option
}

// Position returns x.Pos.
func (x *Import) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Import) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Import) NumParams() int { return countParams(x) }

// TableName returns the table imported into.
func (x *Import) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Import) String() string { return stmtString(x) }

func (*Import) stmtNode() {}

func (x *Import) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Import) print(p *printer) {
	p.WriteString("IMPORT ")
	p.table(x.Table)
	p.WriteString(" FROM ")
	p.expr(x.File, 0)
	p.with(x.Options)
}

func (x *Import) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	walkExpr(x.File, fn)
	walkOptions(x.Options, fn)
}
