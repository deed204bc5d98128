package query

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// User columns in the grammar: CREATE TABLE's column definitions beside
// its options (dim = 3, title TEXT DEFAULT 'x' NOT NULL), ALTER TABLE ...
// ADD COLUMN and DROP COLUMN, and the IS [NOT] NULL test.

// gTableElem is one element of CREATE TABLE's list: an option (dim = 3)
// or a column definition (title TEXT).
type gTableElem struct {
	Pos    lexer.Position
	Name   string      `parser:"@(Ident | Keyword | Func | QIdent)"`
	Value  optionValue `parser:"( '=' @@"`
	Column *gColType   `parser:"| @@ )"`
}

// gColumnDef is name type [constraints], as ALTER TABLE ADD COLUMN takes it.
type gColumnDef struct {
	Pos  lexer.Position
	Name string    `parser:"@(Ident | Func | QIdent)"`
	Type *gColType `parser:"@@"`
}

// gColType is a column's type and constraints.
type gColType struct {
	Pos         lexer.Position
	Name        string            `parser:"@(Ident | Func)"`
	Constraints []*gColConstraint `parser:"@@*"`
}

type gColConstraint struct {
	Pos     lexer.Position
	Default defaultValue `parser:"  'DEFAULT' @@"`
	NotNull bool         `parser:"| @('NOT' 'NULL')"`
	Null    bool         `parser:"| @'NULL'"`
}

// defaultValue is the value after DEFAULT: an operand without comparisons
// (a literal, -1, a vector), so that NOT NULL after it is a constraint, not
// a comparison. A distinct type so that participle parses it with
// parseDefaultTokens.
type defaultValue interface{ Expr }

// parseDefaultTokens is the participle parse function for defaultValue.
func parseDefaultTokens(lex *lexer.PeekingLexer) (defaultValue, error) {
	if !canStartExpr(lex.Peek()) || strings.EqualFold(lex.Peek().Value, "NOT") {
		return nil, participle.NextMatch
	}
	p := exprParser{lex: lex}
	return p.add()
}

// ColumnDef defines a user column: name TYPE [DEFAULT value] [NOT NULL].
type ColumnDef struct {
	Pos     Position
	Name    string
	Type    string   // upper-cased as written: TEXT, INTEGER, REAL, BOOLEAN, JSON...
	TypePos Position // where the type is written
	Default Expr     // nil without DEFAULT
	NotNull bool
}

// Position implements Node.
func (x *ColumnDef) Position() Position { return x.Pos }

func convertColumnDef(pos lexer.Position, name string, t *gColType) ColumnDef {
	d := ColumnDef{Pos: position(pos), Name: unquoteName(name), Type: upperASCII(t.Name), TypePos: position(t.Pos)}
	for _, c := range t.Constraints {
		switch {
		case c.Default != nil:
			d.Default = c.Default
		case c.NotNull:
			d.NotNull = true
		}
	}
	return d
}

// convertTableElems splits CREATE TABLE's list into options and columns.
func convertTableElems(gs []*gTableElem) (opts []Option, cols []ColumnDef) {
	for _, g := range gs {
		if g.Column != nil {
			cols = append(cols, convertColumnDef(g.Pos, g.Name, g.Column))
			continue
		}
		opts = append(opts, Option{Pos: position(g.Pos), Name: optionNameOf(g.Name), Value: g.Value})
	}
	return opts, cols
}

func (p *printer) columnDef(c *ColumnDef) {
	p.WriteString(QuoteIdent(c.Name))
	p.WriteByte(' ')
	p.WriteString(c.Type)
	if c.Default != nil {
		p.WriteString(" DEFAULT ")
		p.expr(c.Default, precAdd)
	}
	if c.NotNull {
		p.WriteString(" NOT NULL")
	}
}

// createTableList prints CREATE TABLE's parenthesised list.
func (p *printer) createTableList(opts []Option, cols []ColumnDef) {
	p.WriteByte('(')
	for i := range opts {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(optionName(opts[i].Name))
		p.WriteString(" = ")
		p.value(opts[i].Value)
	}
	for i := range cols {
		if i > 0 || len(opts) > 0 {
			p.WriteString(", ")
		}
		p.columnDef(&cols[i])
	}
	p.WriteByte(')')
}

// IsNull is X IS [NOT] NULL. Pos is the position of IS.
type IsNull struct {
	Pos Position
	X   Expr
	Not bool
}

// Position implements Node.
func (x *IsNull) Position() Position { return x.Pos }

func (*IsNull) exprNode() {}

// String prints the expression.
func (x *IsNull) String() string { return exprString(x) }

// isNull parses the rest of x IS [NOT] NULL, IS being next.
func (p *exprParser) isNull(x Expr) (Expr, error) {
	t := p.next() // IS
	n := &IsNull{Pos: position(t.Pos), X: x}
	if p.isKeyword("NOT") {
		p.next()
		n.Not = true
	}
	if !p.isKeyword("NULL") {
		return nil, p.expected("NULL")
	}
	p.next()
	return n, nil
}

// jsonPath parses Primary { ("->" | "->>") Primary }: a JSON field, as
// JSON (->) or as text (->>).
func (p *exprParser) jsonPath() (Expr, error) {
	l, err := p.primary()
	for err == nil && (p.isPunct("->") || p.isPunct("->>")) {
		t := p.next()
		op := OpJSON
		if t.Value == "->>" {
			op = OpJSONText
		}
		var r Expr
		if r, err = p.primary(); err == nil {
			l = &Binary{Pos: position(t.Pos), Op: op, L: l, R: r}
		}
	}
	return l, err
}

// String prints the definition.
func (x *ColumnDef) String() string {
	var p printer
	p.columnDef(x)
	return p.String()
}
