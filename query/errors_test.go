package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/query"
)

// malformed lists statements that must fail, with the exact error each gives.
var malformed = []struct {
	src  string
	want string
}{
	// Unknown or missing statements.
	{"SELEC 1", "1:1: expected a statement (ALTER, BACKUP, BEGIN, CHECK, COMMIT, CREATE, DELETE, DESCRIBE, DROP, EVALUATE, EXPLAIN, EXPORT, IMPORT, INSERT, PLOT, ROLLBACK, SELECT, SET, SHOW, TRAIN, UPDATE, VACUUM), found 'SELEC'; did you mean SELECT?"},
	{"42", "1:1: expected a statement (ALTER, BACKUP, BEGIN, CHECK, COMMIT, CREATE, DELETE, DESCRIBE, DROP, EVALUATE, EXPLAIN, EXPORT, IMPORT, INSERT, PLOT, ROLLBACK, SELECT, SET, SHOW, TRAIN, UPDATE, VACUUM), found '42'"},
	{"SELECT 1 SELECT 2", "1:10: expected ';' between statements, found 'SELECT'"},
	{"SELECT 1;\nSELECT * FROM\nWHERE x", "3:1: expected table name, found 'WHERE'"},
	{"SELECT * FROM t;;; DELETE", "1:26: expected FROM, found end of input"},
	{"create table T (DIM = 3) extra", "1:26: expected end of statement, found 'extra'"},

	// SELECT.
	{"SELECT", "1:7: expected expression, found end of input"},
	{"SELECT FROM t", "1:8: expected expression, found 'FROM'"},
	{"EXPLAIN foo SELECT 1", "1:9: expected ANALYZE or SELECT after EXPLAIN, found 'foo'"},
	{"SELECT a, FROM t", "1:11: expected expression, found 'FROM'"},
	{"SELECT * FROM", "1:14: expected table name, found end of input"},
	{"SELECT * FROM;", "1:14: expected table name, found ';'"},
	{"SELECT COUNT(*) FROM WHERE x = 1", "1:22: expected table name, found 'WHERE'"},
	{"SELECT * FROM 'a\nb'", "1:15: expected table name, found string 'a\\nb'"}, // control characters escaped: one line
	{"SELECT * FROM t WHERE", "1:22: expected expression, found end of input"},
	{"SELECT * FROM t ORDER count", "1:23: expected BY, found 'count'"},
	{"SELECT * FROM t ORDER BY", "1:25: expected expression, found end of input"},
	{"SELECT * FROM t ORDER BY a DESC,", "1:33: expected expression, found end of input"},
	{"SELECT * FROM t LIMIT", "1:22: expected expression, found end of input"},
	{"SELECT * FROM t OFFSET", "1:23: expected expression, found end of input"},
	{"SELECT * FROM t LIMT 5", "1:17: expected end of statement, found 'LIMT'; did you mean LIMIT?"},
	{"SELECT a b FROM t", "1:10: expected end of statement, found 'b'"},
	{"SELECT a AS FROM t", "1:13: expected alias, found 'FROM'"},
	{"SELECT 1 AS", "1:12: expected alias, found end of input"},
	{"SELECT index FROM t", `1:8: expected expression, found 'index' (INDEX is a reserved word: write "index" to use it as a name)`},
	{"SELECT * FROM \"My Table\" WHERE", "1:31: expected expression, found end of input"},
	{"EXPLAIN", "1:8: expected SELECT, found end of input"},
	{"EXPLAIN DELETE FROM t", "1:9: expected SELECT, found 'DELETE'"},

	// Expressions.
	{"SELECT 1 +", "1:11: expected expression, found end of input"},
	{"SELECT vector('a') + FROM t", "1:22: expected expression, found 'FROM'"},
	{"SELECT * FROM t WHERE a = 1 AND", "1:32: expected expression, found end of input"},
	{"SELECT * FROM t WHERE word LIKE", "1:32: expected expression, found end of input"},
	{"SELECT a NOT b", "1:14: expected LIKE or IN, found 'b'"},
	{"SELECT x NOT", "1:13: expected LIKE or IN, found end of input"},
	{"SELECT a IN 1", "1:13: expected '(', found '1'"},
	{"SELECT a IN ()", "1:14: expected expression, found ')'"},
	{"SELECT a IN (1 2)", "1:16: expected ',' or ')', found '2'"},
	{"SELECT [1, 2", "1:13: expected ',' or ']', found end of input"},
	{"SELECT [1, 2 3]", "1:14: expected ',' or ']', found '3'"},
	{"SELECT (1 + 2", "1:14: expected ')', found end of input"},
	{"SELECT (1 + 2 3)", "1:15: expected ')', found '3'"},
	{"SELECT NEAREST('a' 5) FROM t", "1:20: expected ',' or ')', found '5'"},
	{"SELECT NEAREST('a', 5 FROM t", "1:23: expected ',' or ')', found 'FROM'"},
	{"SELECT NEAREST(, 5) FROM t", "1:16: expected expression, found ','"},
	{"SELECT COUNT(* FROM t", "1:16: expected ')', found 'FROM'"},
	{"SELECT foo(1)", "1:8: unknown function foo (functions are AVG, COSINE, COUNT, DIM, DISTANCE, DOESNT_MATCH, DOT, EMBED, EMBED_TEXT, JSON_EXTRACT, MAX, MEAN_VECTOR, MIN, NEAREST, NEAREST_COSMUL, NORM, SIMILARITY, SUM, TOKEN, TOKENS, VECTOR or WMDISTANCE)"},
	{"SELECT a == b", "1:10: expected '=', found '=='"},
	{"SELECT 1e999", "1:8: number 1e999 is out of range"},
	{"SELECT " + strings.Repeat("(", 201) + "1", "1:208: expression nested too deeply (more than 200 levels)"},
	{"SELECT " + strings.Repeat("- ", 201) + "1", "1:408: expression nested too deeply (more than 200 levels)"},

	// Lexical errors.
	{"SELECT 'abc", "1:8: unterminated string literal (write a quote inside a string as '')"},
	{"SELECT 'it's'", "1:13: unterminated string literal (write a quote inside a string as '')"},
	{"SELECT 1,\n  'a\nb", "2:3: unterminated string literal (write a quote inside a string as '')"},
	{`SELECT "abc`, "1:8: unterminated quoted identifier"},
	{`SELECT ""`, `1:8: empty quoted identifier ""`},
	{"SELECT 1 /* comment", "1:10: unterminated /* comment"},
	{"SELECT @", "1:8: unexpected character '@'"},
	{"SELECT `word` FROM t", "1:8: unexpected character '`'; quote identifiers with double quotes: \"name\""},
	{"SELECT t.word FROM t", "1:9: unexpected character '.'; names cannot be qualified (write word, not t.word)"},
	{"SELECT 1\x00", `1:9: unexpected character '\x00'`},
	{"SELECT '\xff' FROM \xff", "1:17: unexpected character byte 0xff"},
	{"SELECT 'héllo' FROM t WHERE x = @", "1:33: unexpected character '@'"}, // columns count runes
	{"SELECT 1e", "1:8: malformed number '1e'"},
	{"SELECT 12abc", "1:8: malformed number '12abc'"},
	{"SELECT 1.2.3", "1:8: malformed number '1.2.3'"},
	{"SELECT ?1", "1:8: numbered parameters such as ?1 are not supported; write ? and pass arguments in order"},

	// TRAIN, IMPORT, EXPORT and options.
	{"TRAIN w2v", "1:10: expected FROM, found end of input"},
	{"TRAIN FROM 'a.txt'", "1:7: expected table name, found 'FROM'"},
	{"TRAIN w2v FROM a.txt", "1:16: expected file name in single quotes, found 'a'"},
	{"TRAIN w2v FROM 'a.txt' WITH vector_size = 100", "1:29: expected '(', found 'vector_size'"},
	{"TRAIN w2v FROM 'a.txt' WITH (vector_size 100)", "1:42: expected '=', found '100'"},
	{"TRAIN w2v FROM 'a.txt' WITH (vector_size = 100 window = 5)", "1:48: expected ',' or ')', found 'window'"},
	{"TRAIN w2v FROM 'a.txt' WITH (sg = 1,)", "1:37: expected option name, found ')'"},
	{"TRAIN w2v FROM 'a.txt' WITH ()", "1:30: expected option name, found ')'"},
	{"TRAIN w2v FROM 'a.txt' WITH (sg = )", "1:35: expected value, found ')'"},
	{"IMPORT t 'x'", "1:10: expected FROM, found string 'x'"},
	{"EXPORT t FROM 'x'", "1:10: expected TO, found 'FROM'"},
	{"EVALUATE w2v", "1:13: expected WITH, found end of input"},

	// Tables and indexes.
	{"CREATE TABEL t (dim = 3)", "1:8: expected TABLE or INDEX, found 'TABEL'"},
	{"CREATE TABLE t", "1:15: expected '(', found end of input"},
	{"CREATE TABLE t ()", "1:17: expected option or column name, found ')'"},
	{"CREATE TABLE select (dim = 3)", `1:14: expected table name, found 'select' (SELECT is a reserved word: write "select" to use it as a name)`},
	{"CREATE TABLE IF EXISTS t (dim = 3)", "1:17: expected NOT, found 'EXISTS'"},
	{"CREATE INDEX w2v", "1:14: expected ON, found 'w2v'"},
	{"CREATE INDEX ON w2v USING", "1:26: expected index method, found end of input"},
	{"DROP t", "1:6: expected TABLE or INDEX, found 't'"},
	{"DROP TABLE IF t", "1:15: expected EXISTS, found 't'"},
	{"DROP INDEX w2v", "1:12: expected ON, found 'w2v'"},
	{"DROP INDEX IF EXISTS w2v", "1:22: expected ON, found 'w2v'"},
	{"ALTER TABLE t RENAME u", "1:22: expected TO, found 'u'"},
	{"ALTER t RENAME TO u", "1:7: expected TABLE, found 't'"},
	{"DESCRIBE", "1:9: expected table name, found end of input"},
	{"SHOW", "1:5: expected TABLES, found end of input"},

	// INSERT and DELETE.
	{"INSERT t VALUES (1)", "1:8: expected INTO, found 't'"},
	{"INSERT OR t", "1:11: expected REPLACE, found 't'"},
	{"INSERT INTO t ('a', [1])", "1:16: expected column name, found string 'a'"},
	{"INSERT INTO t (word vector) VALUES (1, 2)", "1:21: expected ',' or ')', found 'vector'"},
	{"INSERT INTO t VALUES", "1:21: expected '(', found end of input"},
	{"INSERT INTO t VALUES ('a', [1]), ", "1:33: expected '(', found end of input"},
	// The rows of an INSERT are read by hand; these are the errors participle gave.
	{"INSERT INTO t VALUES ;", "1:22: expected '(', found ';'"},
	{"INSERT INTO t VALUES ()", "1:23: expected expression, found ')'"},
	{"INSERT INTO t VALUES (,)", "1:23: expected expression, found ','"},
	{"INSERT INTO t VALUES ('a' 'b')", "1:27: expected ',' or ')', found string 'b'"},
	{"INSERT INTO t VALUES ('a', )", "1:28: expected expression, found ')'"},
	{"INSERT INTO t VALUES ('a', [1]) x", "1:33: expected end of statement, found 'x'"},
	{"INSERT INTO t VALUES ('a', [1]) lmit", "1:33: expected end of statement, found 'lmit'; did you mean LIMIT?"},
	{"INSERT INTO t VALUES ('a', [1]) SELECT 1", "1:33: expected ';' between statements, found 'SELECT'"},
	{"INSERT INTO t VALUES ('a', [1]) ('b', [2])", "1:33: expected end of statement, found '('"},
	{"INSERT INTO t VALUES ('a', [1]) WHERE", "1:33: expected end of statement, found 'WHERE'"},
	{"INSERT INTO t VALUES ('a', [1]),, ('b', [2])", "1:33: expected '(', found ','"},
	{"INSERT INTO t VALUES ('a', [1]", "1:31: expected ',' or ')', found end of input"},
	{"INSERT INTO t VALUES ('a', [1, 2", "1:33: expected ',' or ']', found end of input"},
	{"INSERT INTO t VALUES ('a', [1, 2]; SELECT 1", "1:34: expected ',' or ')', found ';'"},
	{"INSERT INTO t VALUES 'a'", "1:22: expected '(', found string 'a'"},
	{"INSERT INTO t VALUES ('a', [1]) 'x", "1:33: unterminated string literal (write a quote inside a string as '')"},
	{"INSERT INTO t VALUES ('a, [1])", "1:23: unterminated string literal (write a quote inside a string as '')"},
	{"INSERT INTO t VALUES ('a', [1]) /* x", "1:33: unterminated /* comment"},
	{"INSERT INTO t VALUES ('a', [1]) @", "1:33: unexpected character '@'"},
	{"INSERT INTO t VALUES ('a' @ [1])", "1:27: unexpected character '@'"},
	{"INSERT INTO t VALUES (@)", "1:23: unexpected character '@'"},
	{"INSERT INTO t VALUES ('a', [1e999])", "1:29: number 1e999 is out of range"},
	{"INSERT INTO t VALUES ('a', [1, 2 3])", "1:34: expected ',' or ']', found '3'"},
	{"INSERT INTO t VALUES ('a', [1,])", "1:31: expected expression, found ']'"},
	{"INSERT INTO t VALUES ('a', ((((1))))", "1:37: expected ',' or ')', found end of input"},
	{"INSERT INTO t VALUES ('a', [1]) VALUES", "1:33: expected end of statement, found 'VALUES'"},
	{"INSERT INTO t VALUES ('a', [1]) ORDER", "1:33: expected end of statement, found 'ORDER'"},
	{"INSERT INTO t VALUES (VALUES)", "1:23: expected expression, found 'VALUES' (VALUES is a reserved word: write \"VALUES\" to use it as a name)"},
	{"INSERT INTO t VALUES ('a', [1]) )", "1:33: expected end of statement, found ')'"},
	{"INSERT INTO t VALUES ('a', [1]) ,", "1:34: expected '(', found end of input"},
	{"INSERT INTO t VALUES (SELECT)", "1:23: expected expression, found 'SELECT' (SELECT is a reserved word: write \"SELECT\" to use it as a name)"},
	{"INSERT INTO t VALUES (1 +)", "1:26: expected expression, found ')'"},
	{"INSERT INTO t VALUES (NOT)", "1:26: expected expression, found ')'"},
	{"INSERT INTO t VALUES ('a', [1]) 5", "1:33: expected end of statement, found '5'"},
	{"INSERT INTO t VALUES ('a', [1]) ?", "1:33: expected end of statement, found parameter ?"},
	{"INSERT INTO t VALUES ('a', [1]) ?1", "1:33: numbered parameters such as ?1 are not supported; write ? and pass arguments in order"},
	{"INSERT INTO t VALUES ('a', [1]) VACUUM", "1:33: expected ';' between statements, found 'VACUUM'"},
	{"INSERT INTO t VALUES ('a', [1]) IN", "1:33: expected end of statement, found 'IN'"},
	{"INSERT INTO t VALUES ('a', [1]) \"x\"", "1:33: expected end of statement, found quoted identifier \"x\""},
	{"INSERT INTO t VALUES ('a' [1])", "1:27: expected ',' or ')', found '['"},
	{"INSERT INTO t VALUES ('a' ; ", "1:27: expected ',' or ')', found ';'"},
	{"INSERT INTO t VALUES ('a', [1]) 1.2.3", "1:33: malformed number '1.2.3'"},
	{"INSERT INTO t VALUES ('a', [1]), 1.2.3", "1:34: malformed number '1.2.3'"},
	{"INSERT INTO t VALUES (1.2.3)", "1:23: malformed number '1.2.3'"},
	{"DELETE t", "1:8: expected FROM, found 't'"},
	{"DELETE FROM t WHERE", "1:20: expected expression, found end of input"},

	// Settings and maintenance.
	{"SET ef_search", "1:14: expected '=' or TO, found end of input"},
	{"SET = 5", "1:5: expected setting name, found '='"},
	{"CHECK", "1:6: expected DATABASE, found end of input"},
	{"BACKUP 'x'", "1:8: expected TO, found string 'x'"},
	{"VACUUM INTO", "1:12: expected file name in single quotes, found end of input"},
}

