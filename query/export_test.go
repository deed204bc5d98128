package query

import "github.com/alecthomas/participle/v2/lexer"

// Hooks for the external tests' peer benchmark, which parses with a
// grammar of its own over this package's tokens.

// LexForTest returns the tokens of the first statement of src.
func LexForTest(src string) *lexer.PeekingLexer { return readChunk(newScanner(src)).peeking() }

// LexerDefForTest is the lexer definition the parser is built with.
var LexerDefForTest lexer.Definition = &lexDef{symbols: tokenSymbols}
