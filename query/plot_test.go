package query_test

import (
	"testing"

	"github.com/embeddb/embeddb/query"
)

func TestParse_Plot(t *testing.T) {
	tests := []struct{ src, want string }{
		{"PLOT w2v WORDS ('king', 'queen', 'man', 'woman', 'paris', 'france', 'rome', 'italy') TO 'map.svg';",
			"PLOT w2v WORDS ('king', 'queen', 'man', 'woman', 'paris', 'france', 'rome', 'italy') TO 'map.svg'"},
		{"PLOT w2v NEAREST ('python', 30) TO 'python.png' WITH (method = 'tsne', perplexity = 10, seed = 1);",
			"PLOT w2v NEAREST ('python', 30) TO 'python.png' WITH (method = 'tsne', perplexity = 10, seed = 1)"},
		{"PLOT w2v WHERE count > 1000 LIMIT 2000 TO 'top.svg' WITH (method = 'pca', labels = 'none');",
			"PLOT w2v WHERE count > 1000 LIMIT 2000 TO 'top.svg' WITH (method = 'pca', labels = 'none')"},
		{"plot words words('a')", "PLOT words WORDS ('a')"},
		{"PLOT w2v nearest(VECTOR('king') - VECTOR('man'), ?) WHERE word LIKE 'k%'",
			"PLOT w2v NEAREST (VECTOR('king') - VECTOR('man'), ?) WHERE word LIKE 'k%'"},
		{"PLOT w2v", "PLOT w2v"},
		{"PLOT w2v TO ?", "PLOT w2v TO ?"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			s, err := query.ParseStatement(tc.src)
			if err != nil {
				t.Fatalf("ParseStatement(%q): %v", tc.src, err)
			}
			p, ok := s.(*query.Plot)
			if !ok {
				t.Fatalf("ParseStatement(%q) = %T, want *query.Plot", tc.src, s)
			}
			if got := p.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
			again, err := query.ParseStatement(p.String())
			if err != nil || again.String() != p.String() {
				t.Errorf("reparse of %q: %v, %v", p.String(), again, err)
			}
			if p.TableName() == "" {
				t.Errorf("TableName() is empty")
			}
		})
	}
	s, _ := query.ParseStatement("PLOT w2v NEAREST (?, ?) TO ?")
	if n := s.NumParams(); n != 3 {
		t.Errorf("NumParams = %d, want 3", n)
	}
}

func TestParse_PlotErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"PLOT", "1:5: expected table name, found end of input"},
		{"PLOT w2v WORDS 'a'", "1:16: expected '(', found string 'a'"},
		{"PLOT w2v WORDS ()", "1:17: expected expression, found ')'"},
		{"PLOT w2v TO", "1:12: expected file name in single quotes, found end of input"},
		{"PLOT w2v LIMIT 3 WHERE x", "1:18: expected end of statement, found 'WHERE'"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			_, err := query.ParseStatement(tc.src)
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParseStatement(%q) error = %v, want %s", tc.src, err, tc.want)
			}
		})
	}
}
