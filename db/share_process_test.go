package db_test

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// The file shared between processes, as sqlite shares it: these tests run
// this test binary again as the other processes (TestShareChild).

var shareLong = flag.Bool("share.long", false, "run the cross-process sharing tests for a minute each instead of seconds")

// shareFor is how long the looping cross-process tests run.
func shareFor() time.Duration {
	if *shareLong {
		return time.Minute
	}
	return 1500 * time.Millisecond
}

func skipUnshared(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("files are shared between processes only on Linux (open-file-description locks); elsewhere every handle is exclusive")
	}
}

// shareChild starts this test binary as a child of role, with env, and
// returns its standard output's lines as they come, and a wait that
// returns its exit error.
func shareChild(t *testing.T, role string, env ...string) (lines <-chan string, wait func() error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestShareChild$")
	cmd.Env = append(os.Environ(), append([]string{"EMBEDDB_SHARE_ROLE=" + role}, env...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan string, 1024)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ch)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); wg.Wait(); cmd.Wait() })
	return ch, func() error { wg.Wait(); return cmd.Wait() }
}

// TestShareChild is the other process of the sharing tests.
func TestShareChild(t *testing.T) {
	role := os.Getenv("EMBEDDB_SHARE_ROLE")
	if role == "" {
		t.Skip("only run as the child of the cross-process sharing tests")
	}
	path := os.Getenv("EMBEDDB_SHARE_PATH")
	until, _ := time.ParseDuration(os.Getenv("EMBEDDB_SHARE_FOR"))
	switch role {
	case "idle":
		shareIdle(t, path)
	case "reader":
		shareReader(t, path, until)
	case "writer":
		shareWriter(t, path, os.Getenv("EMBEDDB_SHARE_NAME"), until)
	default:
		t.Fatalf("unknown role %q", role)
	}
}

// shareIdle opens the file with the default options, runs one statement,
// says "idle", and then sits idle until told "write", when it writes once
// more and says "wrote", then waits for its standard input to close.
func shareIdle(t *testing.T, path string) {
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "SELECT COUNT(*) FROM t")
	fmt.Println("idle")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() == "write" {
			mustExec(t, d, "INSERT INTO t VALUES ('from-idle', [5, 5])")
			got := mustExec(t, d, "SELECT COUNT(*) FROM t").Rows
			fmt.Printf("wrote %v\n", got[0][0])
		}
	}
}

// shareReader queries in a loop and prints each answer as a line: "v N"
// (rows of v), "w N" (rows of w), "nearest N" (rows NEAREST gave), "busy"
// for a busy timeout, or "bad ERR" for any other error. It ends with
// "done".
func shareReader(t *testing.T, path string, until time.Duration) {
	d, err := db.Open(path, &db.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		fmt.Printf("bad open: %v\n", err)
		return
	}
	defer d.Close()
	ctx := context.Background()
	report := func(what string, err error, n any) {
		switch {
		case err == nil:
			fmt.Printf("%s %v\n", what, n)
		case errors.Is(err, db.ErrNoTable), errors.Is(err, db.ErrNoWord): // no table, or v as first created: empty
			fmt.Printf("%s none\n", what)
		case errors.Is(err, db.ErrLocked):
			fmt.Println("busy")
		default:
			fmt.Printf("bad %s: %v\n", what, strings.ReplaceAll(err.Error(), "\n", " "))
		}
	}
	end := time.Now().Add(until)
	for time.Now().Before(end) {
		res, err := d.Exec(ctx, "SELECT COUNT(*) FROM v")
		report("v", err, cell(res))
		res, err = d.Exec(ctx, "SELECT NEAREST('w001', 3) FROM v")
		if err == nil {
			report("nearest", nil, len(res.Rows))
		} else {
			report("nearest", err, nil)
		}
		res, err = d.Exec(ctx, "SELECT COUNT(*) FROM w")
		report("w", err, cell(res))
	}
	fmt.Println("done")
}

func cell(res *db.Result) any {
	if res == nil || len(res.Rows) == 0 {
		return nil
	}
	return res.Rows[0][0]
}

// shareWriter inserts rows named NAME-i into table t as fast as it can,
// one statement each, and prints "ok i" or "busy" for each, then "done".
func shareWriter(t *testing.T, path, name string, until time.Duration) {
	d, err := db.Open(path, &db.Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Printf("bad open: %v\n", err)
		return
	}
	defer d.Close()
	ctx := context.Background()
	end := time.Now().Add(until)
	for i := 0; time.Now().Before(end); i++ {
		_, err := d.Exec(ctx, fmt.Sprintf("INSERT INTO t VALUES ('%s-%d', [%d, 1])", name, i, i))
		switch {
		case err == nil:
			fmt.Printf("ok %d\n", i)
		case errors.Is(err, db.ErrLocked):
			fmt.Println("busy")
		default:
			fmt.Printf("bad %v\n", err)
			return
		}
	}
	fmt.Println("done")
}