func TestParse_Malformed(t *testing.T) {
	for _, tc := range malformed {
		t.Run(tc.src, func(t *testing.T) {
			_, err := query.Parse(tc.src)
			if err == nil {
				t.Fatalf("Parse(%q) = nil error, want %q", tc.src, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Parse(%q) error = %q, want %q", tc.src, got, tc.want)
			}
			checkError(t, tc.src, err)
		})
	}
}

// checkError checks the invariants of every parse error: it is an *Error
// wrapping ErrSyntax whose position lies in src, with a line and column
// that agree with its offset.
func checkError(t *testing.T, src string, err error) {
	t.Helper()
	var qe *query.Error
	if !errors.As(err, &qe) {
		t.Fatalf("error %v (%T) is not a *query.Error", err, err)
	}
	if !errors.Is(err, query.ErrSyntax) {
		t.Errorf("error %v does not wrap ErrSyntax", err)
	}
	p := qe.Pos
	if p.Offset < 0 || p.Offset > len(src) {
		t.Fatalf("error %v: offset %d outside the input (length %d)", err, p.Offset, len(src))
	}
	line := 1 + strings.Count(src[:p.Offset], "\n")
	col := 1 + len([]rune(src[strings.LastIndexByte(src[:p.Offset], '\n')+1:p.Offset]))
	if p.Line != line || p.Column != col {
		t.Errorf("error %v: position %d:%d, but offset %d is at %d:%d", err, p.Line, p.Column, p.Offset, line, col)
	}
}

func TestParseStatement_Errors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"", "1:1: unexpected end of input"},
		{"  -- nothing\n", "2:1: unexpected end of input"},
		{";", "1:2: unexpected end of input"},
		{"SELECT 1; SELECT 2", "1:11: expected end of input after the statement, found 'SELECT'"},
		{"SELECT 1; @", "1:11: unexpected character '@'"},
		{"SELECT", "1:7: expected expression, found end of input"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, err := query.ParseStatement(tc.src)
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParseStatement(%q) error = %v, want %q", tc.src, err, tc.want)
				return
			}
			checkError(t, tc.src, err)
		})
	}
}

