package query

import "github.com/alecthomas/participle/v2/lexer"

// SET name = value, the statement in one file: its grammar, its syntax-tree
// node, and how the node converts, prints and walks. The executor's side is
// in db/internal/exec/settings.go.

func init() { registerStatement[gSet]("SET") }

type gSet struct {
	Pos     lexer.Position
	Setting *gSetting `parser:"'SET' @@"`
}

type gSetting struct {
	Pos   lexer.Position
	Name  string      `parser:"@(Ident | Keyword | Func | QIdent) ('=' | 'TO')"`
	Value optionValue `parser:"@@"`
}

func (*gSet) gstmt() {}

func (x *gSet) convert() Statement {
	return &Set{Pos: position(x.Pos), Name: optionNameOf(x.Setting.Name), Value: x.Setting.Value}
}

// Set is SET name = value, for instance SET ef_search = 64 or
// SET exact = on. Name is lower-cased unless it was written as a quoted
// identifier. A reserved word used as the value (on) becomes an *Ident
// holding its lower-case spelling; other bare words keep their case, so
// executors should compare such values case-insensitively.
type Set struct {
	Pos, End Position
	Name     string
	Value    Expr
}

// Position returns x.Pos.
func (x *Set) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Set) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Set) NumParams() int { return countParams(x) }

// TableName returns "": SET is about the session.
func (x *Set) TableName() string { return "" }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Set) String() string { return stmtString(x) }

func (*Set) stmtNode() {}

func (x *Set) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Set) print(p *printer) {
	p.WriteString("SET ")
	p.WriteString(optionName(x.Name))
	p.WriteString(" = ")
	p.value(x.Value)
}

func (x *Set) walk(fn func(Node) bool) {
	walkExpr(x.Value, fn)
}
