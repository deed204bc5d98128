package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/peterh/liner"
)

const (
	promptNew  = "embeddb> "
	promptMore = "   ...> "
)

// repl runs the interactive shell on the process's terminal until Ctrl-D
// or .quit, and returns the exit status. closeAll closes the database (and
// removes a temporary one); repl calls it itself only when a signal ends
// the process while it waits at the prompt.
//
// The terminal is always given back as it was: liner.Close runs on return,
// on panic (deferred) and on SIGTERM or SIGHUP.
func (s *session) repl(ctx context.Context, closeAll func()) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	line := liner.NewLiner()
	restore := sync.OnceFunc(func() { line.Close() })
	defer restore()
	line.SetCtrlCAborts(true)
	line.SetTabCompletionStyle(liner.TabPrints)
	line.SetWordCompleter(s.complete)

	hist := newHistory(line, historyPath())

	// Ctrl-C cancels the running statement (at the prompt, liner reads it
	// as a key and clears the input instead). SIGTERM and SIGHUP end the
	// shell: at once when it waits at the prompt, else once the running
	// statement has stopped.
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigc)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case sig := <-sigc:
				if sig == os.Interrupt {
					s.interrupt()
					continue
				}
				cancel()
				if !s.busy() {
					restore()
					closeAll()
					os.Exit(1)
				}
				s.interrupt()
			}
		}
	}()

	s.banner()
	in := &linerReader{st: line}
	s.run(ctx, in, source{prompt: promptNew, more: promptMore, typed: true, relative: true, history: hist.add})
	if !s.quit && in.err == nil {
		fmt.Fprintln(s.out) // Ctrl-D leaves the cursor after the prompt
	}
	s.flush()
	if in.err != nil {
		fmt.Fprintf(s.errw, "embeddb: %v\n", in.err)
		return 1
	}
	if ctx.Err() != nil {
		return 1 // ended by a signal
	}
	return 0
}

// banner greets the user of the REPL (and of -interactive).
func (s *session) banner() {
	fmt.Fprintf(s.out, "embeddb %s. Enter \".help\" for usage hints, Ctrl-D to exit.\n", version)
}

// busy reports whether a statement is running.
func (s *session) busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancelStmt != nil
}

// linerReader reads the REPL's input through the line editor.
type linerReader struct {
	st  *liner.State
	err error // the error that ended the input, other than Ctrl-D
}

func (r *linerReader) readLine(prompt string) (string, error) {
	l, err := r.st.Prompt(prompt)
	switch {
	case errors.Is(err, liner.ErrPromptAborted):
		return "", errAborted
	case err != nil && err != io.EOF:
		r.err = err
		return "", io.EOF
	}
	return l, err
}

// historyPath is where the REPL keeps its history: embeddb/history in the
// user's configuration directory ($XDG_CONFIG_HOME or ~/.config on Linux),
// or "" when there is none.
func historyPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "embeddb", "history")
}

// history keeps the line editor's history in a file: read at start, and
// written again after each input, so that it survives a crash.
type history struct {
	st   *liner.State
	path string
	last string
}

func newHistory(st *liner.State, path string) *history {
	h := &history{st: st, path: path}
	if path == "" {
		return h
	}
	if f, err := os.Open(path); err == nil {
		st.ReadHistory(f)
		f.Close()
	}
	return h
}

// add records one input. The editor's history holds single lines: an
// input of several lines is added as one line if it can be joined, else
// line by line.
func (h *history) add(entry string) {
	for _, l := range strings.Split(entry, "\n") {
		if strings.TrimSpace(l) == "" || l == h.last {
			continue
		}
		h.last = l
		h.st.AppendHistory(l)
	}
	h.save()
}

// save writes the history file, through a temporary file so that a crash
// never leaves half of it. Failures are ignored: history is a convenience.
func (h *history) save() {
	if h.path == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*")
	if err != nil {
		return
	}
	_, err = h.st.WriteHistory(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), h.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}
