package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// session is one run of the shell: the open database, the output settings
// (which dot-commands change) and what has happened so far.
type session struct {
	db      *db.DB
	dbOpts  db.Options // how .open opens a database
	tempDir string     // the directory of a temporary database, removed with it
	// exec runs a statement, read last from sc: runStatement, except in
	// tests that must not run some statements (a fuzzer must not EXPORT
	// over files).
	exec func(ctx context.Context, sc *query.Script, st query.Statement) (*db.Rows, error)
	// refuse, if not nil, vets each dot-command (by its canonical name)
	// before it runs: a fuzzer must not write files or run commands.
	refuse func(name string) error
	// out is where results go: stdout, or the file or pipe of .output or
	// .once. It is flushed after every statement.
	out    *bufio.Writer
	stdout *bufio.Writer // standard output
	errw   io.Writer     // standard error
	redir  *redirect     // .output or .once, while one is in force

	mode      outputMode
	header    bool // column names are printed; meaningful when headerSet
	headerSet bool // -header, -noheader or .header chose; else the column modes have them
	timer     bool // .timer on: print each statement's run time
	bail      bool // stop a script at its first error
	echo      bool // .echo on: print each input before running it
	sep       string
	null      string // .nullvalue, when nullSet
	nullSet   bool
	widths    []int  // .width
	table     string // .mode insert TABLE
	vectors   int    // .vectors: vectorsAuto, fullVectors or a number of values
	changes   bool   // .changes on: print the rows each statement changed
	total     int64  // rows changed since the start, for .changes

	progress bool // draw progress bars on errw (it is a terminal)
	// screen is standard output when it is a terminal: vectors are
	// shortened, and tables wider than it are printed record by record.
	screen *os.File

	failed    bool   // some statement or command failed
	outFailed bool   // writing standard output failed (reported once)
	quit      bool   // .quit was given
	depth     int    // .read nesting
	lastTable string // the table the last statement used, for completion
	pending   string // the unfinished input before the prompt, for completion

	lastNearest *query.Select // the last NEAREST query run, for .plot

	mu          sync.Mutex
	cancelStmt  context.CancelFunc // cancels the running statement
	interrupted bool               // Ctrl-C since the input began
}

// vectorsAuto, as session.vectors, shortens vectors on a terminal and
// prints them whole anywhere else.
const vectorsAuto = -2

// maxReadDepth bounds .read nesting, so that a script that reads itself
// fails instead of exhausting the stack.
const maxReadDepth = 16

// lineReader gives the shell its input a line at a time: the REPL's line
// editor, or a script. readLine returns a line without its end of line,
// io.EOF at the end of the input, and errAborted when the user pressed
// Ctrl-C at the prompt.
type lineReader interface {
	readLine(prompt string) (string, error)
}

// errAborted is returned by a lineReader when the user cancels the line
// being typed (Ctrl-C at the prompt).
var errAborted = errors.New("input aborted")

// scriptReader reads a script (a file, standard input, an argument) a line
// at a time, however long its lines.
type scriptReader struct{ r *bufio.Reader }

func newScriptReader(r io.Reader) scriptReader {
	return scriptReader{r: bufio.NewReaderSize(r, 64<<10)}
}

func (s scriptReader) readLine(string) (string, error) {
	line, err := s.r.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", err
	}
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r"), nil
}

// source describes where input comes from.
type source struct {
	// name is the script's name in messages ("train.sql:3:14: ..."); ""
	// for the REPL and for SQL given as an argument.
	name string
	// relative makes line numbers count from the start of each input, as
	// the REPL wants, rather than from the start of the script.
	relative bool
	// prompt and more are the prompts for a new input and for the
	// continuation of an unfinished statement.
	prompt, more string
	// history, if not nil, receives each complete input.
	history func(entry string)
	// typed is set for the REPL's own input: an unfinished statement at
	// its end is dropped rather than run, and errors, interrupts and
	// scripts that stop do not end it (only .quit and Ctrl-D do).
	typed bool
}

// run reads statements and dot-commands from in and runs them until the
// end of the input. A statement may span lines and ends at a ';' outside
// strings and comments; a dot-command is a line of its own that starts
// with '.'. In a script, the last statement's ';' may be left out. run
// reports whether the caller should stop too: after .quit, an interrupt,
// or an error when bailing.
//
// The work per line is proportional to the line, not to the statement:
// a statement of a million lines (a long INSERT) is split once its ';'
// comes, since an earlier line cannot end it.
func (s *session) run(ctx context.Context, in lineReader, src source) (stop bool) {
	st := input{blank: true}
	for {
		prompt := src.prompt
		if !st.blank {
			prompt = src.more
		}
		s.flush()
		if src.typed {
			s.pending = string(st.text[st.consumed:])
		}
		line, err := in.readLine(prompt)
		if src.typed {
			s.takeInterrupt() // a Ctrl-C that came too late for the last statement
		}
		if errors.Is(err, errAborted) {
			st.text, st.consumed, st.blank, st.entry = st.text[:0], 0, true, st.entry[:0]
			continue
		}
		if err != nil {
			return s.endOfInput(ctx, err, src, &st)
		}
		if ctx.Err() != nil {
			return true
		}
		if s.takeLine(ctx, src, &st, line) {
			return true
		}
	}
}

