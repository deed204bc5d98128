package query

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Expressions are parsed by hand, by precedence climbing, and plugged into
// the participle grammar with participle.ParseTypeWith: an expression
// written as participle structs descends eight levels of reflection per
// operand, and a typical SELECT then takes about five times the CPU
// (BenchmarkParse_VsParticipleExprs). The levels, from the loosest:
//
//	Expr    = And { "OR" And } .
//	And     = Not { "AND" Not } .
//	Not     = "NOT" Not | Cmp .
//	Cmp     = Add { CmpOp Add | ["NOT"] "LIKE" Add | ["NOT"] "IN" "(" Expr { "," Expr } ")"
//	                | "IS" ["NOT"] "NULL" } .
//	Add     = Mul { ("+" | "-") Mul } .
//	Mul     = Unary { ("*" | "/") Unary } .
//	Unary   = ("-" | "+") Unary | JSON .
//	JSON    = Primary { ("->" | "->>") Primary } .
//	Primary = number | string | "?" | "TRUE" | "FALSE" | "NULL" | Vector
//	        | word [ "(" [ "*" | Expr { "," Expr } ] ")" ] | quoted_ident | "(" Expr ")" .
//
// Binary operators are left-associative, comparisons included (a = b = c
// is (a = b) = c, as in SQLite).

// parseExprTokens is the participle parse function for Expr. It returns
// participle.NextMatch, consuming nothing, when the next token cannot begin
// an expression, so that the grammar reports what it expected there.
// Otherwise any error it returns is an *Error, raised after it consumed at
// least one token, so that participle reports it as is.
func parseExprTokens(lex *lexer.PeekingLexer) (Expr, error) {
	if !canStartExpr(lex.Peek()) {
		return nil, participle.NextMatch
	}
	p := exprParser{lex: lex}
	return p.or()
}

// parseValueTokens is the participle parse function for optionValue: an
// expression, or else a reserved word, which becomes an *Ident holding its
// lower-case spelling.
func parseValueTokens(lex *lexer.PeekingLexer) (optionValue, error) {
	t := lex.Peek()
	if t.Type == tokKeyword && !canStartExpr(t) {
		lex.Next()
		return &Ident{Pos: position(t.Pos), Name: strings.ToLower(t.Value)}, nil
	}
	return parseExprTokens(lex)
}

// canStartExpr reports whether an expression can begin with t.
func canStartExpr(t *lexer.Token) bool {
	switch t.Type {
	case tokNumber, tokString, tokParam, tokQIdent, tokFunc, tokIdent, tokNumbers:
		return true
	case tokPunct:
		switch t.Value {
		case "(", "[", "-", "+":
			return true
		}
	case tokKeyword:
		return strings.EqualFold(t.Value, "NOT") || strings.EqualFold(t.Value, "TRUE") ||
			strings.EqualFold(t.Value, "FALSE") || strings.EqualFold(t.Value, "NULL")
	}
	return false
}

// tokenSource is where the expression parser reads tokens: participle's
// PeekingLexer, or a rowLexer for the rows of an INSERT. Next returns a
// token that stays valid.
type tokenSource interface {
	Peek() *lexer.Token
	Next() *lexer.Token
}

type exprParser struct {
	lex  tokenSource
	nums []NumberLit // slab for number literals: a vector has hundreds
}

// newNumber returns a zero NumberLit from the slab, which grows in blocks
// of up to 64 so that small statements stay small.
func (p *exprParser) newNumber() *NumberLit {
	if len(p.nums) == cap(p.nums) {
		p.nums = make([]NumberLit, 0, min(2*cap(p.nums)+2, 64))
	}
	p.nums = p.nums[:len(p.nums)+1]
	return &p.nums[len(p.nums)-1]
}

func (p *exprParser) peek() *lexer.Token { return p.lex.Peek() }

func (p *exprParser) next() *lexer.Token { return p.lex.Next() }

func (p *exprParser) isPunct(s string) bool {
	t := p.lex.Peek()
	return t.Type == tokPunct && t.Value == s
}

func (p *exprParser) isKeyword(kw string) bool {
	t := p.lex.Peek()
	return t.Type == tokKeyword && strings.EqualFold(t.Value, kw)
}

// expected returns the error "expected what, found <next token>".
func (p *exprParser) expected(what string) error {
	t := p.peek()
	msg := "expected " + what + ", found " + describeLexToken(t)
	if what == "expression" && t.Type == tokKeyword {
		msg += reservedHint(t.Value)
	}
	return syntaxError(position(t.Pos), msg)
}

func (p *exprParser) or() (Expr, error) {
	l, err := p.and()
	for err == nil && p.isKeyword("OR") {
		t := p.next()
		var r Expr
		if r, err = p.and(); err == nil {
			l = &Binary{Pos: position(t.Pos), Op: OpOr, L: l, R: r}
		}
	}
	return l, err
}

