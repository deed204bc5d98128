package query

import (
	"slices"
	"testing"

	"github.com/alecthomas/participle/v2"
)

// TestGrammar_Expectations checks that every production of the grammar can
// be described in an error message, so that no error ever shows participle's
// EBNF or an empty "expected , found".
func TestGrammar_Expectations(t *testing.T) {
	if len(theGrammar().productions) < 20 {
		t.Fatalf("parsed only %d productions from the grammar:\n%s", len(theGrammar().productions), theGrammar().parser.String())
	}
	for name := range theGrammar().productions {
		words := expectedWords(name)
		if len(words) == 0 {
			t.Errorf("production %s has no description", name)
		}
		for _, w := range words {
			if w == "" || w[0] == '<' || w == name {
				t.Errorf("production %s is described as %q", name, words)
			}
		}
	}
}

func TestGrammar_StatementWords(t *testing.T) {
	var got []string
	for w := range theGrammar().stmtParsers {
		got = append(got, w)
	}
	slices.Sort(got)
	if !slices.Equal(got, statementWords) {
		t.Errorf("statements parsed = %v, statementWords = %v", got, statementWords)
	}
	for _, w := range statementWords {
		if !reservedSet[w] {
			t.Errorf("statement keyword %s is not reserved", w)
		}
	}
	for _, f := range functionNames {
		if reservedSet[f] {
			t.Errorf("function %s is also a reserved word", f)
		}
	}
	if !slices.IsSorted(reservedWords) || !slices.IsSorted(functionNames) {
		t.Error("reservedWords and functionNames must be sorted")
	}
	for _, w := range append(slices.Clone(reservedWords), functionNames...) {
		if len(w) > maxKeywordLen {
			t.Errorf("%s is longer than maxKeywordLen", w)
		}
	}
}

func TestExpectedWords(t *testing.T) {
	tests := []struct {
		ebnf string
		want []string
	}{
		{`"FROM" GTableName`, []string{"FROM"}},
		{`"=" Expr`, []string{"'='"}},
		{`(GCreateTable | GCreateIndex)`, []string{"TABLE", "INDEX"}},
		{`("=" | "TO") OptionValue`, []string{"'='", "TO"}},
		{`OptionValue`, []string{"value"}},
		{`("ASC" | "DESC")? ")"`, []string{"ASC", "DESC", "')'"}},
		{`<ident>`, []string{"identifier"}},
	}
	for _, tc := range tests {
		t.Run(tc.ebnf, func(t *testing.T) {
			if got := expectedWords(tc.ebnf); !slices.Equal(got, tc.want) {
				t.Errorf("expectedWords(%q) = %q, want %q", tc.ebnf, got, tc.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"SELECT", "SELECT", 0},
		{"SELEC", "SELECT", 1},
		{"SLEECT", "SELECT", 1}, // transposition
		{"LIMT", "LIMIT", 1},
		{"FORM", "FROM", 1},
		{"", "ABC", 3},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			if got := editDistance(tc.a, tc.b); got != tc.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// TestParse_TooManyItems lowers participle's limit on repetitions to check
// the error that a list longer than the limit gets, and that the rows of an
// INSERT, which are read by hand, are not limited: a million-row INSERT is
// legitimate.
func TestParse_TooManyItems(t *testing.T) {
	saved := participle.MaxIterations
	participle.MaxIterations = 3
	defer func() { participle.MaxIterations = saved }()
	_, err := Parse("SELECT 1, 2, 3, 4, 5")
	if err == nil || err.Error() != "1:18: too many items in a list (more than 3)" {
		t.Errorf("Parse of 5 items with a limit of 3: error = %v", err)
	}
	if _, err := Parse("SELECT 1, 2, 3"); err != nil {
		t.Errorf("Parse of 3 items with a limit of 3: %v", err)
	}
	stmts, err := Parse("INSERT INTO t VALUES (1), (2), (3), (4), (5)")
	if err != nil || len(stmts[0].(*Insert).Rows) != 5 {
		t.Errorf("Parse of 5 rows with a limit of 3 = %v, %v, want the 5 rows", stmts, err)
	}
}
