//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// waitFor bounds each wait for the REPL's output. It is generous: the
// machine may be loaded; a healthy run takes a fraction of it.
const waitFor = 90 * time.Second

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// embeddbBinary builds the command once per test run (with -race when the
// tests have it), into a directory removed at the end of the run.
func embeddbBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			buildErr = err
			return
		}
		dir, err := os.MkdirTemp("", "embeddb-repl-test-")
		if err != nil {
			buildErr = err
			return
		}
		builtPath = filepath.Join(dir, "embeddb")
		args := []string{"build", "-o", builtPath, "-ldflags", "-X main.version=" + testVersion}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command(goTool, append(args, ".")...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtPath
}

// testVersion is the version the test binary is built with, as the
// Makefile sets it.
const testVersion = "v0.0.0-test"

// TestVersion_LDFlags checks that -ldflags "-X main.version=..." names the
// version -version prints.
func TestVersion_LDFlags(t *testing.T) {
	out, err := exec.Command(embeddbBinary(t), "-version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "embeddb "+testVersion+"\n"; got != want {
		t.Errorf("embeddb -version = %q, want %q", got, want)
	}
}

func TestMain(m *testing.M) {
	// The shell reads ~/.embeddbrc at start: the tests must not read the
	// user's. The go command, which some tests run, keeps its caches
	// where they were.
	out, err := exec.Command("go", "env", "GOPATH", "GOMODCACHE", "GOCACHE").Output()
	if err == nil {
		vals := strings.Split(strings.TrimSpace(string(out)), "\n")
		for i, name := range []string{"GOPATH", "GOMODCACHE", "GOCACHE"} {
			if i < len(vals) && vals[i] != "" {
				os.Setenv(name, vals[i])
			}
		}
	}
	home, err := os.MkdirTemp("", "embeddb-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("HOME", home)
	code := m.Run()
	os.RemoveAll(home)
	if builtPath != "" {
		os.RemoveAll(filepath.Dir(builtPath))
	}
	os.Exit(code)
}

// shell is the command running in a pseudo-terminal.
type shell struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer // everything the terminal showed
	seen int          // expect has looked up to here
	done chan struct{}
	err  error // from Wait
}

// startShell runs embeddb args in a pseudo-terminal of 50 rows and 200
// columns, with its configuration (history) in cfg.
func startShell(t *testing.T, dir, cfg string, args ...string) *shell {
	t.Helper()
	return startShellEnv(t, dir, cfg, nil, args...)
}

// startShellEnv is startShell with more environment variables.
func startShellEnv(t *testing.T, dir, cfg string, env []string, args ...string) *shell {
	t.Helper()
	cmd := exec.Command(embeddbBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "TERM=xterm", "XDG_CONFIG_HOME="+cfg, "HOME="+cfg), env...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	sh := &shell{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			sh.mu.Lock()
			sh.out.Write(buf[:n])
			sh.mu.Unlock()
			if err != nil {
				break
			}
		}
		sh.err = cmd.Wait()
		close(sh.done)
	}()
	t.Cleanup(func() {
		select {
		case <-sh.done:
		default:
			cmd.Process.Kill()
			<-sh.done
		}
		tty.Close()
		if t.Failed() {
			t.Logf("the terminal showed:\n%s", sh.screen(0))
		}
	})
	return sh
}

// ansi matches the terminal control sequences liner and the progress bar
// write.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\r`)

// screen is the output from offset from, without control sequences.
func (sh *shell) screen(from int) string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return ansi.ReplaceAllString(sh.out.String()[from:], "")
}

// send types s.
func (sh *shell) send(s string) {
	sh.t.Helper()
	if _, err := sh.tty.Write([]byte(s)); err != nil {
		sh.t.Fatalf("typing %q: %v", s, err)
	}
}