func (p *exprParser) and() (Expr, error) {
	l, err := p.not()
	for err == nil && p.isKeyword("AND") {
		t := p.next()
		var r Expr
		if r, err = p.not(); err == nil {
			l = &Binary{Pos: position(t.Pos), Op: OpAnd, L: l, R: r}
		}
	}
	return l, err
}

func (p *exprParser) not() (Expr, error) {
	if !p.isKeyword("NOT") {
		return p.cmp()
	}
	t := p.next()
	x, err := p.not()
	if err != nil {
		return nil, err
	}
	return &Unary{Pos: position(t.Pos), Op: OpNot, X: x}, nil
}

var cmpOps = map[string]Op{"=": OpEq, "<>": OpNe, "!=": OpNe, "<": OpLt, "<=": OpLe, ">": OpGt, ">=": OpGe}

func (p *exprParser) cmp() (Expr, error) {
	l, err := p.add()
	for err == nil {
		t := p.peek()
		switch {
		case t.Type == tokPunct && cmpOps[t.Value] != 0:
			p.next()
			var r Expr
			if r, err = p.add(); err == nil {
				l = &Binary{Pos: position(t.Pos), Op: cmpOps[t.Value], L: l, R: r}
			}
		case p.isKeyword("NOT"):
			p.next()
			if !p.isKeyword("LIKE") && !p.isKeyword("IN") {
				return nil, p.expected("LIKE or IN")
			}
			l, err = p.likeIn(position(t.Pos), l, true)
		case p.isKeyword("LIKE"), p.isKeyword("IN"):
			l, err = p.likeIn(position(t.Pos), l, false)
		case p.isKeyword("IS"):
			l, err = p.isNull(l)
		default:
			return l, nil
		}
	}
	return l, err
}

// likeIn parses the LIKE or IN part of x [NOT] LIKE ... or x [NOT] IN (...),
// the NOT being consumed already.
func (p *exprParser) likeIn(at Position, x Expr, not bool) (Expr, error) {
	if p.isKeyword("LIKE") {
		p.next()
		pat, err := p.add()
		if err != nil {
			return nil, err
		}
		return &Like{Pos: at, X: x, Pattern: pat, Not: not}, nil
	}
	p.next() // IN
	if !p.isPunct("(") {
		return nil, p.expected("'('")
	}
	p.next()
	list, err := p.list(")", false)
	if err != nil {
		return nil, err
	}
	return &In{Pos: at, X: x, List: list, Not: not}, nil
}

// list parses expressions separated by commas up to the closing bracket,
// which it consumes; the opening one is consumed already.
func (p *exprParser) list(closing string, mayBeEmpty bool) ([]Expr, error) {
	return p.listInto(nil, closing, mayBeEmpty)
}

// listInto is list appending to out, which the caller may allocate with
// the capacity it expects.
func (p *exprParser) listInto(out []Expr, closing string, mayBeEmpty bool) ([]Expr, error) {
	if mayBeEmpty && p.isPunct(closing) {
		p.next()
		return out, nil
	}
	for {
		e, err := p.operand()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		switch {
		case p.isPunct(","):
			p.next()
		case p.isPunct(closing):
			p.next()
			return out, nil
		default:
			return nil, p.expected("',' or '" + closing + "'")
		}
	}
}

// operand parses an expression where one is required.
func (p *exprParser) operand() (Expr, error) {
	if !canStartExpr(p.peek()) {
		return nil, p.expected("expression")
	}
	return p.or()
}

func (p *exprParser) add() (Expr, error) {
	l, err := p.mul()
	for err == nil && (p.isPunct("+") || p.isPunct("-")) {
		t := p.next()
		op := OpAdd
		if t.Value == "-" {
			op = OpSub
		}
		var r Expr
		if r, err = p.mul(); err == nil {
			l = &Binary{Pos: position(t.Pos), Op: op, L: l, R: r}
		}
	}
	return l, err
}

func (p *exprParser) mul() (Expr, error) {
	l, err := p.unary()
	for err == nil && (p.isPunct("*") || p.isPunct("/")) {
		t := p.next()
		op := OpMul
		if t.Value == "/" {
			op = OpDiv
		}
		var r Expr
		if r, err = p.unary(); err == nil {
			l = &Binary{Pos: position(t.Pos), Op: op, L: l, R: r}
		}
	}
	return l, err
}

func (p *exprParser) unary() (Expr, error) {
	if !p.isPunct("-") && !p.isPunct("+") {
		return p.jsonPath()
	}
	t := p.next()
	at := position(t.Pos)
	// A minus before a number is folded into it, so that
	// -9223372036854775808 is an int64 and [-1, 2] holds two numbers.
	if n := p.peek(); t.Value == "-" && n.Type == tokNumber {
		p.next()
		return p.number(at, "-"+n.Value)
	}
	x, err := p.unary()
	if err != nil || t.Value == "+" {
		return x, err // a unary plus changes nothing
	}
	if n, ok := x.(*NumberLit); ok && n.Text != "" {
		// -(1), - -1: fold too, so that printing (which writes -1 for
		// both) and parsing agree.
		text := "-" + n.Text
		if strings.HasPrefix(n.Text, "-") {
			text = n.Text[1:]
		}
		return p.number(at, text)
	}
	return &Unary{Pos: at, Op: OpNeg, X: x}, nil
}

