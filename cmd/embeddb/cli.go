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

const usage = `Usage: embeddb [flags] [DBFILE] [SQL]

Opens the database DBFILE (made if it does not exist; with no DBFILE, or "",
a temporary database that is deleted at exit) and runs SQL, or the scripts
given with -f, or the statements read from standard input. When standard
input is a terminal and there is nothing else to run, it starts an
interactive shell.

Flags:
  -f FILE       run the script FILE (repeatable; then SQL, if given)
  -bail         stop at the first error (the default for scripts and SQL;
                -bail=false goes on; the exit status is 1 after any error)
  -mode MODE    output mode: table, csv, tsv or json (default table)
  -header       print column names (by default only table mode does)
  -noheader     do not print column names
  -readonly     open DBFILE read-only (several processes may read one file)
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
  embeddb -mode json words.db "SELECT NEAREST('python', 5) FROM w2v"
  embeddb words.db
`

// config is what the command line asks for.
type config struct {
	files     []string
	bail      bool
	bailSet   bool
	mode      outputMode
	header    bool
	headerSet bool
	version   bool
	readOnly  bool
	check     string
	memLimit  int64

	dbPath string
	sql    string
	hasSQL bool
}

// parseArgs reads the command line. Flags may come before, between or
// after DBFILE and SQL, as in sqlite3; after "--" everything is positional.
// It returns flag.ErrHelp for -help.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("embeddb", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("f", "run the script `FILE`", func(v string) error {
		c.files = append(c.files, v)
		return nil
	})
	fs.BoolFunc("bail", "stop at the first error", func(v string) error {
		b, err := strconv.ParseBool(v)
		c.bail, c.bailSet = b, true
		return err
	})
	fs.Func("mode", "output `MODE`: table, csv, tsv or json", func(v string) error {
		m, err := parseMode(v)
		c.mode = m
		return err
	})
	fs.BoolFunc("header", "print column names", func(v string) error {
		b, err := strconv.ParseBool(v)
		c.header, c.headerSet = b, true
		return err
	})
	fs.BoolFunc("noheader", "do not print column names", func(v string) error {
		b, err := strconv.ParseBool(v)
		c.header, c.headerSet = !b, true
		return err
	})
	fs.BoolVar(&c.version, "version", false, "print the version")
	fs.BoolVar(&c.readOnly, "readonly", false, "open the database read-only")
	fs.StringVar(&c.check, "check", "", "check the integrity of the database `FILE`")
	fs.Func("memory-limit", "the memory a statement may build, `SIZE`", func(v string) error {
		n, err := parseSize(v)
		c.memLimit = n
		return err
	})

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
	switch len(pos) {
	case 2:
		c.sql, c.hasSQL = pos[1], true
		fallthrough
	case 1:
		c.dbPath = pos[0]
	case 0:
	default:
		return nil, fmt.Errorf("too many arguments: %q (put the SQL in quotes)", pos[2])
	}
	if looksLikeSQL(c.dbPath) {
		return nil, fmt.Errorf("%q looks like SQL, not a database file: the file comes first (embeddb DBFILE SQL; \"\" for a temporary database)", c.dbPath)
	}
	if c.readOnly && c.dbPath == "" {
		return nil, errors.New("-readonly needs a DBFILE")
	}
	return c, nil
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

	interactive := !c.hasSQL && len(c.files) == 0 && isTerminal(stdin) && isTerminal(stdout)
	if !interactive {
		// Ctrl-C stops the running statement, which leaves the database
		// as it was, and the script. (The REPL handles signals itself.)
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
	}

	path, tempDir := c.dbPath, ""
	if path == "" {
		if tempDir, err = os.MkdirTemp("", "embeddb-"); err != nil {
			fmt.Fprintf(stderr, "embeddb: %v\n", err)
			return 1
		}
		path = filepath.Join(tempDir, "temp.db")
		fmt.Fprintln(stderr, "note: no database file given: using a temporary database, deleted at exit")
	}
	removeTemp := func() {
		if tempDir != "" {
			os.RemoveAll(tempDir)
		}
	}
	d, err := db.Open(path, &db.Options{ReadOnly: c.readOnly, MemoryLimit: c.memLimit})
	if err != nil {
		removeTemp()
		fmt.Fprintf(stderr, "embeddb: %v\n", err)
		return 1
	}
	var closeErr error
	closeAll := sync.OnceFunc(func() {
		closeErr = d.Close()
		removeTemp()
	})
	defer closeAll()

	s := &session{
		db:          d,
		exec:        func(ctx context.Context, st query.Statement) (*db.Rows, error) { return d.Run(ctx, st) },
		out:         bufio.NewWriterSize(stdout, 64<<10),
		errw:        stderr,
		mode:        c.mode,
		header:      c.header,
		headerSet:   c.headerSet,
		bail:        !interactive,
		interactive: interactive,
		progress:    isTerminal(stderr),
	}
	if c.bailSet {
		s.bail = c.bail
	}
	if isTerminal(stdout) {
		s.screen = stdout.(*os.File)
	}
	status := 0
	if interactive {
		status = s.repl(ctx, closeAll)
	} else {
		s.batch(ctx, c, stdin)
		if s.failed {
			status = 1
		}
	}
	closeAll()
	if closeErr != nil {
		fmt.Fprintf(stderr, "embeddb: close: %v\n", closeErr)
		status = 1
	}
	return status
}

// batch runs the scripts, then the SQL argument, or else standard input.
func (s *session) batch(ctx context.Context, c *config, stdin io.Reader) {
	defer s.flush()
	for _, f := range c.files {
		stop, err := s.runFile(ctx, f)
		if err != nil {
			s.failed = true
			s.flush()
			fmt.Fprintf(s.errw, "embeddb: %v\n", err)
			stop = s.bail
		}
		if stop {
			return
		}
	}
	switch {
	case c.hasSQL:
		s.run(ctx, newScriptReader(strings.NewReader(c.sql)), source{})
	case len(c.files) == 0:
		s.run(ctx, newScriptReader(stdin), source{name: "stdin"})
	}
}

// check runs -check FILE.
func check(ctx context.Context, path string, stdout, stderr io.Writer) int {
	d, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(stderr, "embeddb: %v\n", err)
		return 1
	}
	defer d.Close()
	problems, err := d.Check(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "embeddb: check %s: %v\n", path, err)
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
