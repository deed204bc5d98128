package query

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// maxNesting bounds how deeply brackets and prefix operators may nest, so
// that a hostile input cannot exhaust the stack of the recursive parser.
const maxNesting = 200

// Parse parses a script: zero or more statements separated by ';' (the last
// ';' is optional; empty statements are skipped). On a malformed statement
// it returns the statements before it and an *Error wrapping ErrSyntax.
// Positions are relative to src.
func Parse(src string) ([]Statement, error) { return parseScript(src, true) }

// parseScript is Parse, with the hand parser of SELECT (selectparse.go)
// or, when fast is false, with the participle grammar alone (for tests).
func parseScript(src string, fast bool) ([]Statement, error) {
	sc := newScanner(src)
	var stmts []Statement
	for {
		c := readChunk(sc)
		c.noFast = !fast
		if !c.empty() {
			s, err := c.parse()
			if err != nil {
				return stmts, err
			}
			stmts = append(stmts, s)
		}
		if c.lexErr != nil {
			return stmts, c.lexErr
		}
		if !c.semicolon {
			return stmts, nil
		}
	}
}

// ParseStatement parses exactly one statement, optionally followed by ';'.
// Empty input is an error ("unexpected end of input"), and so is a second
// statement.
func ParseStatement(src string) (Statement, error) {
	sc := newScanner(src)
	var stmt Statement
	for {
		c := readChunk(sc)
		if !c.empty() {
			if stmt != nil {
				return nil, syntaxErrorf(position(c.toks[0].Pos),
					"expected end of input after the statement, found %s", describeToken(c.toks[0]))
			}
			var err error
			if stmt, err = c.parse(); err != nil {
				return nil, err
			}
		}
		if c.lexErr != nil {
			return nil, c.lexErr
		}
		if !c.semicolon {
			if stmt == nil {
				return nil, syntaxError(c.termPos(), "unexpected end of input")
			}
			return stmt, nil
		}
	}
}

// ParseExpr parses a single expression, such as the value of a setting.
// ? parameters in it are numbered from 1.
func ParseExpr(src string) (Expr, error) {
	c := readChunk(newScanner(src))
	if c.empty() {
		if c.lexErr != nil {
			return nil, c.lexErr
		}
		if c.semicolon {
			return nil, syntaxError(c.termPos(), "expected expression, found ';'")
		}
		return nil, syntaxError(c.termPos(), "unexpected end of input")
	}
	cur := &tokenCursor{toks: c.toks}
	p := exprParser{lex: cur}
	e, err := p.operand()
	if err == nil && !cur.Peek().EOF() {
		err = p.expected("end of expression")
	}
	if err == nil && c.semicolon {
		err = p.expected("end of expression")
	}
	if err != nil {
		return nil, c.convertError(err)
	}
	if c.lexErr != nil {
		return nil, c.lexErr
	}
	c.numberParams(e)
	return e, nil
}

// chunk is one statement: its tokens (read into participle's PeekingLexer
// when participle parses it), up to the ';' or the end of input that ends
// it. When the scanner meets a lexical error (or nesting too deep), the chunk stops there, its final EOF
// token stands at the error, and lexErr holds it: it is reported unless
// the parser fails earlier, since TRAIN t FROM a.txt is better told
// "expected file name" than "unexpected character '.'". An unterminated
// string, identifier or comment is reported in any case.
type chunk struct {
	lex       *lexer.PeekingLexer // nil until peeking makes it
	toks      []lexer.Token       // the statement's tokens, then an EOF token
	semicolon bool                // a ';' ended the chunk; the EOF token's Value is ";"
	lexErr    *Error
	lexFatal  bool     // lexErr is an unterminated string, identifier or comment
	end       Position // just past the last token
	params    []int    // byte offsets of the ? tokens, in order
	cl        *chunkLexer
	rows      *rowReader // an INSERT's rows, read after its head
	noFast    bool       // parse with participle only, not selectparse.go
	fast      bool       // the hand parser of selectparse.go parsed it
}

func (c *chunk) empty() bool { return len(c.toks) <= 1 }

// termPos returns where the chunk ends: its ';', the end of input or the
// lexical error.
func (c *chunk) termPos() Position { return position(c.toks[len(c.toks)-1].Pos) }