// expect waits until the output since the last match matches re, and
// returns the first match. It matches the output without control
// sequences, and the next expect starts right after the match. A trailing
// $ is the match's own end, not the output's: `embeddb> $` waits for the
// next prompt, whatever was typed after it.
//
// Each poll cleans the output once and finds the first match in it (an
// earlier version cleaned and matched every prefix of the output in turn,
// which took minutes under -race once .plot printed a 40 KB image).
func (sh *shell) expect(re string) string {
	sh.t.Helper()
	pattern := re
	if !strings.HasSuffix(re, `\$`) {
		pattern = strings.TrimSuffix(re, "$")
	}
	rx := regexp.MustCompile(pattern)
	deadline := time.Now().Add(waitFor)
	for {
		sh.mu.Lock()
		raw := sh.out.String()[sh.seen:]
		sh.mu.Unlock()
		text, ends := cleanText(raw)
		if loc := rx.FindStringIndex(text); loc != nil {
			if loc[1] > 0 {
				sh.seen += ends[loc[1]-1]
			}
			return text[loc[0]:loc[1]]
		}
		select {
		case <-sh.done:
			sh.t.Fatalf("the shell exited (%v) before printing a match for %q; after the last match it printed:\n%s", sh.err, re, text)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			sh.t.Fatalf("no match for %q within %v; after the last match it printed:\n%s", re, waitFor, text)
		}
	}
}

// cleanText returns raw without the control sequences ansi matches, and
// for each byte of the result the offset in raw just past it.
func cleanText(raw string) (string, []int) {
	var b strings.Builder
	ends := make([]int, 0, len(raw))
	keep := func(from, to int) {
		b.WriteString(raw[from:to])
		for i := from; i < to; i++ {
			ends = append(ends, i+1)
		}
	}
	last := 0
	for _, loc := range ansi.FindAllStringIndex(raw, -1) {
		keep(last, loc[0])
		last = loc[1]
	}
	keep(last, len(raw))
	return b.String(), ends
}

// exitCode waits for the shell to exit and returns its status.
func (sh *shell) exitCode() int {
	sh.t.Helper()
	select {
	case <-sh.done:
	case <-time.After(waitFor):
		sh.t.Fatalf("the shell did not exit within %v", waitFor)
	}
	var ee *exec.ExitError
	if errors.As(sh.err, &ee) {
		return ee.ExitCode()
	}
	if sh.err != nil {
		sh.t.Fatalf("wait: %v", sh.err)
	}
	return 0
}

const (
	ctrlC = "\x03"
	ctrlD = "\x04"
	tab   = "\t"
	up    = "\x1b[A"
)

