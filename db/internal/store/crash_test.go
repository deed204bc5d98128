package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCrash_BulkLoad kills a process in the middle of a bulk load (SIGKILL,
// after several of its transactions have committed) and checks that the
// reopened file has no trace of the half-loaded table and that every
// earlier table is intact.
func TestCrash_BulkLoad(t *testing.T) {
	if os.Getenv("EMBEDDB_CRASH_CHILD") != "" {
		crashChild(os.Getenv("EMBEDDB_CRASH_CHILD"))
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	d, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateTable(ctx, "keep", TableSpec{Dim: 4}); err != nil {
		t.Fatal(err)
	}
	if err := d.Insert(ctx, "keep", Row{Word: "a", Count: 1, Vector: []float32{1, 2, 3, 4}}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash_BulkLoad$", "-test.count=1")
		cmd.Env = append(os.Environ(), "EMBEDDB_CRASH_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has committed a few of the load's
		// transactions, then kill it without warning.
		sc := bufio.NewScanner(out)
		flushes := 0
		for sc.Scan() && flushes < 3+round {
			if strings.HasPrefix(sc.Text(), "flushed") {
				flushes++
			}
		}
		if flushes < 3+round {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child stopped after %d flushes", flushes)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		// Before Open cleans up, the orphan is in the file.
		if n := countTableBuckets(t, path); n < 2 {
			t.Fatalf("round %d: %d table buckets before reopening, want the orphan too", round, n)
		}
		d, err := Open(path, nil)
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		infos, err := d.Tables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 1 || infos[0].Name != "keep" || infos[0].Rows != 1 {
			t.Fatalf("round %d: tables after crash = %+v, want only keep", round, infos)
		}
		r, err := d.Lookup(ctx, "keep", "a")
		if err != nil || r.Vector[3] != 4 {
			t.Fatalf("round %d: keep/a = %+v, %v", round, r, err)
		}
		d.Close()
		if n := countTableBuckets(t, path); n != 1 {
			t.Fatalf("round %d: %d table buckets after reopening, want 1 (the orphan removed)", round, n)
		}
	}
}

func countTableBuckets(t *testing.T, path string) int {
	t.Helper()
	n, err := CountTableBuckets(path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// crashChild loads rows forever, announcing each committed transaction.
func crashChild(path string) {
	bulkFlush = 1 << 20
	d, err := Open(path, &Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	w, err := d.BulkLoad(ctx, "half", TableSpec{Dim: 64}, nil)
	if err != nil {
		fmt.Println("bulk:", err)
		os.Exit(2)
	}
	vec := make([]float32, 64)
	words := make([]string, 1)
	for i := 0; ; i++ {
		words[0] = fmt.Sprintf("w%d", i)
		before := w.chunkNo
		if err := w.Append(words, nil, vec); err != nil {
			fmt.Println("append:", err)
			os.Exit(2)
		}
		if w.chunkNo > before && len(w.chunks) == 0 {
			fmt.Println("flushed", i)
		}
	}
}