// readChunk scans one statement.
func readChunk(sc *scanner) *chunk {
	c := &chunk{}
	cl := &chunkLexer{sc: sc, c: c}
	c.cl = cl
	first, _ := cl.Next() // a chunkLexer never fails
	if !first.EOF() && !isFastKeyword(first) {
		// For participle: selectparse.go parses none of these.
		cl.replay = true
		pl, err := lexer.Upgrade(cl)
		if err != nil {
			panic(err) // chunkLexer never fails, so neither does Upgrade
		}
		c.lex = pl
		c.toks = pl.Range(0, lexer.RawCursor(cl.n+1))
		return c
	}
	// For the hand parser: the tokens gather on the stack, then move to
	// a slice of their number.
	var buf [24]lexer.Token
	toks := append(buf[:0], first)
	for !toks[len(toks)-1].EOF() {
		t, _ := cl.Next()
		toks = append(toks, t)
	}
	c.toks = slices.Clone(toks)
	return c
}

// peeking returns the chunk's tokens as participle reads them. For a
// SELECT or EXPLAIN, it is made on first use: the hand-written parser reads
// c.toks through a tokenCursor, and only a statement it declines needs it.
func (c *chunk) peeking() *lexer.PeekingLexer {
	if c.lex == nil {
		pl, err := lexer.Upgrade(&lexerCursor{tokenCursor{toks: c.toks}})
		if err != nil {
			panic(err) // a tokenCursor never fails, so neither does Upgrade
		}
		c.lex = pl
	}
	return c.lex
}

// tokenCursor reads a slice of tokens ending with an EOF token, as
// participle's PeekingLexer does: at the end it returns the EOF token again
// and again. It serves the hand-written parsers (a tokenSource) and, as a
// lexer.Lexer, participle's Upgrade.
type tokenCursor struct {
	toks []lexer.Token
	i    int
}

// Peek returns the next token.
func (t *tokenCursor) Peek() *lexer.Token { return &t.toks[t.i] }

// Next returns the next token and moves past it, unless it is the last.
func (t *tokenCursor) Next() *lexer.Token {
	tok := &t.toks[t.i]
	if t.i < len(t.toks)-1 {
		t.i++
	}
	return tok
}

// lexerCursor is a tokenCursor as a lexer.Lexer, whose Next returns a
// value.
type lexerCursor struct{ tokenCursor }

// Next implements lexer.Lexer.
func (l *lexerCursor) Next() (lexer.Token, error) { return *l.tokenCursor.Next(), nil }

// chunkLexer feeds a chunk's tokens to participle as the scanner finds them,
// keeping watch on nesting.
type chunkLexer struct {
	sc   *scanner
	c    *chunk
	n    int // tokens returned, the EOF aside
	done bool
	eof  lexer.Token

	runs  []int // prefix-operator run before each open bracket
	depth int   // len(runs) + sum(runs)
	run   int   // current run of prefix operators

	replay bool        // the next token to hand out is the last one again
	last   lexer.Token // the last token handed out

	// An INSERT's VALUES list is not handed to participle: after VALUES
	// the lexer returns one EOF token (pause), and the rowReader then
	// reads the rest of the statement from it, token by token.
	insert bool // the chunk is an INSERT
	pause  bool // the next token to hand out is that EOF
}

func (l *chunkLexer) stop(at Position, value string, err *Error) (lexer.Token, error) {
	l.done = true
	l.c.lexErr = err
	l.eof = lexer.Token{Type: lexer.EOF, Value: value, Pos: lexPos(at)}
	return l.eof, nil
}

// Next implements lexer.Lexer.
func (l *chunkLexer) Next() (lexer.Token, error) {
	if l.replay {
		l.replay = false
		return l.last, nil
	}
	t, err := l.next()
	l.last = t
	return t, err
}

