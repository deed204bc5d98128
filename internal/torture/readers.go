package torture

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/embeddb/embeddb/db"
)

// Concurrent readers (issue 17): while the command writes, and after it is
// killed, other processes read the same file with a handle each keeps open
// across the rounds' commits. Everything a reader sees must be a committed
// state: the database as before the statement or as after it, never a
// table half-written, and the only error it may meet is a busy timeout.

// readers is the reader processes of one round.
type readers struct {
	procs []*exec.Cmd
	stops []io.WriteCloser
	mu    sync.Mutex
	seen  []string // "state DIGEST", "busy" or "error ..." lines
	wg    sync.WaitGroup
}

// startReaders starts n reader processes made by cmd on the file at path.
func startReaders(cmd func(path string) *exec.Cmd, path string, n int) (*readers, error) {
	r := &readers{}
	for range n {
		c := cmd(path)
		in, err := c.StdinPipe()
		if err != nil {
			return nil, err
		}
		out, err := c.StdoutPipe()
		if err != nil {
			return nil, err
		}
		c.Stderr = os.Stderr
		if err := c.Start(); err != nil {
			r.stop()
			return nil, err
		}
		sc := bufio.NewScanner(out)
		sc.Buffer(nil, 1<<20)
		if !sc.Scan() || sc.Text() != "reading" {
			c.Process.Kill()
			c.Wait()
			r.stop()
			return nil, fmt.Errorf("a reader process did not start: %q", sc.Text())
		}
		r.procs, r.stops = append(r.procs, c), append(r.stops, in)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for sc.Scan() {
				r.mu.Lock()
				r.seen = append(r.seen, sc.Text())
				r.mu.Unlock()
			}
		}()
	}
	return r, nil
}

// stop ends the readers and returns what they saw.
func (r *readers) stop() []string {
	for _, in := range r.stops {
		in.Close()
	}
	r.wg.Wait()
	for _, c := range r.procs {
		c.Wait()
	}
	return r.seen
}

// check returns an error for the first thing a reader saw that is neither
// state: a mix, a half-written table, an error other than a busy timeout.
func checkSeen(seen []string, before, want *state) (answers int, err error) {
	ok := map[string]bool{"state " + before.digest(): true}
	if want != nil {
		ok["state "+want.digest()] = true
	}
	for _, line := range seen {
		switch {
		case line == "busy", line == "PASS": // PASS: the test framework's
		case ok[line]:
			answers++
		default:
			return answers, fmt.Errorf("a reader saw %q; the committed states are %v and %v", line, before.tables, want.tables)
		}
	}
	return answers, nil
}

// digest is a state in one line.
func (s *state) digest() string {
	names := s.names()
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s=%s;", n, s.tables[n])
	}
	return b.String()
}

// ReadLoop is a reader process's body: it opens path read-only, says
// "reading", and prints the state it sees ("state DIGEST"), "busy" or
// "error ...", one line each, until its standard input closes.
func ReadLoop(ctx context.Context, path string) error {
	d, err := db.Open(path, &db.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return err
	}
	defer d.Close()
	stop := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stop) }()
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "reading")
	w.Flush()
	for {
		select {
		case <-stop:
			return w.Flush()
		case <-time.After(2 * time.Millisecond):
		}
		st, err := readState(ctx, d)
		switch {
		case err == nil:
			fmt.Fprintln(w, "state "+st.digest())
		case errors.Is(err, db.ErrLocked):
			fmt.Fprintln(w, "busy")
		default:
			fmt.Fprintln(w, "error "+strings.ReplaceAll(err.Error(), "\n", " "))
		}
		w.Flush()
	}
}

// readState digests every table in one read transaction, as snapshot does
// (without the CHECK): one consistent view.
func readState(ctx context.Context, d *db.DB) (*state, error) {
	st := &state{tables: map[string]string{}, shapes: map[string]*db.TableInfo{}}
	err := d.View(ctx, func(tx *db.Tx) error {
		infos, err := tx.Tables()
		if err != nil {
			return err
		}
		for _, in := range infos {
			d, err := digestTable(tx, in)
			if err != nil {
				return err
			}
			st.tables[in.Name] = d
			st.shapes[in.Name] = in
		}
		return nil
	})
	return st, err
}

// digestTable is a table's kind, rows and a hash of them, as snapshot
// writes it: its shape (columns with their types, NOT NULL and defaults;
// its scalar indexes) and every row's id, word, count, vector and column
// values, a NULL apart from every value.
func digestTable(tx *db.Tx, in *db.TableInfo) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s %d %s %d %v|", in.Kind, in.Elem, in.Dim, in.Metric, in.Rows, in.Index != nil)
	for _, c := range in.Columns {
		fmt.Fprintf(h, "col %s %v %v %T:%v|", c.Name, c.Type, c.NotNull, c.Default, c.Default)
	}
	fmt.Fprintf(h, "scalar %q|", in.ScalarIndexes)
	var b [8]byte
	err := tx.ForEach(in.Name, true, func(r db.Row) error {
		binary.LittleEndian.PutUint32(b[:4], r.ID)
		h.Write(b[:4])
		io.WriteString(h, r.Word)
		binary.LittleEndian.PutUint64(b[:], uint64(r.Count))
		h.Write(b[:])
		for _, f := range r.Vector {
			binary.LittleEndian.PutUint32(b[:4], math.Float32bits(f))
			h.Write(b[:4])
		}
		for _, c := range in.Columns {
			v, ok := r.Cols[c.Name]
			fmt.Fprintf(h, "|%v %T:%v", ok, v, v)
		}
		return nil
	})
	return fmt.Sprintf("%s/%d/%x", in.Kind, in.Rows, h.Sum(nil)[:6]), err
}
