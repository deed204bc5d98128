package query

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// This file is the grammar, as participle structs. They are a parse tree
// only: parse.go converts them into the syntax tree of ast.go, so that
// participle's types never leave the package.
//
// The parser runs with participle.UseLookahead(0): a branch that has
// consumed a token is committed, so the grammar is LL(1) (every alternative
// begins with a distinct token) and an error is reported where the input
// goes wrong, not where the parser last backtracked to. Every alternative
// consumes at least one token.
//
// Literals ("SELECT", "(") match tokens by value, case-insensitively for
// Keyword and Func tokens. String and QIdent tokens keep their quotes, so
// they never match a literal.

type gRoot struct {
	Stmt gStmt `parser:"@@"`
}

// gStmt is the union of the statements, one per leading keyword.
type gStmt interface{ gstmt() }

type gSelect struct {
	Pos     lexer.Position
	Items   []*gSelectItem `parser:"'SELECT' @@ (',' @@)*"`
	From    *gTableName    `parser:"('FROM' @@)?"`
	Where   Expr           `parser:"('WHERE' @@)?"`
	GroupBy []Expr         `parser:"('GROUP' 'BY' @@ (',' @@)*)?"`
	Having  Expr           `parser:"('HAVING' @@)?"`
	OrderBy []*gOrderItem  `parser:"('ORDER' 'BY' @@ (',' @@)*)?"`
	Limit   Expr           `parser:"('LIMIT' @@)?"`
	Offset  Expr           `parser:"('OFFSET' @@)?"`
}

type gSelectItem struct {
	Pos   lexer.Position
	Star  bool    `parser:"  @'*'"`
	Expr  Expr    `parser:"| @@"`
	Alias *gAlias `parser:"  ('AS' @@)?"`
}

type gOrderItem struct {
	Pos  lexer.Position
	Expr Expr   `parser:"@@"`
	Dir  string `parser:"@('ASC' | 'DESC')?"`
}

type gExplain struct {
	Pos     lexer.Position
	Analyze analyzeWord `parser:"'EXPLAIN' @Ident?"`
	Stmt    *gSelect    `parser:"@@"`
}

// analyzeWord is the ANALYZE of EXPLAIN ANALYZE. It is not a reserved word
// (a column or table may still be called analyze), so the grammar takes an
// identifier there and refuses any other.
type analyzeWord bool

// Capture implements participle.Capture.
func (a *analyzeWord) Capture(values []string) error {
	if len(values) != 1 || upperASCII(values[0]) != "ANALYZE" {
		return fmt.Errorf("expected ANALYZE or SELECT after EXPLAIN, found '%s'", strings.Join(values, " "))
	}
	*a = true
	return nil
}

type gCreate struct {
	Pos   lexer.Position
	Table *gCreateTable `parser:"'CREATE' ( @@"`
	Index *gCreateIndex `parser:"         | @@ )"`
}

type gCreateTable struct {
	Pos         lexer.Position
	IfNotExists bool          `parser:"'TABLE' @('IF' 'NOT' 'EXISTS')?"`
	Table       *gTableName   `parser:"@@"`
	Elems       []*gTableElem `parser:"'(' @@ (',' @@)* ')'"`
}

// gInsert is the head of an INSERT, up to VALUES: the rows are read by
// hand, one at a time, as the scanner finds them (see rowReader), so that a
// long VALUES list is never held as tokens.
type gInsert struct {
	Pos       lexer.Position
	OrReplace bool        `parser:"'INSERT' @('OR' 'REPLACE')?"`
	Table     *gTableName `parser:"'INTO' @@"`
	Columns   []*gColumn  `parser:"('(' @@ (',' @@)* ')')?"`
	Values    bool        `parser:"( @'VALUES'"`
	Select    *gSelect    `parser:"| @@ )"`
}

type gDelete struct {
	Pos   lexer.Position
	Table *gTableName `parser:"'DELETE' 'FROM' @@"`
	Where Expr        `parser:"('WHERE' @@)?"`
}

type gAlter struct {
	Pos     lexer.Position
	Table   *gTableName `parser:"'ALTER' 'TABLE' @@"`
	NewName *gTableName `parser:"( 'RENAME' 'TO' @@"`
	Add     *gColumnDef `parser:"| 'ADD' 'COLUMN'? @@"`
	Drop    *gColumn    `parser:"| 'DROP' 'COLUMN'? @@ )"`
}

