package torture

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var (
	rounds = flag.Int("torture.rounds", 30, "statements to run (make torture runs 1000, about 600 of them killed)")
	seed   = flag.Uint64("torture.seed", uint64(time.Now().UnixNano()), "random seed")
	trace  = flag.Bool("torture.trace", false, "log every round")
	nread  = flag.Int("torture.readers", 2, "reader processes reading the file while each statement runs")
)

// TestTortureReader is a reader process of TestTorture (ReadLoop).
func TestTortureReader(t *testing.T) {
	path := os.Getenv("EMBEDDB_TORTURE_READ")
	if path == "" {
		t.Skip("only run as a reader process of TestTorture")
	}
	if err := ReadLoop(context.Background(), path); err != nil {
		t.Fatal(err)
	}
}

// TestTorture builds the embeddb command and kills it at random moments
// while it writes. A short run is part of the test suite; make torture
// runs hundreds of rounds.
func TestTorture(t *testing.T) {
	if testing.Short() {
		t.Skip("the torture test builds the command and runs it many times; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "embeddb")
	build := exec.Command("go", "build", "-o", bin, "github.com/embeddb/embeddb/cmd/embeddb")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	t.Logf("seed %d", *seed)
	rep, err := Run(context.Background(), Config{
		Binary: bin, Dir: dir, Rounds: *rounds, Seed: *seed, Readers: *nread,
		ReaderCmd: func(path string) *exec.Cmd {
			c := exec.Command(os.Args[0], "-test.run=^TestTortureReader$")
			c.Env = append(os.Environ(), "EMBEDDB_TORTURE_READ="+path)
			return c
		},
		Log: func(format string, args ...any) {
			if *trace {
				t.Logf(format, args...)
			}
		},
	})
	t.Log(rep)
	if err != nil {
		t.Fatalf("seed %d: %v", *seed, err)
	}
	if rep.Kills == 0 {
		t.Fatalf("no command was killed in %d rounds: the delays miss the runs", rep.Rounds)
	}
}
