package query

import "github.com/alecthomas/participle/v2/lexer"

// UPDATE table SET column = value, ... [WHERE cond], the statement in one
// file: its grammar, its syntax-tree node, and how the node converts,
// prints and walks. The executor's side is db/internal/exec/update.go.

func init() { registerStatement[gUpdate]("UPDATE") }

type gUpdate struct {
	Pos   lexer.Position
	Table *gTableName `parser:"'UPDATE' @@"`
	Sets  []*gAssign  `parser:"'SET' @@ (',' @@)*"`
	Where Expr        `parser:"('WHERE' @@)?"`
}

type gAssign struct {
	Pos    lexer.Position
	Column *gColumn `parser:"@@ '='"`
	Value  Expr     `parser:"@@"`
}

func (*gUpdate) gstmt() {}

func (x *gUpdate) convert() Statement {
	s := &Update{Pos: position(x.Pos), Table: convertTable(x.Table), Where: x.Where}
	for _, a := range x.Sets {
		col := &Ident{Pos: position(a.Column.Pos), Name: unquoteName(a.Column.Name)}
		s.Sets = append(s.Sets, Assignment{Pos: position(a.Pos), Column: col, Value: a.Value})
	}
	return s
}

// Update is UPDATE table SET column = value, ... [WHERE cond]: change the
// rows for which cond is true (all without WHERE). The values are
// expressions over the row's old values.
type Update struct {
	Pos, End Position
	Table    *TableName
	Sets     []Assignment // at least one
	Where    Expr         // nil when there is no WHERE
}

// Assignment is one column = value of UPDATE's SET list.
type Assignment struct {
	Pos    Position
	Column *Ident
	Value  Expr
}

// Position implements Node.
func (x *Update) Position() Position { return x.Pos }

// Span implements Statement.
func (x *Update) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams implements Statement.
func (x *Update) NumParams() int { return countParams(x) }

// TableName implements Statement.
func (x *Update) TableName() string { return x.Table.Name }

// String prints the statement canonically.
func (x *Update) String() string { return stmtString(x) }

func (*Update) stmtNode() {}

func (x *Update) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *Update) print(p *printer) {
	p.WriteString("UPDATE ")
	p.table(x.Table)
	p.WriteString(" SET ")
	for i, a := range x.Sets {
		if i > 0 {
			p.WriteString(", ")
		}
		p.expr(a.Column, 0)
		p.WriteString(" = ")
		p.expr(a.Value, 0)
	}
	if x.Where != nil {
		p.WriteString(" WHERE ")
		p.expr(x.Where, 0)
	}
}

func (x *Update) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	for _, a := range x.Sets {
		Walk(a.Column, fn)
		walkExpr(a.Value, fn)
	}
	walkExpr(x.Where, fn)
}