func TestParseExpr_Errors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"", "1:1: unexpected end of input"},
		{"a b", "1:3: expected end of expression, found 'b'"},
		{"a;", "1:2: expected end of expression, found ';'"},
		{";", "1:1: expected expression, found ';'"},
		{"FROM", "1:1: expected expression, found 'FROM'"},
		{"1 +", "1:4: expected expression, found end of input"},
		{"'abc", "1:1: unterminated string literal (write a quote inside a string as '')"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, err := query.ParseExpr(tc.src)
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParseExpr(%q) error = %v, want %q", tc.src, err, tc.want)
				return
			}
			checkError(t, tc.src, err)
		})
	}
}

func TestParse_PrefixBeforeError(t *testing.T) {
	stmts, err := query.Parse("SHOW TABLES; DESCRIBE w2v; DROP w2v; SHOW TABLES")
	if err == nil || err.Error() != "1:33: expected TABLE or INDEX, found 'w2v'" {
		t.Fatalf("Parse error = %v, want the one of the third statement", err)
	}
	if got, want := len(stmts), 2; got != want {
		t.Fatalf("Parse returned %d statements before the error, want %d", got, want)
	}
	if got, want := stmts[1].String(), "DESCRIBE w2v"; got != want {
		t.Errorf("second statement = %q, want %q", got, want)
	}
}

