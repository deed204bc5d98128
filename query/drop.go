package query

import "github.com/alecthomas/participle/v2/lexer"

// DROP TABLE and DROP INDEX, the statements in one file: their grammar,
// their syntax-tree nodes, and how the nodes convert, print and walk. The
// executor's side is in db/internal/exec/ddl.go (dropTable) and
// indexstmt.go (dropIndex).

func init() { registerStatement[gDrop]("DROP") }

type gDrop struct {
	Pos   lexer.Position
	Table *gDropTable `parser:"'DROP' ( @@"`
	Index *gDropIndex `parser:"       | @@ )"`
}

type gDropTable struct {
	Pos      lexer.Position
	IfExists bool        `parser:"'TABLE' @('IF' 'EXISTS')?"`
	Table    *gTableName `parser:"@@"`
}

type gDropIndex struct {
	Pos      lexer.Position
	IfExists bool        `parser:"'INDEX' @('IF' 'EXISTS')?"`
	Table    *gTableName `parser:"'ON' @@"`
	Columns  []*gColumn  `parser:"('(' @@ (',' @@)* ')')?"`
}

func (*gDrop) gstmt() {}

func (x *gDrop) convert() Statement {
	if t := x.Table; t != nil {
		return &DropTable{Pos: position(x.Pos), IfExists: t.IfExists, Table: convertTable(t.Table)}
	}
	return &DropIndex{Pos: position(x.Pos), IfExists: x.Index.IfExists, Table: convertTable(x.Index.Table), Columns: convertColumns(x.Index.Columns)}
}

// DropTable is DROP TABLE [IF EXISTS] table.
type DropTable struct {
	Pos, End Position
	IfExists bool
	Table    *TableName
}

// Position returns x.Pos.
func (x *DropTable) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *DropTable) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *DropTable) NumParams() int { return countParams(x) }

// TableName returns the table dropped.
func (x *DropTable) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *DropTable) String() string { return stmtString(x) }

func (*DropTable) stmtNode() {}

func (x *DropTable) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *DropTable) print(p *printer) {
	p.WriteString("DROP TABLE ")
	if x.IfExists {
		p.WriteString("IF EXISTS ")
	}
	p.table(x.Table)
}

func (x *DropTable) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
}

// DropIndex is DROP INDEX [IF EXISTS] ON table [(column)].
type DropIndex struct {
	Pos, End Position
	IfExists bool
	Table    *TableName
	Columns  []*Ident // the scalar index's columns; nil for the vector index
}

// Position returns x.Pos.
func (x *DropIndex) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *DropIndex) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *DropIndex) NumParams() int { return countParams(x) }

// TableName returns the table whose index is dropped.
func (x *DropIndex) TableName() string { return x.Table.name() }

// String returns the statement as canonical SQL, without a trailing ';'.
func (x *DropIndex) String() string { return stmtString(x) }

func (*DropIndex) stmtNode() {}

func (x *DropIndex) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

func (x *DropIndex) print(p *printer) {
	p.WriteString("DROP INDEX ")
	if x.IfExists {
		p.WriteString("IF EXISTS ")
	}
	p.WriteString("ON ")
	p.table(x.Table)
	p.columns(x.Columns)
}

func (x *DropIndex) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
}
