package query

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types handed to participle. Keyword and Func are the case-insensitive
// ones; literals in the grammar ("SELECT", "(") match tokens by value, so
// String and QIdent tokens keep their quotes in Value and can never be taken
// for a keyword or a punctuation mark.
const (
	tokKeyword lexer.TokenType = iota + 1 // reserved word: SELECT, FROM, ...
	tokFunc                               // function name: NEAREST, COUNT, ...
	tokIdent                              // identifier: w2v, word, on
	tokQIdent                             // "quoted identifier", quotes kept
	tokString                             // 'string', quotes kept
	tokNumber                             // unsigned number: 1, 2.5, 3e-4, .5
	tokParam                              // ?
	tokPunct                              // ( ) [ ] , ; = <> != < <= > >= + - * /
	tokNumbers                            // [1, -2.5, 3e-4]: see numberVector
)

var tokenSymbols = map[string]lexer.TokenType{
	"EOF":     lexer.EOF,
	"Keyword": tokKeyword,
	"Func":    tokFunc,
	"Ident":   tokIdent,
	"QIdent":  tokQIdent,
	"String":  tokString,
	"Number":  tokNumber,
	"Param":   tokParam,
	"Punct":   tokPunct,
	"Numbers": tokNumbers,
}

// reservedWords are the keywords of the language. They cannot be used as
// bare identifiers (quote them: "index"), except as option names in
// WITH (...) lists and SET, where any word is accepted.
var reservedWords = []string{
	"ALTER", "AND", "AS", "ASC", "BACKUP", "BY", "CHECK", "CREATE",
	"DATABASE", "DELETE", "DESC", "DESCRIBE", "DROP", "EVALUATE", "EXISTS",
	"EXPLAIN", "EXPORT", "FALSE", "FROM", "GROUP", "HAVING", "IF", "IMPORT", "IN", "INDEX",
	"INSERT", "INTO", "IS", "LIKE", "LIMIT", "NOT", "NULL", "OFFSET", "ON", "OR",
	"ORDER", "PLOT", "RENAME", "REPLACE", "SELECT", "SET", "SHOW", "TABLE", "TABLES",
	"TO", "TRAIN", "TRUE", "USING", "VACUUM", "VALUES", "WHERE", "WITH",
}

// functionNames is the one list of function names: the lexer makes them
// case-insensitive tokens, the grammar accepts them before "(", and the REPL
// completes them through Functions. Which ones exist, with which arguments,
// is the executor's business. Outside a call they are plain identifiers, so
// the columns count and vector need no quoting.
var functionNames = []string{
	"AVG", "COSINE", "COUNT", "DIM", "DISTANCE", "DOESNT_MATCH", "DOT", "EMBED", "EMBED_TEXT",
	"JSON_EXTRACT", "MAX", "MEAN_VECTOR", "MIN", "NEAREST", "NEAREST_COSMUL", "NORM", "SIMILARITY",
	"SUM", "TOKEN", "TOKENS", "VECTOR", "WMDISTANCE",
}

// statementWords are the keywords that begin a statement, for the error
// message about an unknown statement.
var statementWords = []string{
	"ALTER", "BACKUP", "CHECK", "CREATE", "DELETE", "DESCRIBE", "DROP",
	"EVALUATE", "EXPLAIN", "EXPORT", "IMPORT", "INSERT", "PLOT", "SELECT", "SET",
	"SHOW", "TRAIN", "VACUUM",
}

var (
	reservedSet  = makeSet(reservedWords)
	functionSet  = makeSet(functionNames)
	statementSet = makeSet(statementWords)
)

func makeSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Keywords returns the reserved words of the language in upper case and
// alphabetical order, for tab completion. The slice is a fresh copy.
func Keywords() []string { return slices.Clone(reservedWords) }

// Functions returns the function names the grammar accepts before "(", in
// upper case and alphabetical order, for tab completion. The slice is a
// fresh copy.
func Functions() []string { return slices.Clone(functionNames) }

// maxKeywordLen is the length of the longest keyword or function name.
const maxKeywordLen = 14

