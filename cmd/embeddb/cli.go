package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	"golang.org/x/term"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// version is the command's version, set at build time with
// -ldflags "-X main.version=...".
var version = "dev"

// Main is the embeddb command with its standard streams: main runs it on
// the process's own, tests on buffers. A nil Stdin reads as empty; a nil
// Stdout or Stderr discards what is written to it.
//
// The REPL only starts when Stdin and Stdout are terminals (*os.File); it
// then reads and draws through the process's terminal, as its line editor
// requires.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

const usage = `Usage: embeddb [flags] [DBFILE] [SQL...]
       embeddb serve [-port N] DBFILE   (a local web page: embeddb serve -help)

Opens the database DBFILE (made if it does not exist; with no DBFILE, "" or
:memory:, a temporary database that is deleted at exit) and runs SQL, or the scripts
given with -f, or the statements read from standard input. When standard
input is a terminal and there is nothing else to run, it starts an
interactive shell. Each SQL argument is run in turn; it may be a
dot-command too: embeddb a.db .dump

Flags:
  -f FILE       run the script FILE (repeatable; then SQL, if given)
  -cmd COMMAND  run COMMAND (SQL or a dot-command) before reading the input
                (repeatable)
  -init FILE    run FILE at start instead of ~/.embeddbrc
  -batch        read standard input as a script even from a terminal
  -interactive  prompt and go on after errors even when standard input is
                not a terminal
  -bail         stop at the first error (the default for scripts and SQL;
                -bail=false goes on; the exit status is 1 after any error)
  -echo         print each statement or command before running it
  -mode MODE    output mode: table (the default), box, markdown, column,
                list, line, csv, tsv, json, jsonl, quote or insert
  -table -box -markdown -column -list -line -csv -tsv -json -jsonl -quote
                the same as -mode with that name (-tabs is -tsv); -json
                writes one JSON array, -jsonl one object a line
  -separator SEP
                the separator of list mode (default "|")
  -nullvalue TEXT
                how NULL is printed (default NULL in the column modes,
                nothing in the others)
  -header       print column names (by default only the column modes do)
  -noheader     do not print column names
  -readonly     open DBFILE read-only
  -timeout MS   wait up to MS milliseconds for a database another process
                is writing (default 2000; 0 does not wait); a statement that
                waits says so on standard error
  -memory-limit SIZE
                fail a statement that would build more than SIZE in memory
                (an exact-search matrix, an index, TRAIN's vocabulary and
                weights) instead of exhausting the machine: 512MiB, 4GiB
  -check FILE   check the integrity of the database FILE: print ok, or the
                problems and exit with status 1
  -version      print the version
  -help         print this help

Examples:
  embeddb -f testdata/walkthrough.sql
  embeddb words.db < train.sql
  embeddb -json words.db "SELECT NEAREST('python', 5) FROM w2v"
  embeddb words.db .dump | embeddb copy.db
  embeddb words.db
`

// config is what the command line asks for.
type config struct {
	files       []string
	cmds        []string
	initFile    string
	initSet     bool
	batch       bool
	interactive bool
	bail        bool
	bailSet     bool
	echo        bool
	mode        outputMode
	modeSet     bool
	sep         string
	null        string
	nullSet     bool
	header      bool
	headerSet   bool
	version     bool
	readOnly    bool
	timeout     time.Duration // -timeout; zero: the default
	check       string
	memLimit    int64

	dbPath string
	sql    []string // the SQL arguments, run in turn
	hasSQL bool
}