func (l *chunkLexer) next() (lexer.Token, error) {
	if l.done {
		return l.eof, nil
	}
	if l.pause {
		l.pause = false
		return lexer.Token{Type: lexer.EOF, Pos: lexPos(l.c.end)}, nil
	}
	t, lerr := l.sc.scan()
	switch {
	case lerr != nil:
		l.c.lexFatal = lerr.fatal
		return l.stop(lerr.err.Pos, "", lerr.err)
	case t.kind == lexer.EOF:
		// "found end of input" points just past the last token, not
		// at trailing blanks and comments.
		at := t.pos
		if l.n > 0 {
			at = l.c.end
		}
		return l.stop(at, "", nil)
	case t.kind == tokPunct && t.text == ";":
		l.c.semicolon = true
		return l.stop(t.pos, ";", nil)
	case t.kind == tokPunct && t.text == "[":
		if n := numberVector(l.sc.src[t.pos.Offset:]); n > 0 {
			l.sc.advance(n - 1) // the scanner is past the '[' already
			t = token{kind: tokNumbers, text: l.sc.src[t.pos.Offset : t.pos.Offset+n], pos: t.pos, endPos: l.sc.pos()}
		}
	}
	switch {
	case t.kind == tokParam:
		l.c.params = append(l.c.params, t.pos.Offset)
		l.run = 0
	case t.kind == tokPunct && (t.text == "(" || t.text == "["):
		l.runs = append(l.runs, l.run)
		l.depth += 1 + l.run
		l.run = 0
	case t.kind == tokPunct && (t.text == ")" || t.text == "]"):
		if n := len(l.runs); n > 0 {
			l.depth -= 1 + l.runs[n-1]
			l.runs = l.runs[:n-1]
		}
		l.run = 0
	case t.kind == tokPunct && (t.text == "-" || t.text == "+"),
		t.kind == tokKeyword && strings.EqualFold(t.text, "NOT"):
		l.run++
	default:
		l.run = 0
	}
	if l.depth+l.run > maxNesting {
		return l.stop(t.pos, "", syntaxErrorf(t.pos, "expression nested too deeply (more than %d levels)", maxNesting))
	}
	if t.kind == tokKeyword {
		switch {
		case l.n == 0:
			l.insert = strings.EqualFold(t.text, "INSERT")
		case l.insert && l.depth == 0 && strings.EqualFold(t.text, "VALUES"):
			l.insert, l.pause = false, true
		}
	}
	l.n++
	l.c.end = t.endPos
	return lexer.Token{Type: t.kind, Value: t.text, Pos: lexPos(t.pos)}, nil
}

func lexPos(p Position) lexer.Position {
	return lexer.Position{Offset: p.Offset, Line: p.Line, Column: p.Column}
}

func position(p lexer.Position) Position {
	return Position{Offset: p.Offset, Line: p.Line, Column: p.Column}
}

// numberParams sets the Index of every ? parameter under n from its
// position among the chunk's ? tokens.
func (c *chunk) numberParams(n Node) {
	if len(c.params) == 0 {
		return
	}
	Walk(n, func(n Node) bool {
		if p, ok := n.(*Param); ok {
			p.Index = sort.SearchInts(c.params, p.Pos.Offset) + 1
		}
		return !isFlatVector(n)
	})
}

// parse parses the chunk's statement, reading all of an INSERT's rows.
func (c *chunk) parse() (Statement, error) {
	s, err := c.parseHead()
	if err != nil || c.rows == nil {
		return s, err
	}
	ins := s.(*Insert)
	// The rows go in blocks, copied into one slice of the right length at
	// the end: appending to one slice would allocate some five times its
	// final size for a million rows, as it grows by a quarter at a time.
	var blocks [][]Row
	block, n := make([]Row, 0, 4), 0
	for {
		r, ok, err := c.rows.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if len(block) == cap(block) {
			blocks = append(blocks, block)
			block = make([]Row, 0, min(2*cap(block), 1<<14))
		}
		block = append(block, r)
		n++
	}
	ins.Rows = block
	if len(blocks) > 0 {
		ins.Rows = make([]Row, 0, n)
		for _, b := range append(blocks, block) {
			ins.Rows = append(ins.Rows, b...)
		}
	}
	ins.End = c.end
	return ins, nil
}

