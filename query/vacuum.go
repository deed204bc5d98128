package query

import "github.com/alecthomas/participle/v2/lexer"

// VACUUM [INTO file], the statement in one file: its grammar, its syntax-
// tree node, and how the node converts, prints and walks. The executor's
// side is in db/internal/exec/adminstmt.go.

func init() { registerStatement[gVacuum]("VACUUM") }

type gVacuum struct {
	Pos    lexer.Position
	Vacuum bool   `parser:"@'VACUUM'"`
	Into   *gFile `parser:"('INTO' @@)?"`
}

func (*gVacuum) gstmt() {}

func (x *gVacuum) convert() Statement {
	s := &Vacuum{Pos: position(x.Pos)}
	if x.Into != nil {
		s.Into = convertFile(x.Into)
	}
	return s
}

// Vacuum is VACUUM [INTO file]: compact the database, in place or into a
// new file.
type Vacuum struct {
	Pos, End Position
	Into     Expr // nil when there is no INTO; else a *StringLit or a *Param
}

// Position returns x.Pos.
func (x *Vacuum) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Vacuum) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Vacuum) NumParams() int { return countParams(x) }

// TableName returns "": VACUUM compacts the whole file.
func (x *Vacuum) TableName() string { return "" }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *Vacuum) String() string { return stmtString(x) }

func (*Vacuum) stmtNode() {}

func (x *Vacuum) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Vacuum) print(p *printer) {
	p.WriteString("VACUUM")
	if x.Into != nil {
		p.WriteString(" INTO ")
		p.expr(x.Into, 0)
	}
}

func (x *Vacuum) walk(fn func(Node) bool) {
	walkExpr(x.Into, fn)
}