// parseArgs reads the command line. Flags may come before, between or
// after DBFILE and SQL, as in sqlite3; after "--" everything is positional.
// It returns flag.ErrHelp for -help.
func parseArgs(args []string) (*config, error) {
	c := &config{sep: "|"}
	fs := flag.NewFlagSet("embeddb", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	defineFlags(fs, c)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if i := len(args) - len(rest); i > 0 && args[i-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if c.check != "" && len(pos) > 0 {
		return nil, fmt.Errorf("-check takes no DBFILE or SQL: %q", pos[0])
	}
	if len(pos) > 0 {
		c.dbPath = pos[0]
	}
	if len(pos) > 1 {
		c.sql, c.hasSQL = pos[1:], true
	}
	if looksLikeSQL(c.dbPath) {
		return nil, fmt.Errorf("%q looks like SQL, not a database file: the file comes first (embeddb DBFILE SQL; \"\" for a temporary database)", c.dbPath)
	}
	if c.readOnly && (c.dbPath == "" || c.dbPath == ":memory:") {
		return nil, errors.New("-readonly needs a DBFILE")
	}
	if c.batch && c.interactive {
		return nil, errors.New("-batch and -interactive contradict each other")
	}
	return c, nil
}

// defineFlags defines the command's flags on fs, storing into c.
func defineFlags(fs *flag.FlagSet, c *config) {
	boolFlag := func(name, usage string, set func(bool)) {
		fs.BoolFunc(name, usage, func(v string) error {
			b, err := strconv.ParseBool(v)
			set(b)
			return err
		})
	}
	fs.Func("f", "run the script `FILE`", func(v string) error {
		c.files = append(c.files, v)
		return nil
	})
	fs.Func("cmd", "run `COMMAND` first", func(v string) error {
		c.cmds = append(c.cmds, v)
		return nil
	})
	fs.Func("init", "run `FILE` at start instead of ~/.embeddbrc", func(v string) error {
		c.initFile, c.initSet = v, true
		return nil
	})
	fs.BoolVar(&c.batch, "batch", false, "read standard input as a script")
	fs.BoolVar(&c.interactive, "interactive", false, "prompt and go on after errors")
	boolFlag("bail", "stop at the first error", func(b bool) { c.bail, c.bailSet = b, true })
	fs.BoolVar(&c.echo, "echo", false, "print each statement before running it")
	fs.Func("mode", "output `MODE`", func(v string) error {
		m, err := parseMode(v)
		c.mode, c.modeSet = m, err == nil
		return err
	})
	for _, name := range append(modeNames[:len(modeNames)-1:len(modeNames)-1], "tabs") {
		m, _ := parseMode(name)
		boolFlag(name, "output mode "+name, func(b bool) {
			if b {
				c.mode, c.modeSet = m, true
			}
		})
	}
	fs.StringVar(&c.sep, "separator", "|", "the separator of list mode")
	fs.Func("nullvalue", "how NULL is printed", func(v string) error {
		c.null, c.nullSet = v, true
		return nil
	})
	boolFlag("header", "print column names", func(b bool) { c.header, c.headerSet = b, true })
	boolFlag("noheader", "do not print column names", func(b bool) { c.header, c.headerSet = !b, true })
	fs.BoolVar(&c.version, "version", false, "print the version")
	fs.BoolVar(&c.readOnly, "readonly", false, "open the database read-only")
	fs.Func("timeout", "the busy timeout in `MS`", func(v string) error {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 0 {
			return fmt.Errorf("expected a number of milliseconds, found %q", v)
		}
		c.timeout = time.Duration(ms) * time.Millisecond
		if ms == 0 {
			c.timeout = -1 // db.Options: negative is "do not wait"
		}
		return nil
	})
	fs.StringVar(&c.check, "check", "", "check the integrity of the database `FILE`")
	fs.Func("memory-limit", "the memory a statement may build, `SIZE`", func(v string) error {
		n, err := parseSize(v)
		c.memLimit = n
		return err
	})
}

// looksLikeSQL catches `embeddb "SELECT ..."`, which would otherwise make a
// database file named after the query: a path that does not exist and
// starts with a keyword and a space, or with a dot-command.
func looksLikeSQL(path string) bool {
	if path == "" {
		return false
	}
	if _, err := os.Stat(path); err == nil {
		return false
	}
	word, _, found := strings.Cut(strings.TrimSpace(path), " ")
	for _, c := range dotCommands {
		if c.name == word {
			return true
		}
	}
	if !found {
		return false
	}
	for _, k := range query.Keywords() {
		if strings.EqualFold(k, word) {
			return true
		}
	}
	return false
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && file != nil && term.IsTerminal(int(file.Fd()))
}

// Run runs the command with args (the command line without the program
// name) and returns the exit status: 0, or 1 after any error.
func (m Main) Run(ctx context.Context, args []string) int {
	stdin, stdout, stderr := m.Stdin, m.Stdout, m.Stderr
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	if len(args) > 0 && args[0] == "serve" { // a database named serve is ./serve
		return serve(ctx, args[1:], stdout, stderr)
	}
	c, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "embeddb: %v\nRun 'embeddb -help' for usage.\n", err)
		return 1
	}
	if c.version {
		fmt.Fprintf(stdout, "embeddb %s\n", version)
		return 0
	}
	if c.check != "" {
		return check(ctx, c.check, stdout, stderr)
	}

	// The input is typed (prompts, and errors do not stop it) when there
	// is no SQL or script to run instead and -interactive says so or both
	// ends are a terminal; the line editor needs the terminal.
	typed := !c.hasSQL && len(c.files) == 0
	interactive := typed && !c.batch && isTerminal(stdin) && isTerminal(stdout)
	prompting := interactive || (typed && c.interactive)
	if !interactive {
		// Ctrl-C stops the running statement, which leaves the database
		// as it was, and the script. (The REPL handles signals itself.)
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
	}

	s := newSession(c, stdout, stderr)
	s.progress = isTerminal(stderr)
	s.bail = !prompting
	if c.bailSet {
		s.bail = c.bail
	}
	if isTerminal(stdout) {
		s.screen = stdout.(*os.File)
	}
	if err := s.open(c.dbPath, s.dbOpts); err != nil {
		fmt.Fprintf(stderr, "embeddb: %s\n", message(err))
		return 1
	}
	var closeErr error
	closeAll := sync.OnceFunc(func() { closeErr = s.closeDB() })
	defer closeAll()

	status := s.runAll(ctx, c, stdin, interactive, prompting, closeAll)
	s.endOutput()
	s.flush()
	closeAll()
	if closeErr != nil {
		fmt.Fprintf(stderr, "embeddb: close: %v\n", closeErr)
		status = 1
	}
	return status
}