// parseHead parses the chunk's statement, except for the rows of an
// INSERT, which c.rows then reads.
func (c *chunk) parseHead() (Statement, error) {
	first := c.toks[0]
	var g gStmt
	if !c.noFast {
		g = c.fastParse() // nil unless a SELECT the hand parser accepts
		c.fast = g != nil
	}
	if g == nil {
		parse := theGrammar().stmtParsers[keywordOf(first)]
		if parse == nil {
			return nil, unknownStatement(first)
		}
		var err error
		if g, err = parse(c.peeking()); err != nil {
			return nil, c.convertError(err)
		}
		if c.lexErr != nil {
			return nil, c.lexErr // the statement is complete, but garbage follows
		}
	}
	s := convertStmt(g)
	setSpan(s, position(first.Pos), c.end)
	if ins, ok := g.(*gInsert); ok && ins.Select == nil {
		c.rows = newRowReader(c)
		return s, nil
	}
	c.numberParams(s)
	return s, nil
}

// keywordOf returns t's keyword in upper case, or "" if t is no keyword.
func keywordOf(t lexer.Token) string {
	if t.Type != tokKeyword {
		return ""
	}
	return upperASCII(t.Value)
}

func unknownStatement(t lexer.Token) *Error {
	msg := "expected a statement (" + strings.Join(statementWords, ", ") + "), found " + describeToken(t)
	if t.Type == tokIdent || t.Type == tokKeyword || t.Type == tokFunc {
		if s := suggest(t.Value, statementWords); s != "" {
			msg += "; did you mean " + s + "?"
		}
	}
	return syntaxError(position(t.Pos), msg)
}

// convertError turns a parse error into an *Error that says what was
// expected and what was found.
func (c *chunk) convertError(err error) error {
	if c.lexFatal {
		// An unterminated string explains errors before it: in
		// SELECT 'it's', the parser stumbles on s.
		return c.lexErr
	}
	var qe *Error
	if errors.As(err, &qe) {
		// From the expression parser: worded already.
		if c.lexErr != nil && qe.Pos.Offset >= c.lexErr.Pos.Offset {
			return c.lexErr
		}
		return qe
	}
	var perr participle.Error
	if !errors.As(err, &perr) {
		if c.lexErr != nil {
			return c.lexErr
		}
		return &Error{Pos: position(c.toks[0].Pos), Msg: err.Error(), Err: ErrSyntax}
	}
	p := perr.Position()
	if c.lexErr != nil && p.Offset >= c.lexErr.Pos.Offset {
		return c.lexErr
	}
	tok, ok := c.tokenAt(p.Offset)
	if !ok {
		return syntaxError(position(p), perr.Message())
	}
	at := position(tok.Pos)
	msg := perr.Message()
	if !strings.HasPrefix(msg, "unexpected token ") {
		// A Capture's own message (EXPLAIN's ANALYZE) reads as the others do.
		msg = strings.TrimPrefix(msg, "failed to capture: ")
		if strings.HasPrefix(msg, "too many iterations") {
			msg = "too many items in a list (more than " + strconv.Itoa(participle.MaxIterations) + ")"
		}
		return syntaxError(at, msg)
	}
	found := describeToken(tok)
	if strings.HasSuffix(msg, ")") {
		if i := strings.LastIndex(msg, " (expected "); i >= 0 {
			words := expectedWords(msg[i+len(" (expected ") : len(msg)-1])
			if len(words) > 0 {
				words = c.listClose(tok, words)
				m := "expected " + joinOr(words) + ", found " + found
				if tok.Type == tokKeyword && isNameExpected(words) {
					m += reservedHint(tok.Value)
				}
				return syntaxError(at, m)
			}
		}
	}
	return trailing(tok)
}

// trailing is the error for tok, which follows a complete statement.
func trailing(tok lexer.Token) *Error {
	at, found := position(tok.Pos), describeToken(tok)
	if statementSet[keywordOf(tok)] {
		return syntaxErrorf(at, "expected ';' between statements, found %s", found)
	}
	m := "expected end of statement, found " + found
	if tok.Type == tokIdent {
		if s := suggest(tok.Value, reservedWords); s != "" {
			m += "; did you mean " + s + "?"
		}
	}
	return syntaxError(at, m)
}

