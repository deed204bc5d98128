// Package torture kills the embeddb command at random moments while it
// writes, and checks after every kill that nothing committed was lost and
// nothing uncommitted was left: the crash test of issue 8.
//
// Each round picks a random statement (TRAIN, IMPORT, CREATE TABLE, INSERT,
// INSERT OR REPLACE, DELETE, DROP TABLE, CREATE INDEX, DROP INDEX; and of
// tables with typed columns, issue 16: CREATE TABLE with columns, INSERT
// with a column list, UPDATE of columns and of vectors, ALTER TABLE
// ADD/DROP COLUMN, scalar CREATE/DROP INDEX ON t (col), IMPORT of JSON
// Lines and CSV with columns, INSERT ... SELECT), runs it in-process on a
// copy of the database to learn the state it must produce, then runs it in
// the real command on the real file and sends SIGKILL after a random
// delay. Reopening the file must find it passing CHECK DATABASE, its scalar
// indexes answering as a scan of the rows does, and in exactly one of two
// states (every row's id, word, count, vector and column values, NULL
// apart; the columns, their defaults and the scalar indexes): as before
// the statement, or as the in-process run left its copy (and the latter
// whenever the command reported success).
package torture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/embeddb/embeddb/db"
)

// Config says how to torture.
type Config struct {
	Binary string // the embeddb command
	Dir    string // a scratch directory
	Rounds int    // statements to run
	Seed   uint64
	// KillRate is the share of rounds whose command is killed (the others
	// run to completion); 0 means 0.8.
	KillRate float64
	Log      func(format string, args ...any)
	// Readers is how many reader processes read the file while each
	// statement runs and after it is killed (ReaderCmd makes them; see
	// ReadLoop); zero means none.
	Readers   int
	ReaderCmd func(path string) *exec.Cmd
}

// Report counts what happened.
type Report struct {
	Rounds    int
	Kills     int // commands killed before they finished
	Committed int // killed commands whose statement had committed nonetheless
	Completed int // commands that finished with success
	Failed    int // commands that finished with an error (nothing may change)
	Reads     int // states the concurrent readers saw, each a committed one
	States    int // states checked after a round: CHECK DATABASE clean, the digest one of the two allowed
	Asked     int // questions asked of scalar indexes after the rounds, each answered as a scan answers
}

// String summarises the report in one line.
func (r Report) String() string {
	return fmt.Sprintf("%d rounds: %d SIGKILLs survived (%d after the commit), %d statements completed, %d failed cleanly; %d states checked, %d scalar-index answers equal to a scan; concurrent readers saw %d committed states",
		r.Rounds, r.Kills, r.Committed, r.Completed, r.Failed, r.States, r.Asked, r.Reads)
}

// Run tortures a fresh database in cfg.Dir. It returns an error at the
// first round whose outcome breaks the rules.
func Run(ctx context.Context, cfg Config) (Report, error) {
	var rep Report
	if cfg.KillRate == 0 {
		cfg.KillRate = 0.8
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 99))
	files, err := makeInputs(cfg.Dir, rng)
	if err != nil {
		return rep, err
	}
	path := filepath.Join(cfg.Dir, "torture.db")
	shadow := filepath.Join(cfg.Dir, "shadow.db")
	g := &generator{rng: rng, files: files}
	took := runTimes{}
	for round := 0; round < cfg.Rounds; round++ {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Rounds++
		before, err := snapshot(ctx, path, false)
		if err != nil {
			return rep, fmt.Errorf("round %d: before: %w", round, err)
		}
		g.tables = before.names()
		kind, sql := g.next(before)
		if g.err != nil {
			return rep, g.err
		}
		// The state the statement must produce, from an in-process run on a
		// copy of the database.
		if err := copyFile(path, shadow); err != nil {
			return rep, err
		}
		want, shadowErr := runShadow(ctx, shadow, sql)
		if shadowErr != nil {
			want = before // a failing statement changes nothing
		}

		// Until a kind has run to its end once, run it unkilled to learn
		// how long it takes.
		kill := took[kind] > 0 && rng.Float64() < cfg.KillRate
		delay := time.Duration(rng.Float64() * 1.1 * float64(took[kind]))
		start := time.Now()
		status, out, err := runWatched(ctx, cfg, &rep, path, sql, kill, delay, before, want)
		if err != nil {
			return rep, fmt.Errorf("round %d: %w", round, err)
		}
		if status != "killed" {
			took.note(kind, time.Since(start))
		}
		after, err := snapshot(ctx, path, true)
		if err != nil {
			return rep, fmt.Errorf("round %d (%s, %s): reopening: %w", round, sql, status, err)
		}
		rep.States++
		rep.Asked += after.asked
		if len(after.problems) > 0 {
			return rep, fmt.Errorf("round %d (%s, %s): CHECK DATABASE or a scalar index's answers: %s", round, sql, status, strings.Join(after.problems, "; "))
		}
		if err := judge(&rep, round, sql, status, out, delay, before, want, after, shadowErr); err != nil {
			return rep, err
		}
		cfg.Log("round %d: %-8s %-7s %s", round, kind, status, truncate(sql, 90))
	}
	return rep, nil
}

// runTimes is the average run time of the command per kind of statement
// (process start and open included), to pick kill delays that land inside
// the run.
type runTimes map[string]time.Duration

// note folds d into kind's average.
func (t runTimes) note(kind string, d time.Duration) {
	if t[kind] == 0 {
		t[kind] = d
	} else {
		t[kind] = (t[kind]*3 + d) / 4
	}
}