// wordKind classifies a word as a keyword, a function name or an
// identifier. Keywords are matched on ASCII only, so that no Unicode case
// folding ("ſelect") turns a word into a keyword; the lookup does not
// allocate.
func wordKind(word string) lexer.TokenType {
	if len(word) > maxKeywordLen {
		return tokIdent
	}
	var buf [maxKeywordLen]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= utf8.RuneSelf {
			return tokIdent
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	switch {
	case reservedSet[string(buf[:len(word)])]:
		return tokKeyword
	case functionSet[string(buf[:len(word)])]:
		return tokFunc
	}
	return tokIdent
}

// upperASCII returns s with its ASCII letters in upper case (s itself when
// there are none in lower case).
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// isReserved reports whether word is a reserved word, in any case.
func isReserved(word string) bool { return wordKind(word) == tokKeyword }

func isIdentStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isBareWord reports whether s lexes as a single word token (identifier,
// keyword or function name).
func isBareWord(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if i == 0 && !isIdentStart(r) || !isIdentPart(r) {
			return false
		}
	}
	return true
}

// token is a lexed token: its type, its source text and where it is.
type token struct {
	kind   lexer.TokenType
	text   string // the source text, quotes included
	pos    Position
	endPos Position // just past the token
}

// scanner splits source text into tokens, skipping blanks and comments.
type scanner struct {
	src  string
	off  int
	line int
	col  int
}

func newScanner(src string) *scanner {
	return &scanner{src: src, line: 1, col: 1}
}

func (s *scanner) pos() Position {
	return Position{Offset: s.off, Line: s.line, Column: s.col}
}

// advance moves the scanner n bytes forward, keeping line and column.
func (s *scanner) advance(n int) {
	end := s.off + n
	for s.off < end {
		c := s.src[s.off]
		switch {
		case c == '\n':
			s.line++
			s.col = 1
			s.off++
		case c < utf8.RuneSelf:
			s.col++
			s.off++
		default:
			_, w := utf8.DecodeRuneInString(s.src[s.off:])
			if s.off+w > end {
				w = end - s.off
			}
			s.col++
			s.off += w
		}
	}
}

// lexError is a lexical error. A fatal one (an unterminated string, quoted
// identifier or comment) swallowed the rest of the input; after any other the
// scanner has moved past the offending text and may go on.
type lexError struct {
	err   *Error
	fatal bool
}

// skip moves past blanks and comments. It fails only on an unterminated
// block comment.
func (s *scanner) skip() *lexError {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.advance(1)
		case c == '-' && strings.HasPrefix(s.src[s.off:], "--"):
			n := strings.IndexByte(s.src[s.off:], '\n')
			if n < 0 {
				n = len(s.src) - s.off
			}
			s.advance(n)
		case c == '/' && strings.HasPrefix(s.src[s.off:], "/*"):
			start := s.pos()
			n := strings.Index(s.src[s.off+2:], "*/")
			if n < 0 {
				s.advance(len(s.src) - s.off)
				return &lexError{err: syntaxError(start, "unterminated /* comment"), fatal: true}
			}
			s.advance(n + 4)
		case c >= utf8.RuneSelf:
			r, w := utf8.DecodeRuneInString(s.src[s.off:])
			if r == utf8.RuneError || !unicode.IsSpace(r) {
				return nil
			}
			s.advance(w)
		default:
			return nil
		}
	}
	return nil
}

// scan returns the next token; at the end of the input it returns a token of
// kind lexer.EOF at the end position.
func (s *scanner) scan() (token, *lexError) {
	if err := s.skip(); err != nil {
		return token{kind: lexer.EOF, pos: s.pos(), endPos: s.pos()}, err
	}
	start := s.pos()
	if s.off >= len(s.src) {
		return token{kind: lexer.EOF, pos: start, endPos: start}, nil
	}
	rest := s.src[s.off:]
	c := rest[0]
	emit := func(kind lexer.TokenType, n int) (token, *lexError) {
		s.advance(n)
		return token{kind: kind, text: rest[:n], pos: start, endPos: s.pos()}, nil
	}
	fail := func(n int, fatal bool, msg string) (token, *lexError) {
		s.advance(n)
		return token{}, &lexError{err: syntaxError(start, msg), fatal: fatal}
	}
	switch {
	case c == '\'':
		n, ok := quotedLen(rest, '\'')
		if !ok {
			return fail(len(rest), true, "unterminated string literal (write a quote inside a string as '')")
		}
		return emit(tokString, n)
	case c == '"':
		n, ok := quotedLen(rest, '"')
		if !ok {
			return fail(len(rest), true, "unterminated quoted identifier")
		}
		if n == 2 {
			return fail(n, false, `empty quoted identifier ""`)
		}
		return emit(tokQIdent, n)
	case '0' <= c && c <= '9' || c == '.' && len(rest) > 1 && '0' <= rest[1] && rest[1] <= '9':
		n, ok := numberLen(rest)
		if !ok {
			return fail(n, false, "malformed number "+quoteToken(rest[:n]))
		}
		return emit(tokNumber, n)
	case c == '?':
		if len(rest) > 1 && '0' <= rest[1] && rest[1] <= '9' {
			n := 1
			for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
				n++
			}
			return fail(n, false, "numbered parameters such as "+truncate(rest[:n])+" are not supported; write ? and pass arguments in order")
		}
		return emit(tokParam, 1)
	case c == '-' && strings.HasPrefix(rest, "->>"):
		return emit(tokPunct, 3) // JSON field as text
	case c == '-' && strings.HasPrefix(rest, "->"):
		return emit(tokPunct, 2) // JSON field
	case c == '(' || c == ')' || c == '[' || c == ']' || c == ',' || c == ';' ||
		c == '+' || c == '-' || c == '*' || c == '/':
		return emit(tokPunct, 1)
	case c == '=':
		if strings.HasPrefix(rest, "==") {
			return fail(2, false, "expected '=', found '=='")
		}
		return emit(tokPunct, 1)
	case c == '<':
		if len(rest) > 1 && (rest[1] == '=' || rest[1] == '>') {
			return emit(tokPunct, 2)
		}
		return emit(tokPunct, 1)
	case c == '>':
		if len(rest) > 1 && rest[1] == '=' {
			return emit(tokPunct, 2)
		}
		return emit(tokPunct, 1)
	case c == '!' && strings.HasPrefix(rest, "!="):
		return emit(tokPunct, 2)
	}
	r, w := utf8.DecodeRuneInString(rest)
	if isIdentStart(r) {
		n := w
		for n < len(rest) {
			r, w := utf8.DecodeRuneInString(rest[n:])
			if !isIdentPart(r) {
				break
			}
			n += w
		}
		return emit(wordKind(rest[:n]), n)
	}
	msg := "unexpected character " + quoteRune(r, rest[:w])
	switch r {
	case '`':
		msg += `; quote identifiers with double quotes: "name"`
	case '.':
		msg += "; names cannot be qualified (write word, not t.word)"
	}
	return fail(w, false, msg)
}

