package query

import (
	"fmt"
	"slices"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// A statement of the language is a grammar production (a g-type), its
// conversion to the syntax tree, the syntax-tree node with its methods,
// and the node's printing and walking. A statement registered here keeps
// all of them in one file of its own (backup.go is the example): its init
// calls registerStatement, and no other file of the package changes. Only
// SELECT, EXPLAIN, INSERT, DELETE, CREATE TABLE and ALTER TABLE are still
// spelt out in grammar.go, parse.go, ast.go, print.go and walk.go (CREATE
// INDEX lives in createindex.go, but shares CREATE TABLE's first word, so
// the grammar's gCreate names it).

// ownGrammar is the production of a registered statement: it converts
// itself to the syntax tree.
type ownGrammar interface {
	gStmt
	convert() Statement
}

// ownStatement is the syntax-tree node of a registered statement: it
// sets its extent, prints itself canonically and walks its children.
type ownStatement interface {
	Statement
	setSpan(pos, end Position)
	print(p *printer)
	walk(fn func(Node) bool)
}

// statementDef is one registered statement.
type statementDef struct {
	keyword string     // the word that begins it
	proto   ownGrammar // a zero production, for participle's union
	parse   func(*participle.Parser[gRoot]) func(*lexer.PeekingLexer) (gStmt, error)
}

// registered are the statements registered, in the order of registration.
var registered []statementDef

// registerStatement adds the statement whose production is P and which
// begins with keyword (upper case) to the language, and keyword to its
// reserved words. It is called from init functions, before the parser is
// built on the first Parse.
func registerStatement[P any, PP interface {
	*P
	ownGrammar
}](keyword string) {
	if len(keyword) > maxKeywordLen || upperASCII(keyword) != keyword {
		panic(fmt.Sprintf("query: statement keyword %q must be upper case and at most %d letters", keyword, maxKeywordLen))
	}
	registered = append(registered, statementDef{keyword: keyword, proto: PP(new(P)), parse: production[P, PP]})
	for _, list := range []*[]string{&reservedWords, &statementWords} {
		if i, found := slices.BinarySearch(*list, keyword); !found {
			*list = slices.Insert(*list, i, keyword)
		}
	}
	reservedSet[keyword] = true
	statementSet[keyword] = true
}
