package query

import "github.com/alecthomas/participle/v2/lexer"

// BACKUP TO file, the statement in one file: its grammar, its syntax-tree
// node, and how the node converts, prints and walks. The executor's side is
// in db/internal/exec/adminstmt.go.

func init() { registerStatement[gBackup]("BACKUP") }

type gBackup struct {
	Pos  lexer.Position
	File *gFile `parser:"'BACKUP' 'TO' @@"`
}

func (*gBackup) gstmt() {}

func (x *gBackup) convert() Statement {
	return &Backup{Pos: position(x.Pos), File: convertFile(x.File)}
}

// Backup is BACKUP TO file: write a consistent copy of the database.
type Backup struct {
	Pos, End Position
	File     Expr // a *StringLit or a *Param
}

// Position implements Node.
func (x *Backup) Position() Position { return x.Pos }

// Span implements Statement.
func (x *Backup) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams implements Statement.
func (x *Backup) NumParams() int { return countParams(x) }

// TableName implements Statement: BACKUP concerns no one table.
func (x *Backup) TableName() string { return "" }

// String prints the statement canonically.
func (x *Backup) String() string { return stmtString(x) }

func (*Backup) stmtNode() {}

func (x *Backup) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Backup) print(p *printer) {
	p.WriteString("BACKUP TO ")
	p.expr(x.File, 0)
}

func (x *Backup) walk(fn func(Node) bool) { walkExpr(x.File, fn) }
