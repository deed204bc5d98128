package query_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/embeddb/embeddb/query"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		complete []string
		rest     string
	}{
		{"Empty", "", nil, ""},
		{"NoSemicolon", "SELECT 1", nil, "SELECT 1"},
		{"One", "SELECT 1;", []string{"SELECT 1;"}, ""},
		{"TwoAndRest", "SELECT 1; SELECT 2;\nSELECT", []string{"SELECT 1;", " SELECT 2;"}, "\nSELECT"},
		{"SemicolonInString", "SELECT 'a;b'; x", []string{"SELECT 'a;b';"}, " x"},
		{"DoubledQuoteInString", "SELECT 'it''s;'; x", []string{"SELECT 'it''s;';"}, " x"},
		{"SemicolonInQuotedIdent", `SELECT "a;b"; x`, []string{`SELECT "a;b";`}, " x"},
		{"SemicolonInLineComment", "SELECT 1 -- not; here\n;", []string{"SELECT 1 -- not; here\n;"}, ""},
		{"SemicolonInBlockComment", "SELECT /* ; */ 1;", []string{"SELECT /* ; */ 1;"}, ""},
		{"UnterminatedString", "SELECT 1; SELECT 'abc;\n", []string{"SELECT 1;"}, " SELECT 'abc;\n"},
		{"UnterminatedComment", "SELECT 1; /* ;", []string{"SELECT 1;"}, " /* ;"},
		{"UnterminatedQuotedIdent", `SELECT "a; b`, nil, `SELECT "a; b`},
		{"BadCharacterDoesNotStop", "SELECT @; SELECT 2;", []string{"SELECT @;", " SELECT 2;"}, ""},
		{"EmptyStatements", ";;", []string{";", ";"}, ""},
		{"TrailingComment", "SELECT 1; -- done", []string{"SELECT 1;"}, " -- done"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			complete, rest := query.Split(tc.src)
			if !slices.Equal(complete, tc.complete) || rest != tc.rest {
				t.Errorf("Split(%q) = %q, %q, want %q, %q", tc.src, complete, rest, tc.complete, tc.rest)
			}
		})
	}
}

func TestBlank(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"", true},
		{" \t\r\n", true},
		{"-- comment", true},
		{"/* a */ -- b\n", true},
		{"\u00a0", true}, // no-break space
		{"/* unterminated", false},
		{"SELECT", false},
		{";", false},
		{"@", false},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			if got := query.Blank(tc.src); got != tc.want {
				t.Errorf("Blank(%q) = %v, want %v", tc.src, got, tc.want)
			}
		})
	}
}

func TestKeywordsAndFunctions(t *testing.T) {
	kw, fn := query.Keywords(), query.Functions()
	if !slices.IsSorted(kw) || !slices.IsSorted(fn) {
		t.Errorf("Keywords() or Functions() not sorted: %v %v", kw, fn)
	}
	for _, w := range []string{"SELECT", "FROM", "TRAIN", "EVALUATE", "VACUUM", "EXPLAIN"} {
		if !slices.Contains(kw, w) {
			t.Errorf("Keywords() lacks %s", w)
		}
	}
	want := []string{"AVG", "COSINE", "COUNT", "DIM", "DISTANCE", "DOESNT_MATCH", "DOT", "EMBED", "EMBED_TEXT",
		"JSON_EXTRACT", "MAX", "MEAN_VECTOR", "MIN", "NEAREST", "NEAREST_COSMUL", "NORM", "SIMILARITY", "SUM",
		"TOKEN", "TOKENS", "VECTOR", "WMDISTANCE"}
	if diff := cmp.Diff(want, fn); diff != "" {
		t.Errorf("Functions() (-want +got):\n%s", diff)
	}
	kw[0], fn[0] = "CHANGED", "CHANGED"
	if query.Keywords()[0] == "CHANGED" || query.Functions()[0] == "CHANGED" {
		t.Error("Keywords() and Functions() return a shared slice")
	}
	// Every keyword is reserved: a name spelled so must be quoted, in
	// any case. Every function parses as a call, in any case.
	for _, w := range query.Keywords() {
		for _, v := range []string{w, strings.ToLower(w)} {
			if got := query.QuoteIdent(v); got != `"`+v+`"` {
				t.Errorf("QuoteIdent(%q) = %s, want it quoted", v, got)
			}
		}
	}
	for _, f := range query.Functions() {
		for _, v := range []string{f, strings.ToLower(f)} {
			e, err := query.ParseExpr(v + "(1)")
			if c, ok := e.(*query.Call); err != nil || !ok || c.Name != f {
				t.Errorf("ParseExpr(%q) = %v, %v, want a call of %s", v+"(1)", e, err, f)
			}
			e, err = query.ParseExpr(v)
			if id, ok := e.(*query.Ident); err != nil || !ok || id.Name != v {
				t.Errorf("ParseExpr(%q) = %v, %v, want the identifier %s", v, e, err, v)
			}
		}
	}
}

func TestLexical(t *testing.T) {
	tests := []struct {
		src  string
		want string // canonical print
	}{
		{"SELECT\u00a01", "SELECT 1"},  // no-break space is blank
		{"SELECT/**/1--x", "SELECT 1"}, // comments separate tokens
		{"SELECT a-1", "SELECT a - 1"}, // the sign is not lexed with the number
		{"SELECT a-b", "SELECT a - b"}, //
		{"SELECT 1-2", "SELECT 1 - 2"}, //
		{"SELECT a<=b, a>=b, a<>b, a!=b", "SELECT a <= b, a >= b, a <> b, a <> b"},
		{"SELECT café, _x, x_1, Ünïcödé", "SELECT café, _x, x_1, Ünïcödé"},
		{"SELECT 'a' 'b'", ""}, // two strings are an error, not a concatenation
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, err := query.ParseStatement(tc.src)
			if tc.want == "" {
				if err == nil {
					t.Errorf("ParseStatement(%q) = %v, want an error", tc.src, s)
				}
				return
			}
			if err != nil {
				t.Errorf("ParseStatement(%q): %v", tc.src, err)
				return
			}
			if got := s.String(); got != tc.want {
				t.Errorf("ParseStatement(%q) = %q, want %q", tc.src, got, tc.want)
			}
		})
	}
}
