package query_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/embeddb/embeddb/query"
)

// ignorePositions compares syntax trees without their positions (Pos, End)
// and without the literal text of numbers, which canonical printing
// rewrites (1.50 prints as 1.5).
var ignorePositions = cmp.Options{
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && (sf.Name() == "Pos" || sf.Name() == "End" || sf.Name() == "MethodPos") && sf.Type() == reflect.TypeOf(query.Position{})
	}, cmp.Ignore()),
	cmpopts.IgnoreFields(query.NumberLit{}, "Text"),
	compareVectors,
}

// roundTrip checks that s prints as SQL that parses back to an equal tree.
func roundTrip(t *testing.T, s query.Statement) {
	t.Helper()
	text := s.String()
	again, err := query.ParseStatement(text)
	if err != nil {
		t.Fatalf("ParseStatement(%q) (the print of a parsed statement): %v", text, err)
	}
	if diff := cmp.Diff(s, again, ignorePositions); diff != "" {
		t.Errorf("ParseStatement(%q) differs from the tree printed (-printed +reparsed):\n%s", text, diff)
	}
	if again.String() != text {
		t.Errorf("printing is not stable: %q prints as %q", text, again.String())
	}
}

func TestPrint_RoundTripGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		stmts, _ := query.Parse(string(src)) // error files still give the statements before the error
		for _, s := range stmts {
			roundTrip(t, s)
			n++
		}
	}
	if n < 80 {
		t.Errorf("round-tripped only %d statements from testdata/parse", n)
	}
}

func TestPrint_Canonical(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"select  word,count from w2v where word like 'p%' order by count desc limit 5",
			"SELECT word, count FROM w2v WHERE word LIKE 'p%' ORDER BY count DESC LIMIT 5"},
		{"SELECT ((a - b)) + (c * 2)", "SELECT a - b + c * 2"},
		{"SELECT a - (b + c)", "SELECT a - (b + c)"},
		{"SELECT (a * b) / (c * d)", "SELECT a * b / (c * d)"},
		{"SELECT -(a + b), -(-a), -(- 1), -(1)", "SELECT -(a + b), - -a, 1, -1"},
		{"SELECT NOT (a AND b), NOT a AND b", "SELECT NOT (a AND b), NOT a AND b"},
		{"SELECT (a = b) = c, a = (b = c)", "SELECT a = b = c, a = (b = c)"},
		{"SELECT a = (NOT b)", "SELECT a = (NOT b)"},
		{"SELECT (a LIKE b) LIKE c, a LIKE (b LIKE c)", "SELECT a LIKE b LIKE c, a LIKE (b LIKE c)"},
		{"SELECT (a OR b) IN (1), a IN (b OR c)", "SELECT (a OR b) IN (1), a IN (b OR c)"},
		{"SELECT a != b, a <> b", "SELECT a <> b, a <> b"},
		{"SELECT 1.50, 1e6, 1e21, 0.000001, 100000., .5e1", "SELECT 1.5, 1e+06, 1e+21, 1e-06, 100000.0, 5.0"},
		{"SELECT 'it''s', 'C:\\x\\y', '\"'", "SELECT 'it''s', 'C:\\x\\y', '\"'"},
		{`SELECT "a""b", "select", "my col", "ok_1", "1abc", "é"`, `SELECT "a""b", "select", "my col", ok_1, "1abc", é`},
		{"SELECT count(*), Vector('x'), nearest(?, 5)", "SELECT COUNT(*), VECTOR('x'), NEAREST(?, 5)"},
		{"SELECT word AS \"Word\", word AS w, word AS \"from\"", `SELECT word AS Word, word AS w, word AS "from"`},
		{"SET Exact = ON", "SET exact = on"},
		{"SET exact TO \"on\"", "SET exact = on"}, // the same tree as bare on
		{"SET x = \"not\"", `SET x = "not"`},
		{"SET x = \"true\"", `SET x = "true"`},
		{"set \"Odd\" = 1", `SET "Odd" = 1`},
		{"TRAIN t FROM 'a' WITH (LIMIT = 1, \"limit\" = 2, \"Limit\" = 3)", `TRAIN t FROM 'a' WITH (limit = 1, limit = 2, "Limit" = 3)`},
		{"create index on t using \"HNSW\"", "CREATE INDEX ON t USING hnsw"},
		{"insert into \"T\" (\"word\", vector) values (?, [1e0])", "INSERT INTO T (word, vector) VALUES (?, [1.0])"},
		{"explain select 1", "EXPLAIN SELECT 1"},
		{"explain analyze select 1", "EXPLAIN ANALYZE SELECT 1"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, err := query.ParseStatement(tc.src)
			if err != nil {
				t.Errorf("ParseStatement(%q): %v", tc.src, err)
				return
			}
			if got := s.String(); got != tc.want {
				t.Errorf("ParseStatement(%q).String() = %q, want %q", tc.src, got, tc.want)
			}
			roundTrip(t, s)
		})
	}
}