// TestREPL drives the real shell in a pseudo-terminal: multi-line input
// with the continuation prompt, Ctrl-C at the prompt, an error with its
// caret, tab completion of a keyword, a table and a word, history across
// two sessions, and Ctrl-D.
func TestREPL(t *testing.T) {
	dir, cfg := t.TempDir(), t.TempDir()
	dbPath := filepath.Join(dir, "pets.db")

	sh := startShell(t, dir, cfg, dbPath)
	sh.expect(`embeddb ` + regexp.QuoteMeta(testVersion) + `\. Enter "\.help" for usage hints`)
	sh.expect(`embeddb> $`)

	// A statement over three lines: the continuation prompt shows it is
	// not finished; it runs at the ';'.
	sh.send("CREATE TABLE pets\r")
	sh.expect(`\.\.\.> $`)
	sh.send("  (dim = 3)\r")
	sh.expect(`\.\.\.> $`)
	sh.send(";\r")
	sh.expect(`\| created \|\n\+-+\+\n\| pets +\|`)
	sh.send("INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]), ('emu', [0.9, -0.1, 0.05]);\r")
	sh.expect(`\| inserted \|\n\+-+\+\n\| +3 \|`)

	// Ctrl-C clears an unfinished input, and the shell goes on.
	sh.send("SELECT 'lost'\r")
	sh.expect(`\.\.\.> $`)
	sh.send(ctrlC)
	sh.expect(`\^C\nembeddb> $`)
	sh.send("SELECT 'kept' AS w;\r")
	sh.expect(`\| kept \|`)

	// An error names the line and column, draws a caret under the spot,
	// and the next statement works.
	sh.send("SELECT * FROM nosuch;\r")
	sh.expect(`error: 1:15: unknown table "nosuch"\nSELECT \* FROM nosuch;\n {14}\^\n`)
	sh.send("SELECT 'still here' AS status;\r")
	sh.expect(`\| still here \|`)

	// Tab completes a keyword (in the case typed), a table name, and a
	// word of the current table inside a string.
	sh.send("sel" + tab + " 40 + 2 AS answer;\r")
	sh.expect(`\| +answer \|\n\+-+\+\n\| +42 \|`)
	sh.send("SELECT COUNT(*) AS n FROM pe" + tab + ";\r")
	sh.expect(`\| +n \|\n\+-+\+\n\| +3 \|`)
	sh.send("SELECT VECTOR('em" + tab + ") AS v FROM pets;\r")
	sh.expect(`\| \[0\.9, -0\.1, 0\.05\] \|`)

	// Vectors are shortened on screen, with their length.
	sh.send("SELECT [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] AS long;\r")
	sh.expect(`\| \[1, 2, 3, \.\.\., 11, 12\] \(12 values\) \|`)

	sh.send(ctrlD)
	if code := sh.exitCode(); code != 0 {
		t.Fatalf("Ctrl-D: exit status %d, want 0", code)
	}

	// The history was saved, statements of several lines as one line.
	hist, err := os.ReadFile(filepath.Join(cfg, "embeddb", "history"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(hist), "CREATE TABLE pets   (dim = 3) ;\n") || strings.Contains(string(hist), "lost") {
		t.Errorf("history file:\n%s\nwant the CREATE TABLE on one line and no aborted input", hist)
	}

	// A second session reloads it: Up brings back the last statement.
	sh = startShell(t, dir, cfg, dbPath)
	sh.expect(`embeddb> $`)
	sh.send(up)
	sh.expect(`SELECT \[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12\] AS long;`)
	sh.send(up + "\r") // the one before, as completed: VECTOR('emu')
	sh.expect(`\| \[0\.9, -0\.1, 0\.05\] \|`)
	sh.send(".quit\r")
	if code := sh.exitCode(); code != 0 {
		t.Fatalf(".quit: exit status %d, want 0", code)
	}
}

// TestREPL_CtrlCStopsTrain interrupts a long TRAIN with Ctrl-C: it stops,
// leaves no table, and the shell still answers.
func TestREPL_CtrlCStopsTrain(t *testing.T) {
	dir, cfg := t.TempDir(), t.TempDir()
	writeCorpus(t, filepath.Join(dir, "corpus.txt"))

	sh := startShell(t, dir, cfg, filepath.Join(dir, "big.db"))
	sh.expect(`embeddb> $`)
	// The statement after the TRAIN on the same line is dropped with it.
	sh.send(longTrain + " SELECT 'skipped' AS s;\r")
	// The progress bar shows training under way (standard error is the
	// terminal).
	sh.expect(`train big: training \(epoch \d+/1000`)
	sh.send(ctrlC)
	sh.expect(`error: interrupted\n`)
	sh.expect(`embeddb> $`)
	sh.send("SELECT COUNT(*) FROM big;\r")
	sh.expect(`error: 1:22: unknown table "big"`)
	sh.send("SELECT 'alive' AS status;\r")
	sh.expect(`\| alive +\|`)
	if strings.Contains(sh.screen(0), "| skipped") {
		t.Errorf("the statement after the interrupted TRAIN ran")
	}
	sh.send(ctrlD)
	if code := sh.exitCode(); code != 0 {
		t.Fatalf("Ctrl-D: exit status %d, want 0", code)
	}
}

// longTrain is a TRAIN that runs far longer than any test waits, whatever
// the machine: many epochs over the corpus of writeCorpus.
const longTrain = "TRAIN big FROM 'corpus.txt' WITH (epochs = 1000, min_count = 1, vector_size = 50);"

// writeCorpus writes 400,000 random words (a vocabulary of 3,000) to path.
func writeCorpus(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 1))
	vocab := make([]string, 3000)
	for i := range vocab {
		b := make([]byte, 3+rng.IntN(6))
		for j := range b {
			b[j] = byte('a' + rng.IntN(26))
		}
		vocab[i] = string(b)
	}
	for range 20000 {
		for j := range 20 {
			if j > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(vocab[rng.IntN(len(vocab))])
		}
		w.WriteByte('\n')
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
}