// input is what run has read and not yet run.
type input struct {
	text     []byte   // the input since the last blank point, from a line start
	consumed int      // text[:consumed] has been run
	textLine int      // the line number of text's first line
	lineNo   int      // lines read
	blank    bool     // text[consumed:] holds nothing to run (query.Blank)
	entry    []string // the lines of the current input, for the history
}

// loc is where the next piece of st starts, in the input called name.
func (st *input) loc(name string) pieceLoc {
	return pieceLoc{name: name, text: st.text, off: st.consumed, line: st.textLine}
}

// endOfInput handles err, which ended the input, and reports whether the
// caller should stop: a script's last statement runs without its ';'.
func (s *session) endOfInput(ctx context.Context, err error, src source, st *input) (stop bool) {
	if err != io.EOF {
		s.failed = true
		fmt.Fprintf(s.errw, "%sread: %v\n", locPrefix(src.name, st.lineNo+1, 0), err)
		return true
	}
	if !st.blank && !src.typed {
		// The last statement of a script need not end with ';'.
		return s.runPiece(ctx, st.loc(src.name), string(st.text[st.consumed:]))
	}
	return false
}

// takeLine adds line to st, runs it if it is a dot-command and the
// statements it completes otherwise, and reports whether to stop.
func (s *session) takeLine(ctx context.Context, src source, st *input, line string) (stop bool) {
	st.lineNo++
	wasBlank := st.blank
	if st.blank {
		st.text, st.consumed, st.entry = st.text[:0], 0, st.entry[:0]
		st.textLine = st.lineNo
		if src.relative {
			st.textLine = 1
		}
		if isDotCommand(line) {
			if src.history != nil {
				src.history(strings.TrimSpace(line))
			}
			return s.dotCommand(ctx, line, src, st.textLine) && s.stops(ctx, src)
		}
	}
	st.text = append(append(st.text, line...), '\n')
	if src.history != nil {
		st.entry = append(st.entry, line) // a script's million-line INSERT keeps no copy
	}
	var complete []string
	switch {
	case strings.IndexByte(line, ';') >= 0:
		var rest string
		complete, rest = query.Split(string(st.text[st.consumed:]))
		st.blank = query.Blank(rest)
	case wasBlank || strings.Contains(line, "*/"):
		// Only a new input, or the end of a block comment, can be
		// blank; an unfinished statement stays unfinished.
		st.blank = query.Blank(string(st.text[st.consumed:]))
	}
	if src.history != nil && st.blank {
		src.history(joinEntry(st.entry))
		st.entry = st.entry[:0]
	}
	return s.runComplete(ctx, src, st, complete)
}

// runComplete runs the complete statements just split from st and
// reports whether to stop.
func (s *session) runComplete(ctx context.Context, src source, st *input, complete []string) (stop bool) {
	for _, piece := range complete {
		if s.runPiece(ctx, st.loc(src.name), piece) {
			if s.stops(ctx, src) {
				return true
			}
			// An interrupt in the REPL drops the rest of the input.
			st.consumed, st.blank = len(st.text), true
			break
		}
		st.consumed += len(piece)
	}
	// Keep text from the start of the line where the unfinished rest
	// begins: errors are drawn under whole lines, and text stays short.
	if cut := bytes.LastIndexByte(st.text[:st.consumed], '\n') + 1; cut > 0 {
		st.textLine += bytes.Count(st.text[:cut], []byte{'\n'})
		st.text, st.consumed = st.text[cut:], st.consumed-cut
	}
	return false
}

// stops reports whether a stop asked for by a statement or command ends
// src: always for a script, and for the REPL's input only after .quit or
// when the shell is shutting down.
func (s *session) stops(ctx context.Context, src source) bool {
	return !src.typed || s.quit || ctx.Err() != nil
}

// isDotCommand reports whether line is a dot-command (.help, .mode csv).
func isDotCommand(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), ".")
}