func (p *exprParser) primary() (Expr, error) {
	t := p.peek()
	at := position(t.Pos)
	switch t.Type {
	case tokNumber:
		p.next()
		return p.number(at, t.Value)
	case tokString:
		p.next()
		return &StringLit{Pos: at, Value: unquote(t.Value, '\'')}, nil
	case tokParam:
		p.next()
		return &Param{Pos: at}, nil // numbered once the statement is parsed
	case tokNumbers:
		p.next()
		return p.numbers(at, t.Value)
	case tokQIdent:
		p.next()
		return &Ident{Pos: at, Name: unquote(t.Value, '"')}, nil
	case tokFunc, tokIdent:
		p.next()
		if !p.isPunct("(") {
			return &Ident{Pos: at, Name: t.Value}, nil
		}
		if t.Type != tokFunc {
			return nil, syntaxError(at, "unknown function "+truncate(t.Value)+" (functions are "+joinOr(functionNames)+")")
		}
		return p.call(at, t.Value)
	case tokKeyword:
		switch u := upperASCII(t.Value); u {
		case "TRUE", "FALSE":
			p.next()
			return &BoolLit{Pos: at, Value: u == "TRUE"}, nil
		case "NULL":
			p.next()
			return &NullLit{Pos: at}, nil
		}
	case tokPunct:
		switch t.Value {
		case "[":
			p.next()
			elems, err := p.list("]", true)
			if err != nil {
				return nil, err
			}
			return &VectorLit{Pos: at, Elems: elems}, nil
		case "(":
			p.next()
			e, err := p.operand()
			if err != nil {
				return nil, err
			}
			if !p.isPunct(")") {
				return nil, p.expected("')'")
			}
			p.next()
			return e, nil
		}
	}
	return nil, p.expected("expression")
}

// numbers reads the elements of a tokNumbers token (see numberVector),
// which begins at the position at, into a flat VectorLit: the elements,
// positions and errors are those the tokens '[', ['-'] number, ',' ... ']'
// give, but no node is made per element.
func (p *exprParser) numbers(at Position, text string) (Expr, error) {
	v := &VectorLit{Pos: at, text: text, nums: make([]float64, 0, 1+strings.Count(text, ","))}
	bad := -1
	v.eachText(func(i int, lit string) {
		v.ints = v.ints || isIntText(lit)
		f, err := numberValue(Position{}, lit)
		if err != nil && bad < 0 {
			bad = i
		}
		v.nums = append(v.nums, f)
	})
	if bad < 0 {
		return v, nil
	}
	// Only now find where the bad element is: tracking positions costs
	// a tenth of the parse of a vector.
	var err error
	v.each(func(i int, pos Position, lit string) bool {
		if i == bad {
			_, err = numberValue(pos, lit)
		}
		return i < bad
	})
	return nil, err
}

// numberValue returns the value of a number literal's text as
// NumberLit.Float holds it, or the error that p.number gives for it.
func numberValue(at Position, text string) (float64, error) {
	if isIntText(text) {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return float64(i), nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if math.IsInf(f, 0) {
		return 0, syntaxError(at, "number "+truncate(text)+" is out of range")
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) { // underflow to 0 is fine
		return 0, syntaxError(at, "malformed number "+quoteToken(text))
	}
	return f, nil
}

// call parses a function's arguments; the name is consumed already.
func (p *exprParser) call(at Position, name string) (Expr, error) {
	p.next() // (
	c := &Call{Pos: at, Name: upperASCII(name)}
	if p.isPunct("*") {
		p.next()
		if !p.isPunct(")") {
			return nil, p.expected("')'")
		}
		p.next()
		c.Star = true
		return c, nil
	}
	args, err := p.list(")", true)
	if err != nil {
		return nil, err
	}
	c.Args = args
	return c, nil
}

// number makes a NumberLit of a literal's text (with its folded sign, if
// any): an int64 when it is an integer that fits, else a float64.
func (p *exprParser) number(at Position, text string) (*NumberLit, error) {
	if isIntText(text) {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			n := p.newNumber()
			n.Pos, n.Text, n.IsInt, n.Int, n.Float = at, text, true, i, float64(i)
			return n, nil
		}
	}
	f, err := numberValue(at, text)
	if err != nil {
		return nil, err
	}
	n := p.newNumber()
	n.Pos, n.Text, n.Float = at, text, f
	return n, nil
}

// describeLexToken names a participle token for an error message; see
// describeToken.
func describeLexToken(t *lexer.Token) string {
	return describeToken(*t)
}