// reservedHint explains, after "expected <name>, found 'word'", that a
// reserved word must be quoted to serve as a name, unless word is one
// nobody would take for a name.
func reservedHint(word string) string {
	u := upperASCII(word)
	if structuralWords[u] {
		return ""
	}
	return " (" + u + " is a reserved word: write " + QuoteIdent(word) + " to use it as a name)"
}

// structuralWords are the reserved words nobody would take for a name; a
// name expected where one of them stands is more likely missing than
// misspelled, so the error gives no hint to quote them.
var structuralWords = makeSet([]string{
	"AND", "AS", "BY", "EXISTS", "FALSE", "FROM", "IF", "IN", "INTO", "LIKE",
	"LIMIT", "NOT", "NULL", "OFFSET", "ON", "OR", "TO", "TRUE", "USING",
	"WHERE", "WITH",
})

// listClose widens "expected ')'" to "expected ',' or ')'" when the
// bracket being closed holds a list (of options, columns, rows...) and the
// found token follows an element, since another element could follow.
func (c *chunk) listClose(found lexer.Token, words []string) []string {
	if len(words) != 1 || words[0] != "')'" && words[0] != "']'" {
		return words
	}
	i := sort.Search(len(c.toks), func(i int) bool { return c.toks[i].Pos.Offset >= found.Pos.Offset })
	if i == 0 {
		return words
	}
	if prev := c.toks[i-1]; prev.Type == tokPunct && (prev.Value == "(" || prev.Value == "[" || prev.Value == ",") {
		return words
	}
	depth, comma := 0, false
	for j := i - 1; j >= 0; j-- {
		t := c.toks[j]
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case ")", "]":
			depth++
		case ",":
			comma = comma || depth == 0
		case "(", "[":
			if depth > 0 {
				depth--
				continue
			}
			if t.Value == "[" || comma || j > 0 && isListOpener(c.toks[j-1]) {
				return []string{"','", words[0]}
			}
			return words
		}
	}
	return words
}

// isListOpener reports whether a '(' after t opens a list rather than a
// parenthesised expression.
func isListOpener(t lexer.Token) bool {
	switch t.Type {
	case tokFunc, tokIdent, tokQIdent:
		return true
	case tokKeyword:
		u := keywordOf(t)
		return u == "IN" || u == "WITH" || u == "VALUES"
	case tokPunct:
		return t.Value == ","
	}
	return false
}

func isNameExpected(words []string) bool {
	for _, w := range words {
		if nameLabels[w] {
			return true
		}
	}
	return false
}

// tokenAt returns the token of the chunk (its final EOF included) at offset.
func (c *chunk) tokenAt(offset int) (lexer.Token, bool) {
	i := sort.Search(len(c.toks), func(i int) bool { return c.toks[i].Pos.Offset >= offset })
	if i < len(c.toks) && c.toks[i].Pos.Offset == offset {
		return c.toks[i], true
	}
	return lexer.Token{}, false
}

