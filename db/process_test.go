package db_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// holdChild opens the database in another process (this test binary run
// again) and keeps it open until the test ends.
// mode is "rw" or "ro" (shared, the default), "ex" or "roex" (Exclusive).
func holdChild(t *testing.T, path string, mode string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProcess_Hold$")
	cmd.Env = append(os.Environ(), "EMBEDDB_HOLD="+path, "EMBEDDB_HOLD_MODE="+mode)
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if sc.Text() == "holding" {
			return
		}
	}
	t.Fatal("the child did not open the database")
}

// TestProcess_Hold is the child of the cross-process tests: it opens the
// database and holds it until its standard input closes.
func TestProcess_Hold(t *testing.T) {
	path := os.Getenv("EMBEDDB_HOLD")
	if path == "" {
		t.Skip("only run as the child of the cross-process tests")
	}
	mode := os.Getenv("EMBEDDB_HOLD_MODE")
	d, err := db.Open(path, &db.Options{ReadOnly: mode == "ro" || mode == "roex", Exclusive: mode == "ex" || mode == "roex"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Tables(context.Background()); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("holding\n")
	bufio.NewReader(os.Stdin).ReadString('\n')
}

func TestProcess_Locking(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2])")
	d.Close()

	t.Run("ExclusiveExcludesWriter", func(t *testing.T) {
		holdChild(t, path, "ex")
		start := time.Now()
		_, err := db.Open(path, &db.Options{Timeout: 200 * time.Millisecond})
		if !errors.Is(err, db.ErrLocked) {
			t.Fatalf("Open while another process holds the file exclusively = %v, want ErrLocked", err)
		}
		if el := time.Since(start); el > time.Minute {
			t.Fatalf("Open took %v: it must give up after its timeout, not hang", el)
		}
		if runtime.GOOS == "linux" && !strings.Contains(err.Error(), "pid ") {
			t.Errorf("ErrLocked does not name the process holding the file: %v", err)
		}
		if _, err := db.Open(path, &db.Options{ReadOnly: true, Timeout: 200 * time.Millisecond}); !errors.Is(err, db.ErrLocked) {
			t.Fatalf("read-only Open while another process holds the file exclusively = %v, want ErrLocked", err)
		}
	})
	t.Run("ExclusiveReadersShare", func(t *testing.T) {
		holdChild(t, path, "roex")
		r, err := db.Open(path, &db.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("read-only Open beside another reader: %v", err)
		}
		defer r.Close()
		if got := mustExec(t, r, "SELECT word FROM t").Rows; len(got) != 1 || got[0][0] != "a" {
			t.Fatalf("reader sees %v", got)
		}
		if _, err := db.Open(path, &db.Options{Timeout: 200 * time.Millisecond}); !errors.Is(err, db.ErrLocked) {
			t.Fatalf("writable Open beside an exclusive reader = %v, want ErrLocked", err)
		}
	})
}

// TestMemoryLimit: statements that would build more than Options.MemoryLimit
// fail early with ErrTooLarge instead of being killed by the system.
func TestMemoryLimit(t *testing.T) {
	d, err := db.Open(filepath.Join(t.TempDir(), "m.db"), &db.Options{MemoryLimit: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'") // 300 × 24: about 43 KB as floats
	mustExec(t, d, "CREATE TABLE small (dim = 2); INSERT INTO small VALUES ('a', [1, 0]), ('b', [0, 1])")
	if got := mustExec(t, d, "SELECT NEAREST('a', 1) FROM small").Rows; len(got) != 1 {
		t.Fatalf("small NEAREST = %v", got)
	}
	for _, sql := range []string{
		"CREATE INDEX ON v USING hnsw",
		// The walkthrough's 17 words at dimension 300: about 83 KiB of weights.
		"TRAIN w FROM '../testdata/train-data.txt' WITH (vector_size = 300, min_count = 1, workers = 1)",
	} {
		_, err := d.Exec(context.Background(), sql)
		if !errors.Is(err, db.ErrTooLarge) || !strings.Contains(err.Error(), "over the memory limit of 64 KiB") {
			t.Errorf("%s = %v, want ErrTooLarge naming the limit", sql, err)
		}
	}
	if _, err := d.Table(context.Background(), "w"); !errors.Is(err, db.ErrNoTable) {
		t.Errorf("a TRAIN over the limit left table w: %v", err)
	}
	mustExec(t, d, "TRAIN w FROM '../testdata/train-data.txt' WITH (vector_size = 10, min_count = 1, workers = 1)")
	d2, err := db.Open(filepath.Join(t.TempDir(), "m2.db"), &db.Options{MemoryLimit: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	mustExec(t, d2, "IMPORT v FROM 'testdata/vectors.txt'")
	_, err = d2.Exec(context.Background(), "SELECT NEAREST('w001', 3) FROM v")
	if !errors.Is(err, db.ErrTooLarge) {
		t.Fatalf("exact NEAREST over the limit = %v, want ErrTooLarge", err)
	}
	t.Log(err)
}
