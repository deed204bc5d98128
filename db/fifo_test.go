//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

// The systems whose syscall package has Mkfifo.

package db_test

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/internal/osfile"
)

// mustMkfifo makes a named pipe that no one writes to: opening it for
// reading the ordinary way blocks until a writer comes, for ever.
func mustMkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	return path
}

// execNoHang runs sql, which names the FIFO fifo, and returns its error.
// A statement blocked in open(2) on the FIFO never returns, and the test
// binary's own timeout would only catch that much later, so after a
// generous bound (a hang detector, not a speed limit) the test fails as
// blocked, and a writer opens and closes the FIFO to set the statement
// free, so that closing the database does not wait for it for ever.
func execNoHang(t *testing.T, d *db.DB, sql, fifo string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := d.Exec(context.Background(), sql)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
	}
	t.Errorf("%s: blocked on the FIFO", sql)
	for {
		// A reader is blocked in open(2), so a non-blocking writer can open.
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		select {
		case err := <-done:
			return err
		case <-time.After(100 * time.Millisecond):
			// TRAIN opens its corpus again for every pass.
		}
	}
}

// fifoDB opens a database holding the 300-row table v and returns it with
// a FIFO in a temporary directory.
func fifoDB(t *testing.T) (*db.DB, string) {
	t.Helper()
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'")
	return d, mustMkfifo(t, filepath.Join(t.TempDir(), "f"))
}

// wantRefused checks that err says the FIFO is not a regular file, and why,
// and that the statement changed no table.
func wantRefused(t *testing.T, d *db.DB, sql string, err error, fifo, why string, before []*db.TableInfo) {
	t.Helper()
	want := fifo + " is a named pipe (FIFO), not a regular file; " + why
	if !errors.Is(err, osfile.ErrNotRegular) || !strings.Contains(err.Error(), want) {
		t.Errorf("Exec(%q) = %v, want an error containing %q", sql, err, want)
	}
	after, terr := d.Tables(context.Background())
	if terr != nil {
		t.Fatal(terr)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("Exec(%q) changed the tables: %v, was %v", sql, tableNames(after), tableNames(before))
	}
}

const vecfileWhy = "vector and words files are read at byte offsets, and more than once"

// TestExec_Import_FIFO imports from a named pipe: refused at once, where
// os.Open used to block for ever holding the database's write lock.
func TestExec_Import_FIFO(t *testing.T) {
	d, fifo := fifoDB(t)
	for _, sql := range []string{
		"IMPORT t FROM '" + fifo + "'",
		"IMPORT t FROM '" + fifo + "' WITH (format = 'word2vec')",
		"IMPORT v FROM '" + fifo + "' WITH (replace = true)",
	} {
		before := mustTables(t, d)
		err := execNoHang(t, d, sql, fifo)
		wantRefused(t, d, sql, err, fifo, vecfileWhy, before)
	}
}

// TestExec_Import_WordsFIFO imports an NPY matrix whose words file is a
// named pipe.
func TestExec_Import_WordsFIFO(t *testing.T) {
	d, fifo := fifoDB(t)
	npy := filepath.Join(t.TempDir(), "m.npy")
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }\n"
	b := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)))
	b = append(b, dict...)
	for _, f := range []float32{1, 2} {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	if err := os.WriteFile(npy, b, 0o644); err != nil {
		t.Fatal(err)
	}
	before := mustTables(t, d)
	sql := "IMPORT t FROM '" + npy + "' WITH (words = '" + fifo + "')"
	err := execNoHang(t, d, sql, fifo)
	wantRefused(t, d, sql, err, fifo, vecfileWhy, before)
}

// TestExec_Train_FIFO trains on a named pipe.
func TestExec_Train_FIFO(t *testing.T) {
	d, fifo := fifoDB(t)
	before := mustTables(t, d)
	sql := "TRAIN t FROM '" + fifo + "' WITH (vector_size = 4, epochs = 1, min_count = 1)"
	err := execNoHang(t, d, sql, fifo)
	wantRefused(t, d, sql, err, fifo, "a corpus is read once for the vocabulary and again for every epoch", before)
}

// TestExec_Evaluate_FIFO evaluates with analogies and pairs read from a
// named pipe.
func TestExec_Evaluate_FIFO(t *testing.T) {
	d, fifo := fifoDB(t)
	for _, kind := range []string{"analogies", "pairs"} {
		before := mustTables(t, d)
		sql := "EVALUATE v WITH (" + kind + " = '" + fifo + "')"
		err := execNoHang(t, d, sql, fifo)
		wantRefused(t, d, sql, err, fifo, "EVALUATE reads only regular files", before)
		if err != nil && !strings.Contains(err.Error(), "cannot read "+kind+" file: ") {
			t.Errorf("Exec(%q) = %v, want it to name the %s file", sql, err, kind)
		}
	}
}

// TestExec_Import_DevZero keeps refusing a device that never ends.
func TestExec_Import_DevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skipf("no /dev/zero: %v", err)
	}
	d := MustOpenDB(t)
	_, err := d.Exec(context.Background(), "IMPORT t FROM '/dev/zero'")
	if !errors.Is(err, osfile.ErrNotRegular) || !strings.Contains(err.Error(), "/dev/zero is a character device, not a regular file") {
		t.Errorf("IMPORT t FROM '/dev/zero' = %v, want it refused as a character device", err)
	}
	if ts := mustTables(t, d); len(ts) != 0 {
		t.Errorf("IMPORT from /dev/zero left tables %v", tableNames(ts))
	}
}

// TestExec_Import_TokenizerFIFO imports with tokenizer = a named pipe.
func TestExec_Import_TokenizerFIFO(t *testing.T) {
	d, fifo := fifoDB(t)
	before := mustTables(t, d)
	sql := "IMPORT t FROM 'testdata/vectors.txt' WITH (tokenizer = '" + fifo + "')"
	err := execNoHang(t, d, sql, fifo)
	wantRefused(t, d, sql, err, fifo, "IMPORT reads only regular files", before)
	if err != nil && !strings.Contains(err.Error(), "1:56: cannot read tokenizer:") {
		t.Errorf("error %v does not point at the tokenizer option", err)
	}
}

// TestExec_Train_FIFOPosition: TRAIN's error about its corpus points at
// the file in the statement, not at the statement's start.
func TestExec_Train_FIFOPosition(t *testing.T) {
	d, fifo := fifoDB(t)
	sql := "TRAIN t FROM '" + fifo + "' WITH (min_count = 1)"
	if err := execNoHang(t, d, sql, fifo); err == nil || !strings.HasPrefix(err.Error(), "1:14: ") {
		t.Errorf("Exec(%q) = %v, want an error at 1:14", sql, err)
	}
}

// TestOpen_FIFO opens a named pipe as the database: refused at once, where
// the check before bbolt's open used to block for ever.
func TestOpen_FIFO(t *testing.T) {
	fifo := mustMkfifo(t, filepath.Join(t.TempDir(), "x.db"))
	done := make(chan error, 1)
	go func() {
		d, err := db.Open(fifo, &db.Options{Timeout: time.Second})
		if err == nil {
			d.Close()
		}
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second): // a hang detector, not a speed limit
		t.Error("Open blocked on the FIFO")
		if w, werr := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); werr == nil {
			w.Close()
		}
		err = <-done
	}
	want := fifo + " is a named pipe (FIFO), not a regular file; a database is a regular file"
	if !errors.Is(err, db.ErrNotDatabase) || !errors.Is(err, osfile.ErrNotRegular) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Open(FIFO) = %v, want ErrNotDatabase saying %q", err, want)
	}
}