// TestShare_IdleHolder: a process that opened the file and sits idle holds
// no lock: another process reads and writes the file between its
// statements, and it sees what the other wrote.
func TestShare_IdleHolder(t *testing.T) {
	skipUnshared(t)
	path := filepath.Join(t.TempDir(), "shared.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2])")
	d.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestShareChild$")
	cmd.Env = append(os.Environ(), "EMBEDDB_SHARE_ROLE=idle", "EMBEDDB_SHARE_PATH="+path)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "idle" {
		t.Fatalf("child: %q, want idle", sc.Text())
	}

	// Hardly any waiting: the idle process holds nothing (its last shared
	// lock went at most 2 ms after its statement).
	fast := &db.Options{Timeout: 50 * time.Millisecond}
	r, err := db.Open(path, &db.Options{ReadOnly: true, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("read-only Open beside an idle process: %v", err)
	}
	if got := mustExec(t, r, "SELECT COUNT(*) FROM t").Rows; got[0][0] != int64(1) {
		t.Fatalf("reader sees %v rows", got)
	}
	r.Close()
	w, err := db.Open(path, fast)
	if err != nil {
		t.Fatalf("writable Open beside an idle process: %v", err)
	}
	mustExec(t, w, "INSERT INTO t VALUES ('b', [3, 4])")

	// The idle process sees the write, and writes itself while this
	// handle sits idle in turn.
	fmt.Fprintln(stdin, "write")
	if !sc.Scan() || sc.Text() != "wrote 3" {
		t.Fatalf("child after writing: %q, want wrote 3", sc.Text())
	}
	got := mustExec(t, w, "SELECT word FROM t ORDER BY word").Rows
	if len(got) != 3 || got[2][0] != "from-idle" {
		t.Fatalf("after the other process's write: %v", got)
	}
	w.Close()
}

// TestShare_ReaderSeesCommittedStates: a reader process queries in a loop
// while this one IMPORTs, indexes, TRAINs and DROPs. Every answer must be
// one of the committed states, and the only error a busy timeout.
func TestShare_ReaderSeesCommittedStates(t *testing.T) {
	skipUnshared(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "CREATE TABLE v (dim = 24)") // so the reader opens a database
	lines, wait := shareChild(t, "reader", "EMBEDDB_SHARE_PATH="+path, "EMBEDDB_SHARE_FOR="+shareFor().String())

	// What the reader may see of v: absent, empty (as created above), or
	// all 300 rows of vectors.txt; of w: absent or the trained vocabulary.
	wRows := ""
	end := time.Now().Add(shareFor())
	rounds := 0
	for rounds < 2 || time.Now().Before(end) {
		rounds++
		mustExec(t, d, "DROP TABLE IF EXISTS v")
		mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'")
		if rounds%2 == 0 {
			mustExec(t, d, "CREATE INDEX ON v USING hnsw")
		}
		mustExec(t, d, "DROP TABLE IF EXISTS w")
		mustExec(t, d, "TRAIN w FROM '../testdata/train-data.txt' WITH (vector_size = 8, min_count = 1, workers = 1, epochs = 2)")
		res, err := d.Exec(ctx, "SELECT COUNT(*) FROM w")
		if err != nil {
			t.Fatal(err)
		}
		wRows = fmt.Sprint(res.Rows[0][0])
		if rounds%3 == 0 {
			mustExec(t, d, "DROP TABLE v")
		}
	}
	answers, busy := 0, 0
	for line := range lines {
		switch {
		case line == "done", line == "PASS": // PASS: the test framework's
		case line == "busy":
			busy++
		case line == "v none", line == "v 0", line == "v 300",
			line == "nearest none", line == "nearest 0", line == "nearest 3",
			line == "w none", line == "w "+wRows:
			answers++
		default:
			t.Errorf("the reader saw %q: not a committed state", line)
		}
	}
	if err := wait(); err != nil {
		t.Fatalf("reader: %v", err)
	}
	if answers < 3 {
		t.Fatalf("the reader got %d answers in %d rounds of writes", answers, rounds)
	}
	t.Logf("%d rounds of writes; the reader got %d answers and %d busy timeouts", rounds, answers, busy)
}

// TestShare_TwoWriters: two processes insert into one table, a statement
// at a time, for a while; both make progress, and every row either of them
// was told it wrote is there.
func TestShare_TwoWriters(t *testing.T) {
	skipUnshared(t)
	path := filepath.Join(t.TempDir(), "shared.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "CREATE TABLE t (dim = 2)")
	d.Close()
	env := []string{"EMBEDDB_SHARE_PATH=" + path, "EMBEDDB_SHARE_FOR=" + shareFor().String()}
	la, wa := shareChild(t, "writer", append(env, "EMBEDDB_SHARE_NAME=a")...)
	lb, wb := shareChild(t, "writer", append(env, "EMBEDDB_SHARE_NAME=b")...)
	count := func(lines <-chan string) (ok, busy int) {
		for line := range lines {
			switch {
			case strings.HasPrefix(line, "ok "):
				ok++
			case line == "busy":
				busy++
			case line == "done", line == "PASS":
			default:
				t.Errorf("writer: %s", line)
			}
		}
		return ok, busy
	}
	var okA, busyA int
	done := make(chan struct{})
	go func() { okA, busyA = count(la); close(done) }()
	okB, busyB := count(lb)
	<-done
	if err := wa(); err != nil {
		t.Fatal(err)
	}
	if err := wb(); err != nil {
		t.Fatal(err)
	}
	if okA == 0 || okB == 0 {
		t.Fatalf("writer a wrote %d rows, b %d: both must make progress", okA, okB)
	}
	d, err = db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got := mustExec(t, d, "SELECT COUNT(*) FROM t").Rows[0][0]
	if got != int64(okA+okB) {
		t.Fatalf("the table has %v rows; the writers wrote %d + %d", got, okA, okB)
	}
	t.Logf("a wrote %d rows (%d busy), b %d (%d busy)", okA, busyA, okB, busyB)
}
