package testrace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestRaceFree holds the Makefile's RACEFREE and RACEFREE_PKGS to the tests
// that call Skip: each such test is named in RACEFREE and its package is in
// RACEFREE_PKGS (or make test would run it in neither pass), and each name
// in RACEFREE is such a test (or the list has gone stale).
func TestRaceFree(t *testing.T) {
	root := filepath.Join("..", "..")
	names, pkgs := makeVars(t, filepath.Join(root, "Makefile"))
	skipping := map[string]string{} // test name -> its package's directory
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		for _, name := range testsCallingSkip(t, path) {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			skipping[name] = "./" + filepath.ToSlash(rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(skipping) == 0 {
		t.Fatal("no test calls testrace.Skip: the walk of the repository found nothing")
	}
	for name, pkg := range skipping {
		if !names[name] {
			t.Errorf("%s (%s) calls testrace.Skip but is not in the Makefile's RACEFREE: make test would never run it", name, pkg)
		}
		if !pkgs[pkg] {
			t.Errorf("%s calls testrace.Skip but its package %s is not in the Makefile's RACEFREE_PKGS", name, pkg)
		}
	}
	for name := range names {
		if _, ok := skipping[name]; !ok {
			t.Errorf("the Makefile's RACEFREE names %s, which does not call testrace.Skip", name)
		}
	}
	got := make([]string, 0, len(skipping))
	for name := range skipping {
		got = append(got, name)
	}
	sort.Strings(got)
	t.Logf("race-free tests: %s", strings.Join(got, ", "))
}

// makeVars reads RACEFREE (names joined by |) and RACEFREE_PKGS (package
// paths separated by spaces) from the Makefile.
func makeVars(t *testing.T, path string) (names, pkgs map[string]bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	value := func(v string) string {
		m := regexp.MustCompile(`(?m)^` + v + `\s*:=\s*(.*)$`).FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s: no %s := line", path, v)
		}
		return strings.TrimSpace(string(m[1]))
	}
	names, pkgs = map[string]bool{}, map[string]bool{}
	for _, n := range strings.Split(value("RACEFREE"), "|") {
		names[n] = true
	}
	for _, p := range strings.Fields(value("RACEFREE_PKGS")) {
		pkgs[p] = true
	}
	return names, pkgs
}

// testsCallingSkip returns the Test functions of the file at path whose
// bodies call testrace.Skip.
func testsCallingSkip(t *testing.T, path string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Test") {
			continue
		}
		calls := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Skip" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "testrace" {
					calls = true
				}
			}
			return !calls
		})
		if calls {
			out = append(out, fn.Name.Name)
		}
	}
	return out
}
