package query_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/embeddb/embeddb/query"
)

// addSeeds seeds a fuzz target with the golden inputs, the project's
// end-to-end scripts and the malformed statements.
func addSeeds(f *testing.F) {
	f.Helper()
	files, _ := filepath.Glob("testdata/parse/*.sql")
	scripts, _ := filepath.Glob("../testdata/scripts/*.sql")
	for _, file := range append(files, scripts...) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
		// Each line alone too: shorter seeds mutate faster.
		for _, line := range strings.Split(string(src), "\n") {
			f.Add(line)
		}
	}
	for _, m := range malformed {
		f.Add(m.src)
	}
}

// FuzzParse checks that Parse never panics, that every error is an *Error
// inside the input, that every statement parsed prints as SQL that parses
// back to an equal tree, and that a Script reads what Parse does.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		stmts, err := query.Parse(src)
		if err != nil {
			checkError(t, src, err)
			_ = query.FormatError(src, err)
		}
		got, gotErr := readScript(src, 2)
		if fmt.Sprint(gotErr) != fmt.Sprint(err) {
			t.Fatalf("Script(%q) error = %v, Parse's = %v", src, gotErr, err)
		}
		if diff := cmp.Diff(stmts, got, compareVectors); diff != "" {
			t.Fatalf("Script(%q) differs from Parse (-Parse +Script):\n%s", src, diff)
		}
		prev := 0
		for _, s := range stmts {
			pos, end := s.Span()
			if pos.Offset < prev || end.Offset < pos.Offset || end.Offset > len(src) {
				t.Fatalf("statement %q spans %d..%d, outside the input or before the previous one (%d)", s, pos.Offset, end.Offset, prev)
			}
			prev = end.Offset
			n := 0
			query.Walk(s, func(node query.Node) bool {
				if p, ok := node.(*query.Param); ok {
					n++
					if p.Index != n {
						t.Fatalf("parameter %d of %q has Index %d", n, s, p.Index)
					}
				}
				return true
			})
			if n != s.NumParams() {
				t.Fatalf("%q has %d parameters, NumParams() = %d", s, n, s.NumParams())
			}
			roundTrip(t, s)
		}
	})
}

// FuzzSplit checks that Split never panics, that its pieces concatenate
// back to the input, that each complete piece ends with the ';' that ends
// it, and that splitting a piece again gives the piece alone.
func FuzzSplit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		complete, rest := query.Split(src)
		if got := strings.Join(complete, "") + rest; got != src {
			t.Fatalf("Split(%q) pieces join to %q", src, got)
		}
		for _, piece := range complete {
			if !strings.HasSuffix(piece, ";") {
				t.Fatalf("Split(%q) gave the piece %q, which does not end with ';'", src, piece)
			}
			again, r := query.Split(piece)
			if len(again) != 1 || again[0] != piece || r != "" {
				t.Fatalf("Split(%q) = %q, %q, want the piece alone", piece, again, r)
			}
		}
		if stmts, err := query.Parse(src); err == nil && len(stmts) > len(complete)+1 {
			t.Fatalf("Parse(%q) gave %d statements, but Split found %d complete ones", src, len(stmts), len(complete))
		}
	})
}