func TestError_Error(t *testing.T) {
	tests := []struct {
		err  *query.Error
		want string
	}{
		{&query.Error{Pos: query.Position{Offset: 21, Line: 1, Column: 22}, Msg: "expected table name, found 'WHERE'"}, "1:22: expected table name, found 'WHERE'"},
		{&query.Error{Msg: "no position"}, "no position"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
	sentinel := errors.New("db: unknown column")
	err := &query.Error{Pos: query.Position{Line: 1, Column: 1}, Msg: "unknown column x", Err: sentinel}
	if !errors.Is(err, sentinel) {
		t.Errorf("errors.Is(%v, sentinel) = false, want true", err)
	}
}

func TestFormatError(t *testing.T) {
	long := "INSERT INTO t VALUES ('w', [" + strings.Repeat("0.5, ", 40) + "0.5 0.5])"
	tests := []struct {
		name string
		src  string
		err  error // nil: the error of Parse(src)
		want string
	}{
		{
			name: "OneLine",
			src:  "SELECT COUNT(*) FROM WHERE x = 1",
			want: "1:22: expected table name, found 'WHERE'\n" +
				"SELECT COUNT(*) FROM WHERE x = 1\n" +
				"                     ^",
		},
		{
			name: "SecondLine",
			src:  "SELECT word\nFROM w2v WHERE word LIKE\r\n",
			want: "2:25: expected expression, found end of input\n" +
				"FROM w2v WHERE word LIKE\n" +
				"                        ^",
		},
		{
			name: "Tabs",
			src:  "SELECT\t\t@",
			want: "1:9: unexpected character '@'\n" +
				"SELECT\t\t@\n" +
				"      \t\t^",
		},
		{
			name: "Runes",
			src:  "SELECT 'ß', @",
			want: "1:13: unexpected character '@'\n" +
				"SELECT 'ß', @\n" +
				"            ^",
		},
		{
			name: "EndOfInputAfterNewline",
			src:  "SELECT * FROM\n\n-- the end\n",
			want: "1:14: expected table name, found end of input\n" +
				"SELECT * FROM\n" +
				"             ^",
		},
		{
			name: "LongLine",
			src:  long,
			want: "1:233: expected ',' or ']', found '0.5'\n" +
				"... 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 0.5])\n" +
				strings.Repeat(" ", 3+60) + "^", // "..." and a window of 60 runes
		},
		{
			name: "NotAQueryError",
			src:  "SELECT 1",
			err:  errors.New("db: table not found"),
			want: "db: table not found",
		},
		{
			name: "PositionOutsideSource",
			src:  "SELECT 1",
			err:  &query.Error{Pos: query.Position{Offset: 99, Line: 3, Column: 1}, Msg: "elsewhere"},
			want: "3:1: elsewhere",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err
			if err == nil {
				_, err = query.Parse(tc.src)
			}
			if got := query.FormatError(tc.src, err); got != tc.want {
				t.Errorf("FormatError(%q, %v) =\n%s\nwant\n%s", tc.src, err, got, tc.want)
			}
		})
	}
	if got := query.FormatError("x", nil); got != "" {
		t.Errorf("FormatError(x, nil) = %q, want empty", got)
	}
}

func TestShorten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"short", "short"},
		{strings.Repeat("x", 80), strings.Repeat("x", 80)},
		{strings.Repeat("x", 81), strings.Repeat("x", 80) + "..."},
		{strings.Repeat("é", 80), strings.Repeat("é", 80)}, // 160 bytes, 80 characters
		{strings.Repeat("é", 5000), strings.Repeat("é", 80) + "..."},
	}
	for _, tt := range tests {
		if got := query.Shorten(tt.in); got != tt.want {
			t.Errorf("Shorten(%.20q... of %d bytes) = %q, want %q", tt.in, len(tt.in), got, tt.want)
		}
	}
}

// TestParse_ErrorsCutLongInput checks that a syntax error quotes at most 80
// characters of a long token.
func TestParse_ErrorsCutLongInput(t *testing.T) {
	for _, src := range []string{
		"SELECT ?" + strings.Repeat("9", 5000),
		"SELECT 1 '" + strings.Repeat("9", 5000) + "'",
		"SELECT 1 " + strings.Repeat("9", 5000) + "x",
	} {
		_, err := query.Parse(src)
		if err == nil || !strings.Contains(err.Error(), strings.Repeat("9", 79)+"...") || len(err.Error()) > 300 {
			t.Errorf("Parse(%.20q...) error = %.300v, want the long token cut to 80 characters", src, err)
		}
	}
}
