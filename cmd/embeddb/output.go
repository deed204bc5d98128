package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/embeddb/embeddb/db"
)

// redirect is where .output or .once sends results instead of standard
// output: a file, or the standard input of a command ("|cmd").
type redirect struct {
	name string
	file *os.File       // the file, or nil for a command
	pipe io.WriteCloser // the command's standard input
	cmd  *exec.Cmd
	// once is set for .once, whose redirection ends after the next
	// command; armed once the .once command itself has finished.
	once, armed bool
}

// setOutput sends results to name from now on (.output) or for the next
// command only (.once): a file, made or emptied, or with a leading '|' a
// shell command that reads them. "" or "stdout" goes back to standard
// output.
func (s *session) setOutput(name string, once bool) error {
	s.endOutput()
	if name == "" || name == "stdout" {
		return nil
	}
	r := &redirect{name: name, once: once}
	var w io.Writer
	if cmdline, ok := strings.CutPrefix(name, "|"); ok {
		s.stdout.Flush()
		r.cmd = shellCommand(cmdline)
		r.cmd.Stdout, r.cmd.Stderr = s.childOutput()
		pipe, err := r.cmd.StdinPipe()
		if err != nil {
			return err
		}
		if err := r.cmd.Start(); err != nil {
			return err
		}
		r.pipe, w = pipe, pipe
	} else {
		if s.db != nil && samePath(name, s.db.Path()) {
			// Emptying it would destroy the database under the shell.
			return fmt.Errorf("%s is the open database file", name)
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		r.file, w = f, f
	}
	s.redir, s.out = r, bufio.NewWriterSize(w, 64<<10)
	return nil
}

// childOutput returns the standard output and error for a command the
// shell runs (.shell, .output |cmd): the process's own when they are
// files, else writers that take turns, since exec copies each from a
// goroutine of its own and the two may be one buffer.
func (s *session) childOutput() (stdout, stderr io.Writer) {
	mu := new(sync.Mutex)
	stdout, stderr = lockedWriter{mu, stdoutWriter{s.stdout}}, lockedWriter{mu, s.errw}
	if s.screen != nil {
		stdout = s.screen
	}
	if f, ok := s.errw.(*os.File); ok {
		stderr = f
	}
	return stdout, stderr
}

// stdoutWriter writes through the shell's buffered standard output,
// flushing each write, so that a command's output is not held back.
type stdoutWriter struct{ w *bufio.Writer }

func (sw stdoutWriter) Write(p []byte) (int, error) {
	n, err := sw.w.Write(p)
	if err == nil {
		err = sw.w.Flush()
	}
	return n, err
}

// lockedWriter writes to w under mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (lw lockedWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.Write(p)
}

// endOutput ends a redirection: results go to standard output again. It
// reports a failure to write, close or run the command as an error of the
// session.
func (s *session) endOutput() {
	r := s.redir
	if r == nil {
		return
	}
	s.redir = nil
	err := s.out.Flush()
	s.out = s.stdout
	var cerr error
	if r.file != nil {
		cerr = r.file.Close()
	} else {
		cerr = r.pipe.Close()
		if werr := r.cmd.Wait(); cerr == nil {
			cerr = werr
		}
	}
	if err = errors.Join(err, cerr); err != nil {
		s.failed = true
		fmt.Fprintf(s.errw, "embeddb: output %s: %v\n", r.name, err)
	}
}

// commandDone ends a .once redirection after the command that follows the
// .once.
func (s *session) commandDone() {
	if s.redir == nil || !s.redir.once {
		return
	}
	if s.redir.armed {
		s.endOutput()
		return
	}
	s.redir.armed = true
}

// shellCommand is cmdline run by the system's shell.
func shellCommand(cmdline string) *exec.Cmd {
	return exec.Command("/bin/sh", "-c", cmdline)
}

// open opens the database at path with opts ("" for a temporary one,
// deleted when it is closed) and makes it the session's, closing the one
// open before. When path cannot be opened, the old database stays open,
// unless it was the same file.
func (s *session) open(path string, opts db.Options) error {
	tempDir := ""
	if path == "" || path == ":memory:" {
		// sqlite3's name for a database that lasts as long as the
		// session: here a temporary file, so that nothing is made in the
		// current directory under that name.
		dir, err := os.MkdirTemp("", "embeddb-")
		if err != nil {
			return err
		}
		if path == "" {
			fmt.Fprintln(s.errw, "note: no database file given: using a temporary database, deleted at exit")
		}
		tempDir, path = dir, filepath.Join(dir, "temp.db")
	}
	if s.db != nil && samePath(path, s.db.Path()) {
		// The same file again: this process holds its lock, so it must
		// be closed first (and stays closed if it cannot be opened).
		if err := s.closeDB(); err != nil {
			return err
		}
	}
	d, err := db.Open(path, &opts)
	if err != nil {
		if tempDir != "" {
			os.RemoveAll(tempDir)
		}
		return err
	}
	if s.db != nil {
		if err := s.closeDB(); err != nil {
			fmt.Fprintf(s.errw, "embeddb: close: %v\n", err)
		}
	}
	s.db, s.tempDir, s.lastTable = d, tempDir, ""
	return nil
}

// samePath reports whether a and b name the same file.
func samePath(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// closeDB closes the session's database, and removes it if it was a
// temporary one.
func (s *session) closeDB() error {
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
		s.tempDir = ""
	}
	return err
}
