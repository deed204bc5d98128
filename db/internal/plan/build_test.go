package plan

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/internal/store"
	"github.com/embeddb/embeddb/query"
)

// TestBuild plans statements against a small table and checks the trees
// EXPLAIN prints: the access path WHERE allows, the operators above it in
// their order, and the search NEAREST gets with and without SET exact.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	d, err := store.Open(filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.CreateTable(ctx, "t", store.TableSpec{Dim: 2}); err != nil {
		t.Fatal(err)
	}
	if err := d.Insert(ctx, "t", store.Row{Word: "a", Vector: []float32{1, 0}}, store.Row{Word: "b", Vector: []float32{0, 1}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sql  string
		set  Settings
		want string
	}{
		{"SELECT 1 + 1", Settings{}, "Result (1 + 1)"},
		{"SELECT word FROM t", Settings{}, "Project (word) | -> Scan on t (2 rows)"},
		{"SELECT word FROM t WHERE word = ? ORDER BY id DESC LIMIT 1", Settings{},
			"Limit (limit 1) | -> Sort (id DESC) |    -> Project (word) |       -> Filter (word = ?) |          -> WordLookup on t (word = ?)"},
		{"SELECT * FROM t WHERE word LIKE ?", Settings{}, "Project (*) | -> Filter (word LIKE ?) |    -> WordLookup on t (word LIKE ?)"},
		{"SELECT * FROM t WHERE word LIKE '%a'", Settings{}, "Project (*) | -> Filter (word LIKE '%a') |    -> Scan on t (2 rows)"},
		{"SELECT COUNT(*) FROM t", Settings{}, "Aggregate (COUNT(*), from the row count of t)"},
		{"SELECT COUNT(word) FROM t WHERE id > 0", Settings{}, "Aggregate (COUNT(word)) | -> Filter (id > 0) |    -> Scan on t (2 rows)"},
		{"SELECT NEAREST('a', 1) FROM t OFFSET 1", Settings{},
			"Limit (offset 1) | -> ExactSearch on t (NEAREST('a', 1), 2 rows, cosine)"},
		{"SELECT TOKENS('x') FROM t", Settings{}, "Tokenize on t (TOKENS('x'))"},
	}
	err = d.View(ctx, func(tx *store.Tx) error {
		tbl, err := store.OpenTable(tx, "t")
		if err != nil {
			return err
		}
		for _, tt := range tests {
			stmts, err := query.Parse(tt.sql)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.sql, err)
			}
			sel := stmts[0].(*query.Select)
			from := tbl
			if sel.From == nil {
				from = nil
			}
			p, err := Build(sel, from, []any{"a%"}, tt.set)
			if err != nil {
				t.Errorf("Build(%q): %v", tt.sql, err)
				continue
			}
			if got := strings.Join(p.Lines(nil), " | "); got != tt.want {
				t.Errorf("Build(%q) =\n  %s\nwant\n  %s", tt.sql, got, tt.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBuild_Errors: binding errors are positioned at the part at fault.
func TestBuild_Errors(t *testing.T) {
	for _, tt := range []struct{ sql, want string }{
		{"SELECT word", "1:8: column word needs a FROM table"},
		{"SELECT * WHERE 1", "1:8: SELECT * needs a FROM table"},
	} {
		stmts, err := query.Parse(tt.sql)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.sql, err)
		}
		_, err = Build(stmts[0].(*query.Select), nil, nil, Settings{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("Build(%q) = %v, want %s", tt.sql, err, tt.want)
		}
	}
}
