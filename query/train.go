package query

import "github.com/alecthomas/participle/v2/lexer"

// TRAIN table FROM file, ... [WITH (options)], the statement in one file:
// its grammar, its syntax-tree node, and how the node converts, prints and
// walks. The executor's side is in db/internal/exec/train.go.

func init() { registerStatement[gTrain]("TRAIN") }

type gTrain struct {
	Pos     lexer.Position
	Table   *gTableName `parser:"'TRAIN' @@"`
	Files   []*gFile    `parser:"'FROM' @@ (',' @@)*"`
	Options []*gOption  `parser:"('WITH' '(' @@ (',' @@)* ')')?"`
}

func (*gTrain) gstmt() {}

func (x *gTrain) convert() Statement {
	s := &Train{Pos: position(x.Pos), Table: convertTable(x.Table), Options: convertOptions(x.Options)}
	for _, f := range x.Files {
		s.Files = append(s.Files, convertFile(f))
	}
	return s
}

// Train is TRAIN table FROM file, ... [WITH (options)]: train a Word2Vec
// table from text files. Options carry the trainer's parameters by gensim's
// names (vector_size, window, min_count, sg, update...); the grammar does
// not check them.
type Train struct {
	Pos, End Position
	Table    *TableName
	Files    []Expr // at least one; each a *StringLit or a *Param
	Options  []Option
}

// Position returns x.Pos.
func (x *Train) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Train) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Train) NumParams() int { return countParams(x) }

// TableName returns the table trained.
func (x *Train) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Train) String() string { return stmtString(x) }

func (*Train) stmtNode() {}

func (x *Train) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Train) print(p *printer) {
	p.WriteString("TRAIN ")
	p.table(x.Table)
	p.WriteString(" FROM ")
	p.list(x.Files)
	p.with(x.Options)
}

func (x *Train) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	for _, f := range x.Files {
		walkExpr(f, fn)
	}
	walkOptions(x.Options, fn)
}
