package db

import (
	"testing"

	"github.com/embeddb/embeddb/db/internal/plan"
)

// TestSuggestName checks the names offered for a misspelt option or
// table: a near one first, else one of the same stem.
func TestSuggestName(t *testing.T) {
	known := []string{"analogies", "pairs", "restrict_vocab"}
	tests := []struct{ in, want string }{
		{"analogy", "analogies"},  // the singular: three edits, one stem
		{"analogie", "analogies"}, // one edit
		{"pair", "pairs"},         // one edit
		{"restrict", ""},          // six letters short: not a form of it
		{"analysis", ""},          // a shared start, but other endings
		{"vectors", ""},
	}
	for _, tt := range tests {
		if got := plan.SuggestName(tt.in, known); got != tt.want {
			t.Errorf("suggestName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