// runAll runs the start-up commands, then the REPL, the typed input of
// -interactive, or the scripts, and returns the exit status. Typed input
// ends with status 0 whatever failed on the way (as sqlite3); a script's
// errors make it 1.
func (s *session) runAll(ctx context.Context, c *config, stdin io.Reader, interactive, prompting bool, closeAll func()) int {
	switch {
	case s.startup(ctx, c):
		if s.quit && !s.failed {
			return 0
		}
		return 1 // -bail and an error in the start-up commands
	case interactive:
		return s.repl(ctx, closeAll)
	case prompting:
		s.banner()
		s.run(ctx, &promptReader{in: newScriptReader(stdin), out: s.stdout},
			source{prompt: promptNew, more: promptMore, typed: true, relative: true})
		return 0
	}
	s.batch(ctx, c, stdin)
	if s.failed {
		return 1
	}
	return 0
}

// newSession makes the session the command line asks for, writing to
// stdout and stderr, with no database open yet.
func newSession(c *config, stdout, stderr io.Writer) *session {
	s := &session{
		stdout:    bufio.NewWriterSize(stdout, 64<<10),
		errw:      stderr,
		mode:      c.mode,
		header:    c.header,
		headerSet: c.headerSet,
		echo:      c.echo,
		sep:       c.sep,
		null:      c.null,
		nullSet:   c.nullSet,
		vectors:   vectorsAuto,
		dbOpts:    db.Options{ReadOnly: c.readOnly, MemoryLimit: c.memLimit, Timeout: c.timeout},
	}
	s.dbOpts.Busy = s.lockWait
	s.out = s.stdout
	s.exec = func(ctx context.Context, sc *query.Script, st query.Statement) (*db.Rows, error) {
		if s.db == nil {
			return nil, errors.New("no database is open (.open FILE opens one)")
		}
		return runStatement(ctx, s.db, sc, st)
	}
	return s
}

