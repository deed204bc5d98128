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

// readScript reads src with a Script, taking an INSERT's rows batch at a
// time, and returns what Parse would.
func readScript(src string, batch int) ([]query.Statement, error) {
	sc := query.NewScript(src)
	var stmts []query.Statement
	for {
		s, err := sc.Next()
		if err != nil || s == nil {
			return stmts, err
		}
		if ins, ok := s.(*query.Insert); ok {
			for {
				rows, err := sc.Rows(batch)
				if err != nil {
					return stmts, err
				}
				if len(rows) == 0 {
					break
				}
				ins.Rows = append(ins.Rows, rows...)
			}
		}
		stmts = append(stmts, s)
	}
}

// TestScript_SameAsParse checks that a Script reads the statements, rows
// and errors that Parse gives, for the golden scripts and the malformed
// statements.
func TestScript_SameAsParse(t *testing.T) {
	files, err := filepath.Glob("testdata/parse/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(src))
	}
	for _, m := range malformed {
		srcs = append(srcs, m.src, "SELECT 1; "+m.src+"; SELECT 2")
	}
	srcs = append(srcs, "INSERT INTO t VALUES ('a', [1]), ('b', [2]), ('c', [3]); INSERT INTO t VALUES (?, ?); SELECT 1")
	for _, src := range srcs {
		want, wantErr := query.Parse(src)
		for _, batch := range []int{1, 2, 1000} {
			got, err := readScript(src, batch)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("Script(%q) with batches of %d: error %v, want %v", src, batch, err, wantErr)
			}
			if diff := cmp.Diff(want, got, compareVectors); diff != "" {
				t.Errorf("Script(%q) with batches of %d differs from Parse (-Parse +Script):\n%s", src, batch, diff)
			}
		}
	}
}

// TestScript_NextSkipsRows checks that Next, called before an INSERT's
// rows are read, reads past them, and still reports an error in them.
func TestScript_NextSkipsRows(t *testing.T) {
	sc := query.NewScript("INSERT INTO t VALUES ('a', [1]), ('b', [2]); SELECT 1")
	if s, err := sc.Next(); err != nil || s.String() != "INSERT INTO t VALUES " {
		t.Fatalf("Next() = %v, %v, want the INSERT without rows", s, err)
	}
	if s, err := sc.Next(); err != nil || s.String() != "SELECT 1" {
		t.Errorf("second Next() = %v, %v, want SELECT 1", s, err)
	}
	if s, err := sc.Next(); err != nil || s != nil {
		t.Errorf("third Next() = %v, %v, want the end", s, err)
	}
	sc = query.NewScript("INSERT INTO t VALUES ('a', [1]) ('b', [2]); SELECT 1")
	sc.Next()
	if s, err := sc.Next(); err == nil || !strings.Contains(err.Error(), "expected end of statement, found '('") {
		t.Errorf("Next() after a malformed INSERT = %v, %v, want its error", s, err)
	}
	if s, err := sc.Next(); err != nil || s != nil {
		t.Errorf("Next() after an error = %v, %v, want the end", s, err)
	}
}
