package query_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/embeddb/embeddb/query"
)

// selectCorpus gathers the SELECT and EXPLAIN statements the project
// writes down: every statement of the .sql scripts (testdata, the parse
// goldens' inputs), every line of the Markdown documents from a SELECT or
// EXPLAIN on, every Go string literal of the repository's sources and
// tests that holds one (the db, driver and cmd tests, the parse tests),
// the malformed statements of errors_test.go and the FuzzParse corpus.
// Each comes as written and lower-cased.
func selectCorpus(t testing.TB) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	add := func(src string) {
		for _, s := range []string{src, strings.ToLower(src)} {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	addScript := func(src string) {
		add(src)
		complete, rest := query.Split(src)
		for _, piece := range append(complete, rest) {
			add(strings.TrimSpace(piece))
		}
	}
	root := filepath.Join("..")
	selectWord := regexp.MustCompile(`(?i)\b(SELECT|EXPLAIN)\b`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".sql":
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			addScript(string(src))
		case ".md":
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, line := range strings.Split(string(src), "\n") {
				for _, loc := range selectWord.FindAllStringIndex(line, -1) {
					rest := line[loc[0]:]
					add(rest)
					if i := strings.IndexByte(rest, '`'); i > 0 {
						add(rest[:i]) // `SELECT ...` in a sentence
					}
				}
			}
		case ".go":
			lits, err := goStringLiterals(path)
			if err != nil {
				return err
			}
			for _, s := range lits {
				if selectWord.MatchString(s) {
					addScript(s)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range malformed {
		add(m.src)
	}
	for _, bs := range benchStatements {
		add(bs.src)
	}
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzParse/*")
	for _, file := range seeds {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if inner, ok := strings.CutPrefix(line, "string("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(inner, ")")); err == nil {
					add(s)
				}
			}
		}
	}
	return out
}

// goStringLiterals returns the string literals of a Go file.
func goStringLiterals(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
		return true
	})
	return out, nil
}

// TestFastSelect_SameAsGrammar parses every statement of selectCorpus with
// the hand parser of SELECT allowed and with the participle grammar alone,
// and requires the same statements and the same error, byte for byte.
func TestFastSelect_SameAsGrammar(t *testing.T) {
	corpus := selectCorpus(t)
	byHand, declined := 0, 0
	for _, src := range corpus {
		sameAsGrammar(t, src)
		_, hand, err := query.FirstStatementForTest(src, true)
		switch {
		case hand:
			byHand++
		case err == nil && isSelect(src):
			declined++
		}
	}
	t.Logf("%d inputs; the hand parser took %d first statements and left %d valid SELECT/EXPLAIN to participle",
		len(corpus), byHand, declined)
	// The corpus holds several hundred SELECTs that parse: a hand parser
	// that declined them all would pass the comparison above vacuously.
	if byHand < 500 {
		t.Fatalf("the hand parser took only %d statements of %d inputs", byHand, len(corpus))
	}
}

// TestFastSelect_Declines lists statements the hand parser must leave to
// participle, each a valid SELECT or one that fails, and checks that it
// does and that the results match.
func TestFastSelect_Declines(t *testing.T) {
	for _, src := range []string{
		"SELECT",
		"SELECT * AS x FROM t",
		"SELECT a b FROM t",
		"SELECT a FROM t ORDER a",
		"SELECT a FROM t GROUP a",
		"SELECT a FROM 'file'",
		"SELECT a AS FROM t",
		"SELECT a FROM t WHERE",
		"EXPLAIN foo SELECT 1",
		"EXPLAIN ANALYZE DELETE FROM t",
		"SELECT 1 SELECT 2",
		"SELECT 'unterminated",
		"SELECT a FROM t LIMIT 5 OFFSET",
		"SELECT a FROM t OFFSET 2 LIMIT 5",
		"SELECT x FROM t WHERE a = 1 #",
		"SELECT " + strings.Repeat("a, ", 5000) + "a",
	} {
		if _, hand, _ := query.FirstStatementForTest(src, true); hand {
			t.Errorf("the hand parser took %q", src)
		}
		sameAsGrammar(t, src)
	}
}

// TestFastSelect_Takes checks that the hand parser takes every clause of
// SELECT and EXPLAIN [ANALYZE], in any letter case.
func TestFastSelect_Takes(t *testing.T) {
	for _, src := range []string{
		"SELECT 1",
		"select *, a AS b, count(*) as \"n\", c AS nearest FROM \"my table\" where x = ? group by a, b having count(*) > ? order by a desc, b, c ASC limit ? offset 3",
		"EXPLAIN SELECT NEAREST('python', 5) FROM w2v WHERE word LIKE 'p%' LIMIT 5",
		"explain analyze select * from t;",
		"EXPLAIN ANALYZE SELECT a FROM analyze",
		"SELECT a FROM nearest",
		"SELECT [1, 2, 3], [a, -b], -(1), ? FROM t WHERE a IN (1, 2) AND b IS NOT NULL OR NOT c LIKE 'x%'",
	} {
		if _, hand, err := query.FirstStatementForTest(src, true); !hand || err != nil {
			t.Errorf("the hand parser left %q to participle (err %v)", src, err)
		}
		sameAsGrammar(t, src)
	}
}

// sameAsGrammar fails t unless Parse(src) and the participle grammar alone
// give equal statements and the same error.
func sameAsGrammar(t testing.TB, src string) {
	t.Helper()
	got, gotErr := query.Parse(src)
	want, wantErr := query.ParseGrammarOnlyForTest(src)
	if errString(gotErr) != errString(wantErr) {
		t.Fatalf("Parse(%q) error:\n got %v\nwant %v (participle alone)", src, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse(%q) differs from participle alone (-participle +Parse):\n%s", src, cmp.Diff(want, got, compareVectors))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// isSelect reports whether src begins with SELECT or EXPLAIN.
func isSelect(src string) bool {
	f := strings.Fields(src)
	return len(f) > 0 && (strings.EqualFold(f[0], "SELECT") || strings.EqualFold(f[0], "EXPLAIN"))
}

// FuzzFastSelect feeds the same input to the hand parser of SELECT and to
// the participle grammar: when the hand parser takes the first statement,
// participle must accept it with an equal tree; and Parse must give what
// participle alone gives, statements and error.
func FuzzFastSelect(f *testing.F) {
	for _, src := range selectCorpus(f) {
		if isSelect(src) && len(src) < 500 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, hand, err := query.FirstStatementForTest(src, true)
		if hand {
			if err != nil {
				t.Fatalf("the hand parser took %q, then it failed: %v", src, err)
			}
			g, gHand, gErr := query.FirstStatementForTest(src, false)
			if gHand || gErr != nil {
				t.Fatalf("the hand parser took %q; participle alone: %v (by hand %v)", src, gErr, gHand)
			}
			if !reflect.DeepEqual(s, g) {
				t.Fatalf("%q: the hand parser's tree differs (-participle +hand):\n%s", src, cmp.Diff(g, s, compareVectors))
			}
		}
		sameAsGrammar(t, src)
	})
}

// BenchmarkParse_Select parses typical SELECT and EXPLAIN statements with
// the hand parser and with the participle grammar alone, in one run, so
// that their ratio holds on a busy machine; cpu-ns/op is the CPU time per
// parse.
func BenchmarkParse_Select(b *testing.B) {
	stmts := []struct{ name, src string }{
		{"nearest", "SELECT NEAREST('python', 5) FROM w2v WHERE word LIKE 'p%' LIMIT 5"},
		{"explain", "EXPLAIN SELECT NEAREST('python', 5) FROM w2v WHERE word LIKE 'p%' LIMIT 5"},
		{"columns", "SELECT title, year, COUNT(*) AS n FROM docs WHERE year >= ? AND draft = FALSE GROUP BY title, year HAVING COUNT(*) > 1 ORDER BY year DESC, title LIMIT 10 OFFSET 20"},
	}
	parsers := []struct {
		name  string
		parse func(string) ([]query.Statement, error)
	}{{"hand", query.Parse}, {"grammar", query.ParseGrammarOnlyForTest}}
	for _, s := range stmts {
		for _, p := range parsers {
			b.Run(s.name+"/"+p.name, func(b *testing.B) {
				b.ReportAllocs()
				start := cpuTime()
				for b.Loop() {
					if _, err := p.parse(s.src); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, start)
			})
		}
	}
}
