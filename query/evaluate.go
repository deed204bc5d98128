package query

import "github.com/alecthomas/participle/v2/lexer"

// EVALUATE table WITH (options), the statement in one file: its grammar, its
// syntax-tree node, and how the node converts, prints and walks. The
// executor's side is in db/internal/exec/evaluate.go.

func init() { registerStatement[gEvaluate]("EVALUATE") }

type gEvaluate struct {
	Pos     lexer.Position
	Table   *gTableName `parser:"'EVALUATE' @@"`
	Options []*gOption  `parser:"'WITH' '(' @@ (',' @@)* ')'"`
}

func (*gEvaluate) gstmt() {}

func (x *gEvaluate) convert() Statement {
	return &Evaluate{Pos: position(x.Pos), Table: convertTable(x.Table), Options: convertOptions(x.Options)}
}

// Evaluate is EVALUATE table WITH (options), for instance
// EVALUATE w2v WITH (analogies = 'questions-words.txt').
type Evaluate struct {
	Pos, End Position
	Table    *TableName
	Options  []Option // at least one
}

// Position returns x.Pos.
func (x *Evaluate) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Evaluate) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Evaluate) NumParams() int { return countParams(x) }

// TableName returns the table evaluated.
func (x *Evaluate) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Evaluate) String() string { return stmtString(x) }

func (*Evaluate) stmtNode() {}

func (x *Evaluate) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Evaluate) print(p *printer) {
	p.WriteString("EVALUATE ")
	p.table(x.Table)
	p.WriteString(" WITH ")
	p.options(x.Options)
}

func (x *Evaluate) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	walkOptions(x.Options, fn)
}