// numberVector returns the length of the vector literal at the start of s
// when it holds nothing but numbers, each with an optional minus sign,
// separated by commas and blanks: [0.1, -2, 3e-4]. Such a literal, which
// an INSERT of embeddings repeats hundreds of times, is handed to the
// parser as one token instead of two or three per element; the parser
// reads its elements exactly as it would read the separate tokens. Any
// other vector (one with a ?, a comment, an expression or an error in it)
// returns 0 and takes the ordinary way, which also words every error.
// The minus signs stay a matter of the grammar: after '[' or ',' a minus
// can only be a unary minus.
func numberVector(s string) int {
	if s == "" || s[0] != '[' {
		return 0
	}
	i := 1
	blanks := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	blanks()
	if i < len(s) && s[i] == ']' {
		return 0 // [] is rare: no need for a fast way
	}
	for {
		if i < len(s) && s[i] == '-' {
			i++
			blanks()
		}
		if i >= len(s) || !isDigit(s[i]) && !(s[i] == '.' && i+1 < len(s) && isDigit(s[i+1])) {
			return 0
		}
		n, ok := numberLen(s[i:])
		if !ok || n == 0 {
			return 0
		}
		i += n
		blanks()
		if i >= len(s) {
			return 0
		}
		switch s[i] {
		case ']':
			return i + 1
		case ',':
			i++
			blanks()
		default:
			return 0
		}
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// quotedLen returns the length of the quoted token at the start of s, whose
// quote character is q and where a doubled quote stands for one.
func quotedLen(s string, q byte) (int, bool) {
	for i := 1; i < len(s); i++ {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1, true
		}
	}
	return len(s), false
}

// numberLen returns the length of the number at the start of s and whether
// it is well formed: digits [. digits] [e [+-] digits] or . digits [...],
// not directly followed by a letter, a digit or a dot. A malformed number's
// length covers the whole run of word characters and dots.
func numberLen(s string) (int, bool) {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	mantissa := digits()
	if i < len(s) && s[i] == '.' {
		i++
		mantissa += digits()
	}
	ok := mantissa > 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			ok = false
		}
	}
	if i < len(s) {
		r, _ := utf8.DecodeRuneInString(s[i:])
		if r == '.' || isIdentPart(r) {
			ok = false
		}
	}
	if !ok {
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if r != '.' && !isIdentPart(r) {
				break
			}
			i += w
		}
	}
	return i, ok
}

// Split cuts src at the semicolons that end statements (those outside
// strings, quoted identifiers and comments). Each complete piece ends with
// its ';'; rest is what follows the last one: an unfinished statement, or
// blanks and comments (see [Blank]). The pieces and rest concatenate back to
// src. An unterminated string, quoted identifier or block comment runs to the
// end of src, so it stays in rest. A shell buffers lines until Split returns
// complete pieces, runs them, and keeps rest.
func Split(src string) (complete []string, rest string) {
	s := newScanner(src)
	start := 0
	for {
		tok, err := s.scan()
		if err != nil {
			if err.fatal {
				break
			}
			continue
		}
		if tok.kind == lexer.EOF {
			break
		}
		if tok.kind == tokPunct && tok.text == ";" {
			complete = append(complete, src[start:tok.endPos.Offset])
			start = tok.endPos.Offset
		}
	}
	return complete, src[start:]
}

// Blank reports whether src holds nothing but white space and complete
// comments, so that a shell has nothing to run or to wait for.
func Blank(src string) bool {
	s := newScanner(src)
	return s.skip() == nil && s.off == len(src)
}