// joinEntry makes the lines of one input a single history entry. The line
// editor's history holds lines, so a statement typed on several lines is
// joined with spaces, unless that would change its meaning: a string that
// spans lines would change, and a -- comment would swallow what follows.
// Then the lines are kept as they were.
func joinEntry(lines []string) string {
	if len(lines) == 1 {
		return lines[0]
	}
	orig := strings.Join(lines, "\n")
	joined := strings.Join(lines, " ")
	toks, open := lexForCompletion(orig)
	if open >= 0 {
		return orig
	}
	for _, t := range toks {
		if (t.kind == tokStr || t.kind == tokQuoted) && strings.Contains(t.text, "\n") {
			return orig
		}
	}
	c1, r1 := query.Split(orig)
	c2, r2 := query.Split(joined)
	if len(c1) != len(c2) || query.Blank(r1) != query.Blank(r2) {
		return orig
	}
	return joined
}

// pieceLoc places a piece of input (one statement and its ';') in its
// script, for messages.
type pieceLoc struct {
	name string // the script's name, or ""
	text []byte // the input the piece is part of; it starts at a line start
	off  int    // the piece's offset in text
	line int    // the line number of text's first line
}

// runPiece parses and runs one statement (a piece from query.Split) and
// reports whether the caller should stop.
func (s *session) runPiece(ctx context.Context, loc pieceLoc, piece string) (stop bool) {
	if s.takeInterrupt() || ctx.Err() != nil {
		s.failed = true
		s.flush()
		fmt.Fprintf(s.errw, "%sinterrupted\n", locPrefix(loc.name, 0, 0))
		return true
	}
	if s.echo {
		s.out.WriteString(strings.TrimSpace(piece) + "\n")
	}
	defer s.commandDone()
	// One statement at a time, and an INSERT's rows a batch at a time as
	// they are written: a long INSERT is never held whole (issue 14).
	sc := query.NewScript(piece)
	for {
		st, err := sc.Next()
		if err != nil {
			return s.fail(ctx, loc, piece, nil, err)
		}
		if st == nil {
			return false
		}
		if err := s.execStmt(ctx, sc, st); err != nil {
			return s.fail(ctx, loc, piece, st, err)
		}
	}
}

// runStatement runs st on d. st is the statement sc.Next returned last: an
// INSERT reads its rows from sc a batch at a time as it writes them.
func runStatement(ctx context.Context, d *db.DB, sc *query.Script, st query.Statement) (*db.Rows, error) {
	if _, ok := st.(*query.Insert); ok {
		return d.RunNext(ctx, sc, st)
	}
	return d.Run(ctx, st)
}

// execStmt runs one statement and prints its rows.
func (s *session) execStmt(ctx context.Context, sc *query.Script, st query.Statement) error {
	sctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.cancelStmt = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.cancelStmt = nil
		s.mu.Unlock()
		cancel()
	}()
	var bar *progressBar
	if s.progress {
		bar = newProgressBar(s.errw)
		sctx = db.WithProgress(sctx, bar.update)
	}
	start := time.Now()
	rows, err := s.exec(sctx, sc, st)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	opts := s.printOptions()
	var changed int64
	opts.first = func(vals []any) { changed = changedRows(st, vals) }
	if err := printRows(sctx, s.out, rows, opts); err != nil {
		return err
	}
	s.total += changed
	if s.changes {
		fmt.Fprintf(s.out, "changes: %d   total_changes: %d\n", changed, s.total)
	}
	if s.timer {
		fmt.Fprintf(s.out, "Run Time: real %.3f\n", time.Since(start).Seconds())
	}
	if err := s.out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if _, dropped := st.(*query.DropTable); !dropped && st.TableName() != "" {
		s.lastTable = st.TableName()
	}
	s.noteNearest(st)
	return nil
}

// printOptions is how results are printed now.
func (s *session) printOptions() printOptions {
	header := s.mode.boxed()
	if s.headerSet {
		header = s.header
	}
	return printOptions{mode: s.mode, header: header, vectors: s.vectorCount(), width: s.tableWidth(),
		widths: s.widths, null: s.null, nullSet: s.nullSet, sep: s.sep, table: s.table}
}

// vectorCount is how many values of a vector are printed: the .vectors
// setting, or in auto, a few on a terminal and all of them elsewhere.
func (s *session) vectorCount() int {
	if s.vectors != vectorsAuto {
		return s.vectors
	}
	if s.toScreen() {
		return shortVectors
	}
	return fullVectors
}

// toScreen reports whether results go to a terminal.
func (s *session) toScreen() bool { return s.screen != nil && s.redir == nil }

// defaultTableWidth is the widest table drawn when standard output is not
// a terminal (whose own width counts otherwise).
const defaultTableWidth = 200