func (*gSelect) gstmt()  {}
func (*gExplain) gstmt() {}
func (*gCreate) gstmt()  {}
func (*gInsert) gstmt()  {}
func (*gDelete) gstmt()  {}
func (*gAlter) gstmt()   {}

// Names. They are distinct types only so that an error can say which name
// was expected ("expected table name").

type gTableName struct {
	Pos  lexer.Position
	Name string `parser:"@(Ident | QIdent | Func)"`
}

type gColumn struct {
	Pos  lexer.Position
	Name string `parser:"@(Ident | QIdent | Func)"`
}

type gAlias struct {
	Pos  lexer.Position
	Name string `parser:"@(Ident | QIdent | Func)"`
}

type gMethod struct {
	Pos  lexer.Position
	Name string `parser:"@(Ident | QIdent | Func)"`
}

type gFile struct {
	Pos    lexer.Position
	String string `parser:"  @String"`
	Param  bool   `parser:"| @'?'"`
}

// gOption is name = value; any word may name an option (limit = 10).
type gOption struct {
	Pos   lexer.Position
	Name  string      `parser:"@(Ident | Keyword | Func | QIdent) '='"`
	Value optionValue `parser:"@@"`
}

// optionValue is the value of an option: an expression, or a reserved word
// used as a bare value (SET exact = on), which becomes an *Ident holding
// its lower-case spelling. It is a distinct type only so that participle
// can parse it with a function of its own, parseValueTokens.
type optionValue interface{ Expr }

// lexDef hands participle the tokens our scanner made; see tokenLexer.
type lexDef struct{ symbols map[string]lexer.TokenType }

func (d *lexDef) Symbols() map[string]lexer.TokenType { return d.symbols }

func (d *lexDef) Lex(string, io.Reader) (lexer.Lexer, error) {
	// Never called: the parser is always fed through ParseFromLexer,
	// with the tokens of one statement.
	return nil, errors.New("query: tokens are read by the package's scanner only")
}

// grammar is the language's parser, built on first use, after every file's
// init has registered its statements (register.go).
type grammar struct {
	parser *participle.Parser[gRoot]

	// stmtParsers parse each statement with its own production, chosen by
	// the leading keyword, rather than trying the union's members in turn.
	stmtParsers map[string]func(*lexer.PeekingLexer) (gStmt, error)

	// productions maps each grammar production's name, as participle's
	// EBNF spells it, to its body, for error messages.
	productions map[string]*enode
}

// theGrammar returns the parser, building it once.
var theGrammar = sync.OnceValue(func() *grammar {
	members := []gStmt{
		&gSelect{}, &gExplain{}, &gCreate{}, &gInsert{}, &gDelete{}, &gAlter{},
	}
	for _, d := range registered {
		members = append(members, d.proto)
	}
	parser := participle.MustBuild[gRoot](
		participle.Lexer(&lexDef{symbols: tokenSymbols}),
		participle.CaseInsensitive("Keyword", "Func", "Ident"), // Ident: PLOT's WORDS
		participle.ParseTypeWith(parseExprTokens),
		participle.ParseTypeWith(parseValueTokens),
		participle.ParseTypeWith(parseDefaultTokens),
		participle.Union[gStmt](members...),
		participle.UseLookahead(0),
	)
	stmtParsers := map[string]func(*lexer.PeekingLexer) (gStmt, error){
		"SELECT":  production[gSelect](parser),
		"EXPLAIN": production[gExplain](parser),
		"CREATE":  production[gCreate](parser),
		"INSERT":  production[gInsert](parser),
		"DELETE":  production[gDelete](parser),
		"ALTER":   production[gAlter](parser),
	}
	for _, d := range registered {
		stmtParsers[d.keyword] = d.parse(parser)
	}
	return &grammar{parser: parser, stmtParsers: stmtParsers, productions: parseEBNF(parser.String())}
})

// production returns a parse function for the statement production P.
func production[P any, PP interface {
	*P
	gStmt
}](p *participle.Parser[gRoot]) func(*lexer.PeekingLexer) (gStmt, error) {
	pp, err := participle.ParserForProduction[P](p)
	if err != nil {
		panic(err)
	}
	return func(lex *lexer.PeekingLexer) (gStmt, error) {
		v, err := pp.ParseFromLexer(lex)
		return PP(v), err
	}
}