// TestREPL_Terminate sends SIGTERM to the shell, at the prompt and during a
// statement: it exits with status 1 and removes its temporary database.
func TestREPL_Terminate(t *testing.T) {
	for _, during := range []string{"Prompt", "Train"} {
		t.Run(during, func(t *testing.T) {
			dir, cfg, tmp := t.TempDir(), t.TempDir(), t.TempDir()
			writeCorpus(t, filepath.Join(dir, "corpus.txt"))
			sh := startShellEnv(t, dir, cfg, []string{"TMPDIR=" + tmp})
			sh.expect(`note: no database file given: using a temporary database, deleted at exit`)
			sh.expect(`embeddb> $`)
			if during == "Train" {
				sh.send(longTrain + "\r")
				sh.expect(`train big: training`)
			}
			if err := sh.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if code := sh.exitCode(); code != 1 {
				t.Errorf("exit status %d after SIGTERM, want 1", code)
			}
			if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
				t.Errorf("the temporary directory holds %v (%v), want nothing", left, err)
			}
		})
	}
}

// TestBatch_InterruptStopsTrain sends SIGINT to a script run from standard
// input during a long TRAIN: the script stops with status 1, the rest of
// it does not run, and no table is left.
func TestBatch_InterruptStopsTrain(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, filepath.Join(dir, "corpus.txt"))
	dbPath := filepath.Join(dir, "big.db")
	cmd := exec.Command(embeddbBinary(t), dbPath)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TERM=xterm")
	cmd.Stdin = strings.NewReader(longTrain + "\nSELECT 'not reached';\n")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	// Standard error is a terminal, so that the progress bar tells when
	// training is under way; standard input is not: this is batch mode.
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	cmd.Stderr = tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	sh := &shell{t: t, cmd: cmd, tty: ptmx, done: make(chan struct{})}
	go func() {
		// Read all the child wrote (the read fails once it has exited
		// and closed the terminal), then reap it.
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			sh.mu.Lock()
			sh.out.Write(buf[:n])
			sh.mu.Unlock()
			if err != nil {
				break
			}
		}
		sh.err = cmd.Wait()
		close(sh.done)
	}()
	t.Cleanup(func() {
		select {
		case <-sh.done:
		default:
			cmd.Process.Kill()
			<-sh.done
		}
	})
	sh.expect(`train big: training`)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := sh.exitCode(); code != 1 {
		t.Errorf("exit status %d after SIGINT, want 1", code)
	}
	sh.expect(`stdin:1: interrupted`)
	if strings.Contains(stdout.String(), "not reached") {
		t.Errorf("the script went on after the interrupt: %q", stdout.String())
	}
	r := runMain(t, "", "-readonly", "-mode", "csv", dbPath, "SELECT COUNT(*) FROM big")
	if r.code != 1 || !strings.Contains(r.stderr, `unknown table "big"`) {
		t.Errorf("after the interrupt, SELECT COUNT(*) FROM big = %d, %q, %q; want an unknown table", r.code, r.stdout, r.stderr)
	}
}
