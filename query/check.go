package query

import "github.com/alecthomas/participle/v2/lexer"

// CHECK DATABASE, the statement in one file: its grammar, its syntax-tree
// node, and how the node converts, prints and walks. The executor's side is
// in db/internal/exec/adminstmt.go.

func init() { registerStatement[gCheck]("CHECK") }

type gCheck struct {
	Pos      lexer.Position
	Database bool `parser:"'CHECK' @'DATABASE'"`
}

func (*gCheck) gstmt() {}

func (x *gCheck) convert() Statement {
	return &CheckDatabase{Pos: position(x.Pos)}
}

// CheckDatabase is CHECK DATABASE: verify the integrity of the file.
type CheckDatabase struct {
	Pos, End Position
}

// Position returns x.Pos.
func (x *CheckDatabase) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *CheckDatabase) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *CheckDatabase) NumParams() int { return countParams(x) }

// TableName returns "": CHECK DATABASE is about the whole file.
func (x *CheckDatabase) TableName() string { return "" }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *CheckDatabase) String() string { return stmtString(x) }

func (*CheckDatabase) stmtNode() {}

func (x *CheckDatabase) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *CheckDatabase) print(p *printer) {
	p.WriteString("CHECK DATABASE")
}

func (x *CheckDatabase) walk(func(Node) bool) {}