// suggest returns the word of words closest to w when it is close enough to
// be a likely typo, else "".
func suggest(w string, words []string) string {
	u := strings.ToUpper(w)
	if len(u) < 3 {
		return ""
	}
	best, bestD := "", 3
	for _, k := range words {
		d := editDistance(u, k)
		limit := 1
		if len(k) > 4 {
			limit = 2
		}
		if d <= limit && d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of bytes.
func editDistance(a, b string) int {
	if len(a) > 32 || len(b) > 32 {
		return math.MaxInt
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func setSpan(s Statement, pos, end Position) {
	switch x := s.(type) {
	case *Select:
		x.Pos, x.End = pos, end
	case *Explain:
		x.Pos, x.End = pos, end
		setSpan(x.Stmt, x.Stmt.Position(), end)
	case *CreateTable:
		x.Pos, x.End = pos, end
	case *Insert:
		x.Pos, x.End = pos, end
	case *Delete:
		x.Pos, x.End = pos, end
	case *AlterTable:
		x.Pos, x.End = pos, end
	case ownStatement:
		x.setSpan(pos, end)
	}
}

// ---------------------------------------------------------------------------
// From the grammar's parse tree to the syntax tree.

func convertStmt(g gStmt) Statement {
	switch x := g.(type) {
	case *gSelect:
		return convertSelect(x)
	case *gExplain:
		return &Explain{Pos: position(x.Pos), Analyze: bool(x.Analyze), Stmt: convertSelect(x.Stmt)}
	case *gCreate:
		if t := x.Table; t != nil {
			opts, cols := convertTableElems(t.Elems)
			return &CreateTable{Pos: position(x.Pos), IfNotExists: t.IfNotExists, Table: convertTable(t.Table), Options: opts, Columns: cols}
		}
		return x.Index.convert(position(x.Pos)) // CREATE INDEX: createindex.go
	case *gInsert:
		s := &Insert{Pos: position(x.Pos), OrReplace: x.OrReplace, Table: convertTable(x.Table)}
		for _, col := range x.Columns {
			s.Columns = append(s.Columns, &Ident{Pos: position(col.Pos), Name: unquoteName(col.Name)})
		}
		if x.Select != nil {
			s.Select = convertSelect(x.Select) // INSERT ... SELECT
			return s
		}
		return s // the rows are the rowReader's
	case *gDelete:
		return &Delete{Pos: position(x.Pos), Table: convertTable(x.Table), Where: x.Where}
	case *gAlter:
		s := &AlterTable{Pos: position(x.Pos), Table: convertTable(x.Table)}
		switch {
		case x.NewName != nil:
			s.NewName = convertTable(x.NewName)
		case x.Add != nil:
			d := convertColumnDef(x.Add.Pos, x.Add.Name, x.Add.Type)
			s.AddColumn = &d
		default:
			s.DropColumn = &Ident{Pos: position(x.Drop.Pos), Name: unquoteName(x.Drop.Name)}
		}
		return s
	case ownGrammar:
		return x.convert()
	}
	panic("query: unknown grammar statement") // the union lists every case above
}

func convertSelect(x *gSelect) *Select {
	s := &Select{Pos: position(x.Pos), Where: x.Where, GroupBy: x.GroupBy, Having: x.Having, Limit: x.Limit, Offset: x.Offset}
	s.Items = make([]SelectItem, len(x.Items))
	for i, it := range x.Items {
		item := SelectItem{Pos: position(it.Pos), Star: it.Star, Expr: it.Expr}
		if it.Alias != nil {
			item.Alias = unquoteName(it.Alias.Name)
		}
		s.Items[i] = item
	}
	if x.From != nil {
		s.From = convertTable(x.From)
	}
	if len(x.OrderBy) > 0 {
		s.OrderBy = make([]OrderItem, len(x.OrderBy))
		for i, o := range x.OrderBy {
			s.OrderBy[i] = OrderItem{Pos: position(o.Pos), Expr: o.Expr, Desc: strings.EqualFold(o.Dir, "DESC")}
		}
	}
	return s
}

func convertTable(g *gTableName) *TableName {
	return &TableName{Pos: position(g.Pos), Name: unquoteName(g.Name)}
}

func convertFile(g *gFile) Expr {
	if g.Param {
		return &Param{Pos: position(g.Pos)}
	}
	return &StringLit{Pos: position(g.Pos), Value: unquote(g.String, '\'')}
}

func convertOptions(gs []*gOption) []Option {
	if len(gs) == 0 {
		return nil
	}
	out := make([]Option, len(gs))
	for i, g := range gs {
		out[i] = Option{Pos: position(g.Pos), Name: optionNameOf(g.Name), Value: g.Value}
	}
	return out
}

// optionNameOf normalises an option or setting name: quoted names are kept
// as written, bare words lower-cased.
func optionNameOf(raw string) string {
	if strings.HasPrefix(raw, `"`) {
		return unquote(raw, '"')
	}
	return strings.ToLower(raw)
}

// unquoteName returns an identifier's name: the word as written, or the
// content of a quoted identifier.
func unquoteName(raw string) string {
	if strings.HasPrefix(raw, `"`) {
		return unquote(raw, '"')
	}
	return raw
}

// unquote strips the quotes q from a quoted token and undoes its doubled
// quotes.
func unquote(raw string, q byte) string {
	if len(raw) < 2 {
		return raw
	}
	body := raw[1 : len(raw)-1]
	if strings.IndexByte(body, q) < 0 {
		return body
	}
	return strings.ReplaceAll(body, string([]byte{q, q}), string(q))
}
