//go:build linux

package db_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// BenchmarkExec_InsertMemory runs an INSERT script through Exec in a child
// process (this test binary run again, so that the peak is the INSERT's
// alone) and reports the child's peak resident memory, over that of a
// child that runs SELECT 1, per byte of statement text (peak-B/text-B),
// and the same less the rows' own bytes, their vectors and words
// (extra-B/text-B): the target is an extra-B/text-B of at most 10.
func BenchmarkExec_InsertMemory(b *testing.B) {
	for _, c := range []struct{ rows, dim int }{{4500, 100}, {200_000, 2}} {
		b.Run(fmt.Sprintf("rows=%d/dim=%d", c.rows, c.dim), func(b *testing.B) {
			dir := b.TempDir()
			insert := insertScript(c.rows, c.dim, "")
			script := filepath.Join(dir, "insert.sql")
			err := os.WriteFile(script, []byte(fmt.Sprintf("CREATE TABLE t (dim = %d);\n%s", c.dim, insert)), 0o644)
			if err != nil {
				b.Fatal(err)
			}
			empty := filepath.Join(dir, "empty.sql")
			if err := os.WriteFile(empty, []byte("SELECT 1"), 0o644); err != nil {
				b.Fatal(err)
			}
			base := childPeak(b, empty)
			var peak int64
			for b.Loop() {
				peak = max(peak, childPeak(b, script))
			}
			rowBytes := int64(c.rows) * int64(4*c.dim)
			for i := 0; i < c.rows; i++ {
				rowBytes += int64(len(fmt.Sprint("w", i)))
			}
			text := float64(len(insert))
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(float64(peak-base)/text, "peak-B/text-B")
			b.ReportMetric(float64(peak-base-rowBytes)/text, "extra-B/text-B")
		})
	}
}

// childPeak runs the script at path in a child process and returns its
// peak resident memory in bytes, as the child reads it from
// /proc/self/status (VmHWM) before it exits. The rusage of a child will
// not do: Linux carries the parent's peak over into it through the fork.
func childPeak(b *testing.B, path string) int64 {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInsertChild$", "-test.bench=^$", "-test.v")
	cmd.Env = append(os.Environ(), "EMBEDDB_INSERT_SCRIPT="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	i := strings.Index(string(out), "VmHWM:")
	if i < 0 {
		b.Fatalf("the child did not report its peak:\n%s", out)
	}
	var kib int64
	if _, err := fmt.Sscanf(string(out[i+len("VmHWM:"):]), "%d", &kib); err != nil {
		b.Fatalf("the child's peak: %v", err)
	}
	return kib << 10
}

// TestInsertChild is the child of BenchmarkExec_InsertMemory: it runs the
// script named by $EMBEDDB_INSERT_SCRIPT in a new database.
func TestInsertChild(t *testing.T) {
	path := os.Getenv("EMBEDDB_INSERT_SCRIPT")
	if path == "" {
		t.Skip("only run as the child of BenchmarkExec_InsertMemory")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(context.Background(), string(src)); err != nil {
		t.Fatalf("%.300v", err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			t.Log(line)
		}
	}
}
