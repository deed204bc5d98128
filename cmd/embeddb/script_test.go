package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected output (.out) of testdata/scripts")

// repoRoot is the repository's root, from this package's directory.
const repoRoot = "../.."

// TestScripts runs each testdata/scripts/NAME.sql through the command, in a
// fresh directory with a fresh database test.db, as
//
//	embeddb [ARGS] -f NAME.sql test.db
//
// and compares standard output and error, interleaved as written, plus the
// exit status, with NAME.out. The directory holds train-data.txt (the
// walkthrough's corpus) and data/ (testdata/scripts/data). Comment lines at
// the top of a script may say
//
//	-- args: -bail=false        more arguments for the command
//	-- mask: REGEXP => TEXT     replace what changes from run to run
//
// (TEXT may use $1; without "=> TEXT" the match becomes #). go test
// -update rewrites the .out files: review the diff.
func TestScripts(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "scripts", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no scripts in testdata/scripts")
	}
	corpus, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "train-data.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dataDir, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "scripts", "data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".sql")
		golden, err := filepath.Abs(strings.TrimSuffix(path, ".sql") + ".out")
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			args, masks, err := directives(string(src))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, name+".sql"), src)
			mustWrite(t, filepath.Join(dir, "train-data.txt"), corpus)
			copyDir(t, dataDir, filepath.Join(dir, "data"))
			t.Chdir(dir)

			var buf bytes.Buffer
			args = append(args, "-f", name+".sql", "test.db")
			code := Main{Stdin: strings.NewReader(""), Stdout: &buf, Stderr: &buf}.Run(context.Background(), args)
			fmt.Fprintf(&buf, "[exit status %d]\n", code)
			got := buf.String()
			for _, m := range masks {
				got = m.re.ReplaceAllString(got, m.repl)
			}
			if *update {
				mustWrite(t, golden, []byte(got))
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to make it)", err)
			}
			if got != string(want) {
				t.Errorf("embeddb %s printed:\n%s\nwant (%s):\n%s\n%s", strings.Join(args, " "), got, golden, want, firstDiff(got, string(want)))
			}
		})
	}
}

type mask struct {
	re   *regexp.Regexp
	repl string
}

// directives reads the -- args: and -- mask: lines of a script.
func directives(src string) (args []string, masks []mask, err error) {
	for _, line := range strings.Split(src, "\n") {
		if a, ok := strings.CutPrefix(line, "-- args:"); ok {
			args = append(args, strings.Fields(a)...)
		}
		if m, ok := strings.CutPrefix(line, "-- mask:"); ok {
			expr, repl, found := strings.Cut(strings.TrimSpace(m), " => ")
			if !found {
				repl = "#"
			}
			re, err := regexp.Compile(expr)
			if err != nil {
				return nil, nil, fmt.Errorf("mask %q: %v", m, err)
			}
			masks = append(masks, mask{re, repl})
		}
	}
	return args, masks, nil
}

// firstDiff says where got and want part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("first difference at line %d:\n got: %q\nwant: %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

func mustWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}
