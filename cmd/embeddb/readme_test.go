//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADME runs every example of README.md, in order, in one fresh
// directory (holding testdata/train-data.txt and testdata/walkthrough.sql),
// as a reader would, and compares what each prints with what the README
// shows:
//
//   - a console block is commands after "$ ", each followed by its output
//     (standard output and error as they interleave). A command whose
//     output shows the prompt "embeddb> " starts the REPL: the lines after
//     the prompts are typed into it (with -interactive, which prompts as a
//     terminal would; the last prompt, where the reader presses Ctrl-D, is
//     not shown);
//   - an sh block is commands that must succeed, their output not shown;
//   - a go block is a program, built in a module of its own that uses this
//     checkout; a text block right after it is what it prints. It runs
//     twice: an example must survive a second run on the same files.
//
// "go run ./cmd/embeddb" and "embeddb" both run the command built from
// this checkout. The columns seconds and words/s are compared by shape
// only: the README says that they vary.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and a Go program and trains a model; skipped with -short")
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	for _, f := range []string{"train-data.txt", "walkthrough.sql"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(work, "testdata"), 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(work, "testdata", f), b)
	}
	env := append(os.Environ(), "PATH="+plainBinaryDir(t)+":"+os.Getenv("PATH"), "HOME="+t.TempDir())
	blocks := fencedBlocks(string(readme))
	ran := 0
	for i, b := range blocks {
		switch b.lang {
		case "console":
			ran += runConsoleBlock(t, b, work, env)
		case "sh":
			ran += runShBlock(t, b, work, env)
		case "go":
			want := ""
			if i+1 < len(blocks) && blocks[i+1].lang == "text" {
				want = blocks[i+1].text
			}
			runGoBlock(t, b, want, work, env)
			ran++
		}
	}
	if ran < 10 {
		t.Errorf("ran %d examples of README.md; it has more", ran)
	}
}

// block is a fenced block of the README: its language and text, and the
// line it starts on.
type block struct {
	lang, text string
	line       int
}

func fencedBlocks(md string) []block {
	var out []block
	re := regexp.MustCompile("(?ms)^```([a-z]*)\n(.*?)^```$")
	for _, m := range re.FindAllStringSubmatchIndex(md, -1) {
		out = append(out, block{lang: md[m[2]:m[3]], text: md[m[4]:m[5]], line: 1 + strings.Count(md[:m[0]], "\n")})
	}
	return out
}

// shellLine is a README command line as the test runs it.
func shellLine(cmd string) string {
	return strings.ReplaceAll(cmd, "go run ./cmd/embeddb", "embeddb")
}

// runConsoleBlock runs the commands of a console block and returns how
// many it ran.
func runConsoleBlock(t *testing.T, b block, dir string, env []string) int {
	t.Helper()
	type step struct {
		cmd  string
		want []string
		line int
	}
	var steps []*step
	for i, l := range strings.Split(strings.TrimSuffix(b.text, "\n"), "\n") {
		if cmd, ok := strings.CutPrefix(l, "$ "); ok {
			steps = append(steps, &step{cmd: cmd, line: b.line + 1 + i})
			continue
		}
		if len(steps) == 0 {
			t.Fatalf("README.md:%d: console output before any command", b.line+1+i)
		}
		steps[len(steps)-1].want = append(steps[len(steps)-1].want, l)
	}
	for _, s := range steps {
		cmdline, stdin := shellLine(s.cmd), ""
		var typed []string
		for _, w := range s.want {
			if in, ok := strings.CutPrefix(w, promptNew); ok {
				typed = append(typed, in)
			} else if in, ok := strings.CutPrefix(w, promptMore); ok {
				typed = append(typed, in)
			}
		}
		if len(typed) > 0 {
			stdin = strings.Join(typed, "\n") + "\n"
			if !strings.Contains(cmdline, "-interactive") {
				cmdline += " -interactive"
			}
		}
		got := runShell(t, cmdline, stdin, dir, env, s.line)
		got = strings.TrimSuffix(got, promptNew)
		want := strings.Join(s.want, "\n")
		if len(s.want) > 0 {
			want += "\n"
		}
		if maskVarying(got) != maskVarying(want) {
			t.Errorf("README.md:%d: $ %s printed:\n%s\nthe README shows:\n%s\n%s", s.line, s.cmd, got, want, firstDiff(got, want))
		}
	}
	return len(steps)
}

