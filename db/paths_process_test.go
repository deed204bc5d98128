//go:build linux

package db_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// TestProcess_Insert is a child of the cross-process tests: it opens the
// database named by EMBEDDB_INSERT, waiting for its lock, and inserts one
// row, as `embeddb v.db "INSERT ..."` does.
func TestProcess_Insert(t *testing.T) {
	path := os.Getenv("EMBEDDB_INSERT")
	if path == "" {
		t.Skip("only run as the child of the cross-process tests")
	}
	d, err := db.Open(path, &db.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "INSERT INTO pets VALUES ('lostX', [1, 2, 3])")
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("inserted\n")
}

// hasOpen reports whether process pid has the file described by st open.
func hasOpen(pid int, st os.FileInfo) bool {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, _ := os.ReadDir(dir)
	for _, fd := range fds {
		if fst, err := os.Stat(filepath.Join(dir, fd.Name())); err == nil && os.SameFile(fst, st) {
			return true
		}
	}
	return false
}

// TestVacuum_WaitingWriterKeepsItsWrite is issue 14's first repro: a
// process that waited for the lock while another ran VACUUM committed its
// INSERT into the old file, which VACUUM had renamed over, and reported
// success. Since processes share the file, VACUUM refuses while another
// process has it open, so the waiting writer's INSERT must land in the
// file the path names, and VACUUM must say why it did nothing.
//
// This process opens the file Exclusive, holding its locks from Open to
// Close as every embeddb did when the issue was filed, so that the child
// waits with the file open until this process closes it, every run.
// Opened shared (the default), an idle parent holds no lock, and the child
// could insert and exit before this process had seen it open the file.
func TestVacuum_WaitingWriterKeepsItsWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.db")
	d, err := db.Open(path, &db.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	mustExec(t, d, "CREATE TABLE pets (dim = 3); INSERT INTO pets VALUES ('cat', [1, 2, 3])")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestProcess_Insert$", "-test.v")
	child.Env = append(os.Environ(), "EMBEDDB_INSERT="+path)
	out := &strings.Builder{}
	child.Stdout, child.Stderr = out, out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	// The child has the old file open (and waits for its lock) before the
	// swap: the order that lost the write.
	for !hasOpen(child.Process.Pid, st) {
		select {
		case err := <-exited:
			t.Fatalf("the child ended before it opened the database: %v\n%s", err, out)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if _, err := d.Exec(context.Background(), "VACUUM"); !errors.Is(err, db.ErrLocked) {
		t.Fatalf("VACUUM with a waiting writer's process holding the file: %v, want ErrLocked", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err != nil || !strings.Contains(out.String(), "inserted") {
		t.Fatalf("the child: %v\n%s", err, out)
	}
	wantWords(t, path, "cat", "lostX")
}

// TestProcess_VacuumFull is a child of TestVacuum_DiskFull: it opens the
// database named by EMBEDDB_VACUUM_FULL, lets this process write files of
// EMBEDDB_FSIZE bytes at most (as a full disk would stop it) and runs
// VACUUM, which must fail.
func TestProcess_VacuumFull(t *testing.T) {
	path := os.Getenv("EMBEDDB_VACUUM_FULL")
	if path == "" {
		t.Skip("only run as the child of TestVacuum_DiskFull")
	}
	limit, err := strconv.ParseUint(os.Getenv("EMBEDDB_FSIZE"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(context.Background(), "VACUUM"); err == nil {
		t.Fatal("VACUUM succeeded past the file size limit")
	} else {
		t.Logf("VACUUM: %v", err)
	}
}

// TestVacuum_DiskFull: a VACUUM that fails for want of space, early (the
// copy's first pages) or late (halfway through), leaves the database as it
// was and no temporary file behind; it left s.db.vacuum.tmp before.
func TestVacuum_DiskFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	d := openPets(t, path)
	words, _, vecs := randRows(8000, 64, 5)
	bulkLoad(t, d, "big", 64, words, nil, vecs)
	d.Close()
	for _, limit := range []int64{8 << 10, 1 << 20} { // the copy holds 2 MB of vectors
		t.Run(strconv.FormatInt(limit, 10), func(t *testing.T) {
			child := exec.Command(os.Args[0], "-test.run=^TestProcess_VacuumFull$", "-test.v")
			child.Env = append(os.Environ(), "EMBEDDB_VACUUM_FULL="+path, "EMBEDDB_FSIZE="+strconv.FormatInt(limit, 10))
			out, err := child.CombinedOutput()
			if err != nil {
				t.Fatalf("the child: %v\n%s", err, out)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"s.db"}) {
				t.Fatalf("after a failed VACUUM the directory holds %q", names)
			}
			wantWords(t, path, "cat")
		})
	}
}
