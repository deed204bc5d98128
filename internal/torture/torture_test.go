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

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/internal/testrace"
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
	testrace.Skip(t)
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

// TestDigest_Columns holds that the state a round compares tells apart
// what the column statements change: a column's value, NULL from a
// default, an added column, a scalar index; and that checkAnswers finds
// the scalar index's answers equal to a scan.
func TestDigest_Columns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	exec := func(sql string) {
		t.Helper()
		d, err := db.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if _, err := d.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("CREATE TABLE f (dim = 2, title TEXT, year INTEGER NOT NULL DEFAULT 2000, tags JSON); " +
		"INSERT INTO f (word, vector, title, year) VALUES ('a', [1, 0], 'x', 2020), ('b', [0, 1], NULL, 2021), ('c', [1, 1], 'y', 2020)")
	seen := map[string]string{}
	for _, sql := range []string{
		"UPDATE f SET year = 2022 WHERE word = 'a'",
		"UPDATE f SET title = NULL WHERE word = 'a'",
		"UPDATE f SET title = '' WHERE word = 'a'",
		"UPDATE f SET tags = '{\"k\": 1}' WHERE word = 'b'",
		"ALTER TABLE f ADD COLUMN lang TEXT DEFAULT 'en'",
		"CREATE INDEX ON f (year)",
		"CREATE INDEX ON f (title)",
		"ALTER TABLE f DROP COLUMN lang",
	} {
		exec(sql)
		st, err := snapshot(ctx, path, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.problems) > 0 {
			t.Fatalf("after %s: %v", sql, st.problems)
		}
		if prev, ok := seen[st.tables["f"]]; ok {
			t.Fatalf("%s left the digest as %s did", sql, prev)
		}
		seen[st.tables["f"]] = sql
		if strings.HasPrefix(sql, "CREATE INDEX") && st.asked == 0 {
			t.Fatalf("after %s no question was asked of the scalar indexes", sql)
		}
	}
}
