package query

import "github.com/alecthomas/participle/v2/lexer"

// This file holds the PLOT statement whole: its grammar, syntax tree,
// conversion, printing and walking. The executor's side is in
// db/internal/exec/plot.go.

func init() { registerStatement[gPlot]("PLOT") }

// gPlot is PLOT table [WORDS (...) | NEAREST (...)] [WHERE e] [LIMIT n]
// [TO file] [WITH (options)]. WORDS is an identifier matched without
// regard to case (the parser is case-insensitive for Ident literals), so
// that a table or column may still be called words.
type gPlot struct {
	Pos     lexer.Position
	Table   *gTableName   `parser:"'PLOT' @@"`
	Words   *gPlotWords   `parser:"( @@"`
	Nearest *gPlotNearest `parser:"| @@ )?"`
	Where   Expr          `parser:"('WHERE' @@)?"`
	Limit   Expr          `parser:"('LIMIT' @@)?"`
	File    *gFile        `parser:"('TO' @@)?"`
	Options []*gOption    `parser:"('WITH' '(' @@ (',' @@)* ')')?"`
}

type gPlotWords struct {
	Pos   lexer.Position
	Words []Expr `parser:"'WORDS' '(' @@ (',' @@)* ')'"`
}

type gPlotNearest struct {
	Pos  lexer.Position
	Args []Expr `parser:"'NEAREST' '(' @@ (',' @@)* ')'"`
}

func (*gPlot) gstmt() {}

// Plot is PLOT table [WORDS (w, ...) | NEAREST (x [, k])] [WHERE cond]
// [LIMIT n] [TO file] [WITH (options)]: project the rows chosen to two
// dimensions, return them as rows (word, x, y) and, with TO, draw them into
// an SVG or PNG file. For instance
//
//	PLOT w2v WORDS ('king', 'queen', 'man', 'woman') TO 'map.svg';
//	PLOT w2v NEAREST ('python', 30) TO 'python.png' WITH (method = 'tsne');
//	PLOT w2v WHERE count > 1000 LIMIT 2000 TO 'top.svg' WITH (labels = 'none');
type Plot struct {
	Pos, End Position
	Table    *TableName
	// Words are the words of WORDS (...); nil without WORDS.
	Words []Expr
	// Nearest is NEAREST (x [, k]) as a call named NEAREST; nil without it.
	Nearest *Call
	Where   Expr     // nil when there is no WHERE
	Limit   Expr     // nil when there is no LIMIT
	File    Expr     // nil when there is no TO; else a *StringLit or a *Param
	Options []Option // the WITH list; nil when there is none
}

// Position returns the position of the PLOT keyword.
func (x *Plot) Position() Position { return x.Pos }

// Span returns the statement's extent; see [Statement].
func (x *Plot) Span() (pos, end Position) { return x.Pos, x.End }

// NumParams returns the number of ? parameters; see [Statement].
func (x *Plot) NumParams() int { return countParams(x) }

// TableName returns the name of the table plotted.
func (x *Plot) TableName() string { return x.Table.name() }

func (*Plot) stmtNode() {}

func (x *Plot) setSpan(pos, end Position) { x.Pos, x.End = pos, end }

// String returns the statement as canonical SQL.
func (x *Plot) String() string { return stmtString(x) }

func (x *gPlot) convert() Statement {
	s := &Plot{Pos: position(x.Pos), Table: convertTable(x.Table), Where: x.Where, Limit: x.Limit,
		Options: convertOptions(x.Options)}
	if x.Words != nil {
		s.Words = x.Words.Words
	}
	if x.Nearest != nil {
		s.Nearest = &Call{Pos: position(x.Nearest.Pos), Name: "NEAREST", Args: x.Nearest.Args}
	}
	if x.File != nil {
		s.File = convertFile(x.File)
	}
	return s
}

func (x *Plot) print(p *printer) {
	p.WriteString("PLOT ")
	p.table(x.Table)
	if x.Words != nil {
		p.WriteString(" WORDS (")
		p.list(x.Words)
		p.WriteByte(')')
	}
	if x.Nearest != nil {
		p.WriteString(" NEAREST (")
		p.list(x.Nearest.Args)
		p.WriteByte(')')
	}
	if x.Where != nil {
		p.WriteString(" WHERE ")
		p.expr(x.Where, 0)
	}
	if x.Limit != nil {
		p.WriteString(" LIMIT ")
		p.expr(x.Limit, 0)
	}
	if x.File != nil {
		p.WriteString(" TO ")
		p.expr(x.File, 0)
	}
	p.with(x.Options)
}

func (x *Plot) walk(fn func(Node) bool) {
	walkTable(x.Table, fn)
	for _, w := range x.Words {
		walkExpr(w, fn)
	}
	if x.Nearest != nil {
		Walk(x.Nearest, fn)
	}
	walkExpr(x.Where, fn)
	walkExpr(x.Limit, fn)
	walkExpr(x.File, fn)
	walkOptions(x.Options, fn)
}
