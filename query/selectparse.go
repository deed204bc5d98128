package query

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// SELECT and EXPLAIN [ANALYZE] SELECT are parsed first by the hand-written
// recursive-descent parser of this file and, only when it declines, by the
// participle grammar (gSelect and gExplain in grammar.go).
//
// The participle grammar stays the one grammar of record. The hand parser
// is a shortcut for the statement clients send most often: it accepts a
// subset of what gSelect accepts, builds the very parse tree participle
// builds for it (so convertStmt makes the same syntax tree), and gives up
// on anything unexpected, including every error. participle then parses
// the statement from its first token, so every error message and position
// is the grammar's own. Declining is always safe; accepting what
// participle would refuse, or building a different tree, would be a bug:
// TestFastSelect_SameAsGrammar and FuzzFastSelect (selectparse_test.go)
// hold the two together. A change to SELECT's syntax goes into grammar.go,
// and here only when the shortcut should take it too.
//
// Why: participle walks the grammar by reflection and copies its parse
// state for every optional group (FROM, WHERE, GROUP BY, HAVING, ORDER BY,
// LIMIT, OFFSET, AS), which made it about two thirds of the cost of parsing
// and planning a typical SELECT (BenchmarkExec_ParsePlan in db).
//
// The productions it follows, as grammar.go spells them:
//
//	Explain    = "EXPLAIN" [ Ident(ANALYZE) ] Select .
//	Select     = "SELECT" SelectItem { "," SelectItem } [ "FROM" Name ]
//	             [ "WHERE" Expr ] [ "GROUP" "BY" Expr { "," Expr } ]
//	             [ "HAVING" Expr ] [ "ORDER" "BY" OrderItem { "," OrderItem } ]
//	             [ "LIMIT" Expr ] [ "OFFSET" Expr ] .
//	SelectItem = "*" | Expr [ "AS" Name ] .
//	OrderItem  = Expr [ "ASC" | "DESC" ] .
//	Name       = Ident | QIdent | Func .

// maxFastList bounds the lists the hand parser reads; a longer one is left
// to participle, which counts its repetitions against MaxIterations (a
// million, but a variable).
func maxFastList() int { return min(1<<12, participle.MaxIterations/2) }

// fastParser is the hand parser's state: the chunk's tokens and an
// expression parser reading the same tokens.
type fastParser struct {
	lex *tokenCursor
	e   exprParser
}

// fastParse parses the chunk's statement by hand when it is a SELECT or an
// EXPLAIN of one and the hand parser accepts it all. Otherwise it returns
// nil, for participle to parse from the first token.
func (c *chunk) fastParse() gStmt {
	if c.lexErr != nil || !isFastKeyword(c.toks[0]) {
		return nil // lexical errors: their interplay with parse errors is parseHead's
	}
	cur := &tokenCursor{toks: c.toks}
	p := fastParser{lex: cur, e: exprParser{lex: cur}}
	var g gStmt
	if p.is("SELECT") {
		if s := p.selectStmt(); s != nil {
			g = s
		}
	} else if s := p.explain(); s != nil {
		g = s
	}
	if g == nil || !cur.Peek().EOF() {
		return nil
	}
	return g
}

// isFastKeyword reports whether t begins a statement the hand parser may
// take: SELECT or EXPLAIN.
func isFastKeyword(t lexer.Token) bool {
	return t.Type == tokKeyword && (strings.EqualFold(t.Value, "SELECT") || strings.EqualFold(t.Value, "EXPLAIN"))
}

// is reports whether the next token is the grammar literal s, matched as
// participle matches it: by value, case-insensitively for the token types
// the grammar names case-insensitive (Keyword, Func, Ident).
func (p *fastParser) is(s string) bool {
	t := p.lex.Peek()
	switch t.Type {
	case tokKeyword, tokFunc, tokIdent:
		return strings.EqualFold(t.Value, s)
	}
	return t.Value == s
}

// accept consumes the literal s if it is next.
func (p *fastParser) accept(s string) bool {
	if p.is(s) {
		p.lex.Next()
		return true
	}
	return false
}