func (s *session) tableWidth() int {
	if s.redir != nil {
		return defaultTableWidth // a file or a pipe: no screen to fit
	}
	if s.screen != nil {
		if w, _, err := term.GetSize(int(s.screen.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return defaultTableWidth
}

// fail reports a failed statement and says whether to stop.
func (s *session) fail(ctx context.Context, loc pieceLoc, piece string, st query.Statement, err error) (stop bool) {
	s.failed = true
	s.flush()
	interrupted := errors.Is(err, context.Canceled) || ctx.Err() != nil
	if interrupted {
		s.takeInterrupt()
		fmt.Fprintf(s.errw, "%sinterrupted\n", locPrefix(loc.name, stmtLine(loc, piece, st), 0))
		return true
	}
	fmt.Fprintf(s.errw, "%s\n", errorText(loc, piece, st, err))
	return s.bail
}

// errorText is the message for err, raised by the statement st (nil for a
// parse error) of piece: "name:line:col: message" and, when the error has
// a position, the line with a caret under the spot.
func errorText(loc pieceLoc, piece string, st query.Statement, err error) string {
	var qe *query.Error
	if !errors.As(err, &qe) || !qe.Pos.IsValid() || qe.Pos.Offset < 0 || qe.Pos.Offset > len(piece) {
		return locPrefix(loc.name, stmtLine(loc, piece, st), 0) + message(err)
	}
	msg := qe.Msg
	if full := err.Error(); full != qe.Error() {
		// Keep what the wrappers added, without the inner position.
		msg = strings.Replace(full, qe.Error(), qe.Msg, 1)
	}
	p := inText(loc, qe.Pos)
	mark := &query.Error{Pos: p, Msg: "-"}
	drawn := strings.TrimPrefix(query.FormatError(string(loc.text), mark), mark.Error())
	// The message stays on one line: a token it quotes may hold a newline.
	return locPrefix(loc.name, loc.line+p.Line-1, p.Column) + screenText(withoutPrefixes(msg)) + drawn
}

// inText turns a position in the piece at loc.off into one in loc.text.
func inText(loc pieceLoc, p query.Position) query.Position {
	before := loc.text[:loc.off]
	line := 1 + bytes.Count(before, []byte{'\n'})
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	out := query.Position{Offset: loc.off + p.Offset, Line: line + p.Line - 1, Column: p.Column}
	if p.Line == 1 {
		out.Column = col + p.Column - 1
	}
	return out
}

// stmtLine is the script line where st (or, for nil, the piece) starts.
func stmtLine(loc pieceLoc, piece string, st query.Statement) int {
	p := query.Position{Offset: 0, Line: 1, Column: 1}
	if st != nil {
		if pos, _ := st.Span(); pos.IsValid() {
			p = pos
		}
	} else if i := len(piece) - len(strings.TrimLeft(piece, " \t\r\n")); i > 0 {
		p.Line += strings.Count(piece[:i], "\n")
	}
	return loc.line + inText(loc, p).Line - 1
}

// locPrefix starts a message about a place in a script: "train.sql:3:14: ",
// "train.sql:3: ", or "error: " in the REPL (whose messages then name
// line:col within the input when col > 0).
func locPrefix(name string, line, col int) string {
	switch {
	case name == "" && col > 0:
		return "error: " + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": "
	case name == "":
		return "error: "
	case col > 0:
		return name + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": "
	case line > 0:
		return name + ":" + strconv.Itoa(line) + ": "
	}
	return name + ": "
}

// interrupt cancels the running statement (Ctrl-C).
func (s *session) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interrupted = true
	if s.cancelStmt != nil {
		s.cancelStmt()
	}
}

// takeInterrupt reports whether Ctrl-C was pressed since the last call.
func (s *session) takeInterrupt() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.interrupted
	s.interrupted = false
	return i
}

// runFile runs the script at path. An error means it could not be opened.
func (s *session) runFile(ctx context.Context, path string) (stop bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return true, err
	}
	defer f.Close()
	return s.run(ctx, newScriptReader(f), source{name: path}), nil
}

// flush writes buffered output. A failure to write standard output counts
// as an error, reported once.
func (s *session) flush() {
	if err := s.out.Flush(); err != nil {
		s.failed = true
		if !s.outFailed {
			s.outFailed = true
			fmt.Fprintf(s.errw, "embeddb: write output: %v\n", err)
		}
	}
}

// changedRows is how many rows a statement changed, from the first row of
// its result, for .changes: INSERT and DELETE answer with that count.
func changedRows(st query.Statement, first []any) int64 {
	switch st.(type) {
	case *query.Insert, *query.Delete:
		if len(first) == 1 {
			if n, ok := first[0].(int64); ok {
				return n
			}
		}
	}
	return 0
}

// lockWait tells the user that a statement waits for another process's lock
// (db.Options.Busy), as the statement would otherwise seem to hang.
func (s *session) lockWait(holder string) {
	if holder == "" {
		holder = "another process holds it"
	}
	fmt.Fprintf(s.errw, "waiting for the database: %s...\n", holder)
}
