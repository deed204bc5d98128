package torture

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/internal/testrace"
)

var (
	flipRounds = flag.Int("flip.rounds", 25, "damaged files to try (make torture-flip runs 1000)")
	flipSeed   = flag.Uint64("flip.seed", uint64(time.Now().UnixNano()), "random seed of the flip run")
	flipTrace  = flag.Bool("flip.trace", false, "log every round of the flip run")
	flipBinary = flag.String("flip.binary", "", "an embeddb command to run instead of building one (to compare versions)")
)

// TestFlip flips one random byte of a database of every table kind per
// round and runs SELECT, NEAREST, VECTOR, CHECK DATABASE, VACUUM INTO and
// VACUUM on it in the embeddb command: no command may crash, hang, exceed
// its memory bound, or answer differently from the undamaged file without
// an error (stored values carry checksums). A short run is part of the test suite; make torture-flip
// runs 1000 rounds.
func TestFlip(t *testing.T) {
	testrace.Skip(t)
	if testing.Short() {
		t.Skip("the flip run builds the command and runs it hundreds of times; skipped with -short")
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("the flip run bounds each command's memory with prlimit (util-linux), which is not installed")
	}
	dir := t.TempDir()
	bin := *flipBinary
	if bin == "" {
		bin = filepath.Join(dir, "embeddb")
		build := exec.Command("go", "build", "-o", bin, "github.com/embeddb/embeddb/cmd/embeddb")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			t.Fatalf("go build: %v", err)
		}
	}
	t.Logf("seed %d", *flipSeed)
	rep, err := RunFlip(context.Background(), FlipConfig{
		Binary: bin, Dir: dir, Rounds: *flipRounds, Seed: *flipSeed,
		Log: func(format string, args ...any) {
			if *flipTrace {
				t.Logf(format, args...)
			}
		},
	})
	t.Log(rep)
	if err != nil {
		t.Fatalf("seed %d: %v", *flipSeed, err)
	}
	for _, list := range [][]string{rep.Crashes, rep.Hangs, rep.OverMem, rep.Answers} {
		for _, s := range list {
			t.Errorf("seed %d: %s", *flipSeed, s)
		}
	}
	if rep.Same+rep.Corrupt == 0 {
		t.Fatalf("no command answered or was refused as corrupt: %s", strings.TrimSpace(rep.String()))
	}
}

// TestClassify checks that the runtime's death notes count as crashes and
// memory bound hits, and that a table quoting a recovered panic does not.
func TestClassify(t *testing.T) {
	ok := exec.Command("true").Run()
	failed := exec.Command("false").Run()
	tests := []struct {
		err  error
		out  string
		want string
	}{
		{ok, "| check |\n| bbolt: panic: assertion failed: Page expected to be: 3 |\n", "ok"},
		{failed, "unexpected fault address 0x7f\nfatal error: fault\n[signal SIGBUS: bus error code=0x2]\n", "crash"},
		{failed, "panic: runtime error: index out of range\n\ngoroutine 1 [running]:\n", "crash"},
		{failed, "runtime: out of memory: cannot allocate 4194304-byte block\nfatal error: out of memory\n", "memory"},
		{failed, "error: 1:8: db: database file is corrupt: page 615: overflow 9 runs past\n", "corrupt"},
		{failed, "error: database file is corrupt: page 490: element 0 ends at byte 6356980\n", "corrupt"},
		{failed, "error: 1:15: db: no such table: \"x\"\n", "error"},
	}
	for _, tt := range tests {
		if got := classify(context.Background(), tt.err, tt.out); got != tt.want {
			t.Errorf("classify(%v, %q) = %q, want %q", tt.err, tt.out, got, tt.want)
		}
	}
}