// startup runs the start-up file (-init FILE, else ~/.embeddbrc when there
// is one) and the -cmd commands, and reports whether to stop: after .quit,
// or an error when bailing.
func (s *session) startup(ctx context.Context, c *config) (stop bool) {
	defer s.flush()
	init := c.initFile
	if !c.initSet {
		init = ""
		if home, err := os.UserHomeDir(); err == nil {
			if _, err := os.Stat(filepath.Join(home, ".embeddbrc")); err == nil {
				init = filepath.Join(home, ".embeddbrc")
			}
		}
	}
	if init != "" {
		stop, err := s.runFile(ctx, init)
		if err != nil {
			s.failed = true
			fmt.Fprintf(s.errw, "embeddb: -init: %v\n", err)
			return s.bail
		}
		if stop && (s.quit || s.bail) {
			return true
		}
	}
	for _, cmd := range c.cmds {
		if s.run(ctx, newScriptReader(strings.NewReader(cmd)), source{name: "-cmd"}) && (s.quit || s.bail) {
			return true
		}
	}
	return false
}

// batch runs the scripts, then the SQL argument, or else standard input.
func (s *session) batch(ctx context.Context, c *config, stdin io.Reader) {
	defer s.flush()
	for _, f := range c.files {
		stop, err := s.runFile(ctx, f)
		if err != nil {
			s.failed = true
			s.flush()
			fmt.Fprintf(s.errw, "embeddb: %s\n", message(err))
			stop = s.bail
		}
		if stop {
			return
		}
	}
	switch {
	case c.hasSQL:
		// Each argument is an input of its own, as in sqlite3: a
		// dot-command or statements.
		for _, sql := range c.sql {
			if s.run(ctx, newScriptReader(strings.NewReader(sql)), source{}) {
				return
			}
		}
	case len(c.files) == 0:
		s.run(ctx, newScriptReader(stdin), source{name: "stdin"})
	}
}

// promptReader reads a script a line at a time for -interactive when
// standard input is not a terminal, and writes each prompt and the line
// read after it, as a terminal would show them: the output reads as a
// transcript of a session (sqlite3 writes only the prompts).
type promptReader struct {
	in  lineReader
	out *bufio.Writer
}

func (p *promptReader) readLine(prompt string) (string, error) {
	p.out.WriteString(prompt)
	p.out.Flush()
	line, err := p.in.readLine(prompt)
	if err == nil {
		p.out.WriteString(line + "\n")
	}
	return line, err
}

// check runs -check FILE.
func check(ctx context.Context, path string, stdout, stderr io.Writer) int {
	d, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "embeddb: %s\n", message(err))
		return 1
	}
	defer d.Close()
	problems, err := d.Check(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "embeddb: check %s: %s\n", path, message(err))
		return 1
	}
	if len(problems) == 0 {
		fmt.Fprintln(stdout, "ok")
		return 0
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	return 1
}

// parseSize reads a size in bytes with an optional unit: 1000000, 512KiB,
// 64MiB, 4GiB, 1TiB (KB, MB, GB and TB are the same powers of 1024, and K,
// M, G, T too).
func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	num := strings.TrimRightFunc(s, unicode.IsLetter)
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	shift := map[string]uint{"": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20,
		"G": 30, "GB": 30, "GIB": 30, "T": 40, "TB": 40, "TIB": 40}
	sh, ok := shift[unit]
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil || !(f >= 0) || math.IsInf(f, 0) || f*float64(uint64(1)<<sh) >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a size (like 512MiB or 4GiB)", v)
	}
	return int64(f * float64(uint64(1)<<sh)), nil
}