// TestPrint_HandBuilt prints trees an executor or a test might build,
// which need not look like anything the parser makes.
func TestPrint_HandBuilt(t *testing.T) {
	a, b, c := &query.Ident{Name: "a"}, &query.Ident{Name: "b"}, &query.Ident{Name: "c"}
	one := &query.NumberLit{IsInt: true, Int: 1, Float: 1}
	minusOne := &query.NumberLit{IsInt: true, Int: -1, Float: -1}
	tests := []struct {
		node query.Node
		want string
	}{
		{&query.Binary{Op: query.OpMul, L: &query.Binary{Op: query.OpAdd, L: a, R: b}, R: c}, "(a + b) * c"},
		{&query.Binary{Op: query.OpSub, L: a, R: &query.Binary{Op: query.OpSub, L: b, R: c}}, "a - (b - c)"},
		{&query.Binary{Op: query.OpSub, L: a, R: minusOne}, "a - -1"},
		{&query.Unary{Op: query.OpNeg, X: minusOne}, "- -1"},
		{&query.Unary{Op: query.OpNeg, X: &query.Unary{Op: query.OpNeg, X: a}}, "- -a"},
		{&query.Unary{Op: query.OpNot, X: &query.Binary{Op: query.OpOr, L: a, R: b}}, "NOT (a OR b)"},
		{&query.Binary{Op: query.OpMul, L: &query.Unary{Op: query.OpNot, X: a}, R: one}, "(NOT a) * 1"},
		{&query.NumberLit{Float: 2}, "2.0"},
		{&query.NumberLit{Float: -0.5}, "-0.5"},
		{&query.In{X: a, List: []query.Expr{one}, Not: true}, "a NOT IN (1)"},
		{&query.Like{X: a, Pattern: &query.StringLit{Value: "x%"}}, "a LIKE 'x%'"},
		{&query.Call{Name: "COUNT", Star: true}, "COUNT(*)"},
		{&query.Ident{Name: "select"}, `"select"`},
		{&query.Ident{Name: "My Table"}, `"My Table"`},
		{&query.TableName{Name: "w2v"}, "w2v"},
		{&query.Option{Name: "exact", Value: &query.Ident{Name: "on"}}, "exact = on"},
		{&query.Option{Name: "Exact", Value: &query.Ident{Name: "ON"}}, `"Exact" = "ON"`},
		{&query.Row{Values: []query.Expr{&query.StringLit{Value: "cat"}, &query.VectorLit{Elems: []query.Expr{one, minusOne}}}}, "('cat', [1, -1])"},
		{&query.SelectItem{Expr: a, Alias: "x y"}, `a AS "x y"`},
		{&query.OrderItem{Expr: a, Desc: true}, "a DESC"},
		{&query.Binary{Op: query.OpAdd, L: a}, "a + <nil>"},
		{&query.Select{Items: []query.SelectItem{{Star: true}}, From: &query.TableName{Name: "t"}}, "SELECT * FROM t"},
		{&query.Vacuum{}, "VACUUM"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.node.String(); got != tc.want {
				t.Errorf("%#v.String() = %q, want %q", tc.node, got, tc.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	stmts, err := query.Parse("show tables; select 1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := query.Format(stmts), "SHOW TABLES;\nSELECT 1;\n"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

func TestQuoting(t *testing.T) {
	idents := []struct{ in, want string }{
		{"w2v", "w2v"},
		{"_x", "_x"},
		{"count", "count"},
		{"Vector", "Vector"},
		{"select", `"select"`},
		{"SELECT", `"SELECT"`},
		{"My Table", `"My Table"`},
		{`a"b`, `"a""b"`},
		{"1st", `"1st"`},
		{"", `""`},
		{"模型", "模型"},
		{"a-b", `"a-b"`},
		{"\xff", "\"\xff\""},
	}
	for _, tc := range idents {
		t.Run(tc.in, func(t *testing.T) {
			if got := query.QuoteIdent(tc.in); got != tc.want {
				t.Errorf("QuoteIdent(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	strs := []struct{ in, want string }{
		{"", "''"},
		{"it's", "'it''s'"},
		{`C:\data`, `'C:\data'`},
		{"a\nb", "'a\nb'"},
	}
	for _, tc := range strs {
		t.Run(tc.in, func(t *testing.T) {
			if got := query.QuoteString(tc.in); got != tc.want {
				t.Errorf("QuoteString(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	// Whatever QuoteIdent and QuoteString return reads back as the same
	// name or string.
	for _, tc := range idents {
		t.Run(tc.in, func(t *testing.T) {
			if tc.in == "" {
				return // no name is empty: "" is an error
			}
			e, err := query.ParseExpr(query.QuoteIdent(tc.in))
			if id, ok := e.(*query.Ident); err != nil || !ok || id.Name != tc.in {
				t.Errorf("ParseExpr(QuoteIdent(%q)) = %v, %v, want the identifier back", tc.in, e, err)
			}
		})
	}
	for _, tc := range strs {
		t.Run(tc.in, func(t *testing.T) {
			e, err := query.ParseExpr(query.QuoteString(tc.in))
			if s, ok := e.(*query.StringLit); err != nil || !ok || s.Value != tc.in {
				t.Errorf("ParseExpr(QuoteString(%q)) = %v, %v, want the string back", tc.in, e, err)
			}
		})
	}
}