// runShBlock runs each command of an sh block, which must succeed, and
// returns how many it ran.
func runShBlock(t *testing.T, b block, dir string, env []string) int {
	t.Helper()
	n := 0
	for i, l := range strings.Split(b.text, "\n") {
		cmd := strings.TrimSpace(l)
		switch {
		case cmd == "" || strings.HasPrefix(cmd, "#"):
			continue
		case strings.HasPrefix(cmd, "make test"):
			t.Logf("README.md:%d: not running %q: it is the test suite this test is part of", b.line+1+i, cmd)
			continue
		case strings.Contains(cmd, "@latest"):
			t.Logf("README.md:%d: not running %q: it downloads from the network", b.line+1+i, cmd)
			continue
		}
		runShell(t, shellLine(cmd), "", dir, env, b.line+1+i)
		n++
	}
	return n
}

// runShell runs cmdline with sh in dir and returns its standard output
// and error, interleaved; the command must exit with status 0.
func runShell(t *testing.T, cmdline, stdin, dir string, env []string, line int) string {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", cmdline)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, env, strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out // one writer: exec keeps the order of the writes
	if err := cmd.Run(); err != nil {
		t.Errorf("README.md:%d: $ %s: %v\n%s", line, cmdline, err, out.String())
	}
	return out.String()
}

// runGoBlock builds the program of a go block in a module of its own,
// using this checkout, and runs it twice in dir; each run must print want.
func runGoBlock(t *testing.T, b block, want, dir string, env []string) {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	// The checkout's own requirements, so that the build needs nothing
	// beyond the module cache.
	gomod = regexp.MustCompile(`(?m)^module .*$`).ReplaceAll(gomod, []byte("module readmeexample"))
	gomod = append(gomod, "\nrequire github.com/embeddb/embeddb v0.0.0\n\nreplace github.com/embeddb/embeddb => "+root+"\n"...)
	mustWrite(t, filepath.Join(mod, "go.mod"), gomod)
	mustWrite(t, filepath.Join(mod, "go.sum"), sum)
	mustWrite(t, filepath.Join(mod, "main.go"), []byte(b.text))
	prog := filepath.Join(t.TempDir(), "example")
	build := exec.Command("go", "build", "-mod=mod", "-o", prog, ".")
	// Offline: everything is in the module cache already.
	build.Dir, build.Env = mod, append(env, "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("README.md:%d: go build: %v\n%s", b.line, err, out)
	}
	for run := 1; run <= 2; run++ {
		got := runShell(t, prog, "", dir, env, b.line)
		if got != want {
			t.Errorf("README.md:%d: the Go example (run %d) printed:\n%s\nthe README shows:\n%s", b.line, run, got, want)
		}
	}
}

// varyingColumns are the columns whose values differ from run to run.
var varyingColumns = map[string]bool{"seconds": true, "words/s": true}

// maskVarying rewrites the tables in s so that they compare by their
// cells, with the cells of varyingColumns as #: widths, which follow the
// values, are left out.
func maskVarying(s string) string {
	lines := strings.Split(s, "\n")
	var mask []bool // the columns to mask in the current table
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "+-"):
			lines[i] = "+-+"
		case strings.HasPrefix(l, "| ") && strings.HasSuffix(l, " |"):
			cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(l, "|"), "|"), "|")
			if i > 0 && lines[i-1] == "+-+" && (i < 2 || !strings.HasPrefix(lines[i-2], "|")) {
				mask = make([]bool, len(cells)) // a header, or a first row
				for j, c := range cells {
					mask[j] = varyingColumns[strings.TrimSpace(c)]
				}
			}
			for j := range cells {
				cells[j] = strings.TrimSpace(cells[j])
				if j < len(mask) && mask[j] && !varyingColumns[cells[j]] {
					cells[j] = "#"
				}
			}
			lines[i] = "| " + strings.Join(cells, " | ") + " |"
		}
	}
	return strings.Join(lines, "\n")
}

// plainBinaryDir builds the command as go run does (version "dev") into
// a directory of its own, named embeddb, for the README's commands.
func plainBinaryDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "embeddb"), ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}
