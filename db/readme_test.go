package db_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/query"
)

// TestREADME_SQLParses keeps the README's SQL reference true: every
// statement in its sql blocks must parse. (Running them needs files such as
// glove.6B.100d.txt that are not here; the statements that can run are
// exercised by the executor's own tests.) The README's examples, console
// and Go, are run as written by TestREADME in cmd/embeddb.
func TestREADME_SQLParses(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatal("no sql block in README.md")
	}
	n := 0
	for _, blk := range blocks {
		stmts, err := query.Parse(blk[1])
		if err != nil {
			t.Errorf("README.md: %s", query.FormatError(blk[1], err))
			continue
		}
		n += len(stmts)
	}
	if n < 30 {
		t.Errorf("README.md: only %d statements parsed", n)
	}
	// The transcript's statements too.
	for _, line := range strings.Split(string(b), "\n") {
		if s, ok := strings.CutPrefix(line, "embeddb> "); ok && strings.HasSuffix(s, ";") {
			if _, err := query.Parse(s); err != nil {
				t.Errorf("README.md transcript: %s: %v", s, err)
			}
		}
	}
}
