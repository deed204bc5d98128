package query

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// ErrSyntax is wrapped by every error Parse, ParseStatement and ParseExpr
// return: the input is not a well-formed statement. Match it with
// errors.Is; the *Error that wraps it says where and what.
var ErrSyntax = errors.New("query: syntax error")

// Error is an error at a position in the source text. The parser returns
// it for every malformed input, wrapping ErrSyntax; executors may return it
// too, with a node's Pos and their own sentinel as Err, so that the shell
// can point at the offending spot with [FormatError].
type Error struct {
	Pos Position // where the problem is; Column counts runes
	Msg string   // what is wrong, for instance "expected table name, found 'WHERE'"
	Err error    // the cause or category (ErrSyntax for parse errors); may be nil
}

// Error returns "line:column: message", or the message alone when the
// position is unknown.
func (e *Error) Error() string {
	if !e.Pos.IsValid() {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

func syntaxError(pos Position, msg string) *Error {
	return &Error{Pos: pos, Msg: msg, Err: ErrSyntax}
}

func syntaxErrorf(pos Position, format string, args ...any) *Error {
	return syntaxError(pos, fmt.Sprintf(format, args...))
}

// FormatError renders err for a person at a terminal. When err is or wraps
// an *Error whose position lies in src, it returns err's text followed by
// the offending line of src and a caret under the error's column, for
// instance:
//
//	1:22: expected table name, found 'WHERE'
//	SELECT COUNT(*) FROM WHERE x = 1
//	                     ^
//
// A very long line is cut to a window around the caret. Any other error is
// returned as err.Error(); a nil error gives "".
func FormatError(src string, err error) string {
	if err == nil {
		return ""
	}
	var qe *Error
	if !errors.As(err, &qe) || !qe.Pos.IsValid() || qe.Pos.Offset < 0 || qe.Pos.Offset > len(src) {
		return err.Error()
	}
	off := qe.Pos.Offset
	start := strings.LastIndexByte(src[:off], '\n') + 1
	end := strings.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += off
	}
	before := []rune(src[start:off])
	after := []rune(strings.TrimRight(src[off:end], "\r"))
	const window = 60
	head, tail := "", ""
	if len(before) > window {
		before = before[len(before)-window:]
		head = "..."
	}
	if len(after) > window {
		after = after[:window]
		tail = "..."
	}
	var caret strings.Builder
	caret.WriteString(strings.Repeat(" ", len(head)))
	for _, r := range before {
		if r == '\t' {
			caret.WriteByte('\t')
		} else {
			caret.WriteByte(' ')
		}
	}
	caret.WriteByte('^')
	return err.Error() + "\n" + head + string(before) + string(after) + tail + "\n" + caret.String()
}

// describeToken names a token for an error message: 'WHERE', '(',
// string 'abc', end of input.
func describeToken(t lexer.Token) string {
	switch t.Type {
	case lexer.EOF:
		if t.Value == ";" {
			return "';'"
		}
		return "end of input"
	case tokString:
		return "string " + truncate(t.Value)
	case tokQIdent:
		return "quoted identifier " + truncate(t.Value)
	case tokParam:
		return "parameter ?"
	case tokNumbers:
		return "'['" // as if the vector were its tokens
	}
	return quoteToken(t.Value)
}

// quoteToken puts source text in single quotes for a message, cut short
// when long.
func quoteToken(text string) string {
	return "'" + truncate(text) + "'"
}

// truncate shortens source text for a message and escapes its control
// characters.
func truncate(s string) string { return escapeControls(Shorten(s)) }

// shortenLen is how many characters of a user's text a message quotes.
const shortenLen = 80

// Shorten returns s cut to its first 80 characters (runes) followed by
// "..." when it is longer, else s itself. Every error message that quotes
// text from the user (a word, a name, a string, a token) quotes it through
// Shorten, here and in package db, so that a statement holding a 5 MB word
// does not make a 5 MB message.
func Shorten(s string) string {
	if len(s) <= shortenLen {
		return s // fewer bytes than the limit, so fewer runes too
	}
	n := 0
	for i := range s {
		if n == shortenLen {
			return s[:i] + "..."
		}
		n++
	}
	return s
}

// escapeControls writes control characters as Go escapes (\n, \t, \x00),
// so a message stays on one line whatever the input held.
func escapeControls(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quoteRune names an unexpected character: '@', '\x00', byte 0xff.
func quoteRune(r rune, raw string) string {
	switch {
	case r == utf8.RuneError && len(raw) == 1:
		return fmt.Sprintf("byte 0x%02x", raw[0])
	case unicode.IsPrint(r):
		return "'" + string(r) + "'"
	}
	return strconv.QuoteRuneToASCII(r)
}