func (p *fastParser) explain() *gExplain {
	t := p.lex.Next() // EXPLAIN
	g := &gExplain{Pos: t.Pos}
	if n := p.lex.Peek(); n.Type == tokIdent {
		if upperASCII(n.Value) != "ANALYZE" {
			return nil
		}
		p.lex.Next()
		g.Analyze = true
	}
	if !p.is("SELECT") {
		return nil
	}
	if g.Stmt = p.selectStmt(); g.Stmt == nil {
		return nil
	}
	return g
}

// selectStmt parses a SELECT, its keyword being next, or returns nil.
func (p *fastParser) selectStmt() *gSelect {
	t := p.lex.Next() // SELECT
	s := &gSelect{Pos: t.Pos}
	for {
		it := p.item()
		if it == nil || len(s.Items) >= maxFastList() {
			return nil
		}
		s.Items = append(s.Items, it)
		if !p.accept(",") {
			break
		}
	}
	if p.accept("FROM") {
		if s.From = p.tableName(); s.From == nil {
			return nil
		}
	}
	if !p.clause("WHERE", &s.Where) {
		return nil
	}
	if p.accept("GROUP") {
		if !p.accept("BY") {
			return nil
		}
		if s.GroupBy = p.exprList(); s.GroupBy == nil {
			return nil
		}
	}
	if !p.clause("HAVING", &s.Having) {
		return nil
	}
	if p.accept("ORDER") {
		if !p.accept("BY") {
			return nil
		}
		if s.OrderBy = p.orderList(); s.OrderBy == nil {
			return nil
		}
	}
	if !p.clause("LIMIT", &s.Limit) || !p.clause("OFFSET", &s.Offset) {
		return nil
	}
	return s
}

// clause parses [ kw Expr ] into *x; false means the hand parser gives up.
func (p *fastParser) clause(kw string, x *Expr) bool {
	if !p.accept(kw) {
		return true
	}
	*x = p.expr()
	return *x != nil
}

// expr parses an expression as the grammar's parseExprTokens does, or
// returns nil.
func (p *fastParser) expr() Expr {
	if !canStartExpr(p.lex.Peek()) {
		return nil
	}
	x, err := p.e.or()
	if err != nil {
		return nil
	}
	return x
}

func (p *fastParser) item() *gSelectItem {
	t := p.lex.Peek()
	it := &gSelectItem{Pos: t.Pos}
	if t.Type == tokPunct && t.Value == "*" {
		p.lex.Next()
		it.Star = true
		return it
	}
	if it.Expr = p.expr(); it.Expr == nil {
		return nil
	}
	if p.is("AS") {
		p.lex.Next()
		n := p.lex.Peek()
		if !isNameToken(n) {
			return nil
		}
		p.lex.Next()
		it.Alias = &gAlias{Pos: n.Pos, Name: n.Value}
	}
	return it
}

func (p *fastParser) tableName() *gTableName {
	n := p.lex.Peek()
	if !isNameToken(n) {
		return nil
	}
	p.lex.Next()
	return &gTableName{Pos: n.Pos, Name: n.Value}
}

// isNameToken reports whether t is a name: Ident | QIdent | Func.
func isNameToken(t *lexer.Token) bool {
	return t.Type == tokIdent || t.Type == tokQIdent || t.Type == tokFunc
}

// exprList parses Expr { "," Expr }, or returns nil.
func (p *fastParser) exprList() []Expr {
	var out []Expr
	for len(out) < maxFastList() {
		x := p.expr()
		if x == nil {
			return nil
		}
		out = append(out, x)
		if !p.accept(",") {
			return out
		}
	}
	return nil
}

// orderList parses OrderItem { "," OrderItem }, or returns nil.
func (p *fastParser) orderList() []*gOrderItem {
	var out []*gOrderItem
	for len(out) < maxFastList() {
		o := &gOrderItem{Pos: p.lex.Peek().Pos}
		if o.Expr = p.expr(); o.Expr == nil {
			return nil
		}
		if p.is("ASC") || p.is("DESC") {
			o.Dir = p.lex.Next().Value
		}
		out = append(out, o)
		if !p.accept(",") {
			return out
		}
	}
	return nil
}