// runWatched runs sql in the command, killed after delay if kill, with
// cfg.Readers reader processes reading the file meanwhile; every answer
// they saw must be the database before or as want (counted in rep.Reads).
func runWatched(ctx context.Context, cfg Config, rep *Report, path, sql string, kill bool, delay time.Duration, before, want *state) (status, out string, err error) {
	var rd *readers
	if _, err := os.Stat(path); err == nil && cfg.Readers > 0 {
		if rd, err = startReaders(cfg.ReaderCmd, path, cfg.Readers); err != nil {
			return "", "", err
		}
	}
	status, out, err = runCommand(ctx, cfg.Binary, path, sql, kill, delay)
	if rd != nil {
		time.Sleep(20 * time.Millisecond) // the readers read the file as the kill left it
		n, cerr := checkSeen(rd.stop(), before, want)
		rep.Reads += n
		if cerr != nil && err == nil {
			return status, out, fmt.Errorf("(%s, %s): %w", sql, status, cerr)
		}
	}
	if err != nil {
		return status, out, fmt.Errorf("%s: %w", sql, err)
	}
	return status, out, nil
}

// judge counts the round's outcome in rep and returns an error when the
// database after it is not a state the statement may leave: as before
// when it was killed or failed, as want when it committed.
func judge(rep *Report, round int, sql, status, out string, delay time.Duration, before, want, after *state, shadowErr error) error {
	switch status {
	case "killed":
		rep.Kills++
		switch {
		case after.equal(before):
		case after.equal(want):
			rep.Committed++
		default:
			return fmt.Errorf("round %d: %s killed after %v: the database is neither as before nor as after the statement:\n%s",
				round, sql, delay, after.diff(before, want))
		}
	case "ok":
		rep.Completed++
		if shadowErr != nil {
			return fmt.Errorf("round %d: %s succeeded in the command but failed in-process: %v", round, sql, shadowErr)
		}
		if !after.equal(want) {
			return fmt.Errorf("round %d: %s reported success but the database is not as the statement leaves it:\n%s\noutput: %s",
				round, sql, after.diff(before, want), out)
		}
	default:
		rep.Failed++
		if !after.equal(before) {
			return fmt.Errorf("round %d: %s failed (%s) but changed the database:\n%s", round, sql, out, after.diff(before, before))
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// runCommand runs `embeddb -bail DB SQL`, killing it after delay when kill
// is set. status is "ok", "error" or "killed".
func runCommand(ctx context.Context, bin, path, sql string, kill bool, delay time.Duration) (status, out string, err error) {
	cmd := exec.Command(bin, "-bail", path, sql)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var timer <-chan time.Time
	if kill {
		timer = time.After(delay)
	}
	select {
	case err := <-done:
		if err == nil {
			return "ok", buf.String(), nil
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "error", buf.String(), nil
		}
		return "", buf.String(), err
	case <-timer:
		cmd.Process.Signal(syscall.SIGKILL)
		err := <-done
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return "killed", buf.String(), nil
			}
			return "error", buf.String(), nil
		}
		return "ok", buf.String(), nil // it finished just before the signal
	case <-ctx.Done():
		cmd.Process.Kill()
		<-done
		return "", "", ctx.Err()
	}
}

// runShadow runs sql in-process on the database at path and returns the
// state it leaves.
func runShadow(ctx context.Context, path, sql string) (*state, error) {
	d, err := db.Open(path, nil)
	if err != nil {
		return nil, err
	}
	_, runErr := d.Exec(ctx, sql)
	if err := d.Close(); err != nil {
		return nil, err
	}
	if runErr != nil {
		return nil, runErr
	}
	return snapshot(ctx, path, false)
}

// state is what a database holds, as far as statements can tell: per table
// its kind, dimension, index presence and a digest of its rows.
type state struct {
	tables   map[string]string
	shapes   map[string]*db.TableInfo // what the generator needs to know: columns, scalar indexes
	problems []string
	asked    int // questions checkAnswers asked
}

func (s *state) names() []string {
	var out []string
	for n := range s.tables {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (s *state) equal(o *state) bool {
	if o == nil || len(s.tables) != len(o.tables) {
		return false
	}
	for k, v := range s.tables {
		if o.tables[k] != v {
			return false
		}
	}
	return true
}

func (s *state) diff(before, want *state) string {
	return fmt.Sprintf("found  %v\nbefore %v\nwanted %v", s.tables, before.tables, want.tables)
}

// snapshot opens the database (a writable open, which also removes what a
// killed writer left), checks it and digests its tables; with ask, it
// also asks the scalar indexes questions (checkAnswers), a wrong answer
// being a problem as CHECK DATABASE's are.
func snapshot(ctx context.Context, path string, ask bool) (*state, error) {
	st := &state{tables: map[string]string{}, shapes: map[string]*db.TableInfo{}}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	d, err := db.Open(path, &db.Options{Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	if st.problems, err = d.Check(ctx); err != nil {
		return nil, err
	}
	seen, err := readState(ctx, d)
	if err != nil {
		return nil, err
	}
	st.tables, st.shapes = seen.tables, seen.shapes
	if ask && len(st.problems) == 0 {
		var wrong []string
		st.asked, wrong = checkAnswers(ctx, d, st)
		st.problems = append(st.problems, wrong...)
	}
	return st, nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if errors.Is(err, os.ErrNotExist) {
		os.Remove(dst)
		return nil
	}
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
