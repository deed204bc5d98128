//go:build unix

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREPL_ShellHabits drives the real shell in a pseudo-terminal through
// what only a terminal shows: vectors shortened in every mode on screen
// but written in full by .output and .once, .vectors, the banner and
// .help, and tab completion adding ( after a function name.
func TestREPL_ShellHabits(t *testing.T) {
	dir, cfg := t.TempDir(), t.TempDir()
	dbPath := filepath.Join(dir, "pets.db")
	r := runMain(t, "", dbPath, "CREATE TABLE pets (dim = 12); INSERT INTO pets VALUES ('cat', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])")
	if r.code != 0 {
		t.Fatalf("making pets.db: %s", r.stderr)
	}
	const short = `\[1, 2, 3, \.\.\., 11, 12\] \(12 values\)`
	const full = "[1,2,3,4,5,6,7,8,9,10,11,12]"

	sh := startShell(t, dir, cfg, dbPath)
	sh.expect(`embeddb> $`)
	sh.send(".help\r")
	sh.expect(`\.dump \[TABLE\] +print SQL that rebuilds the database`)
	sh.expect(`embeddb> $`)

	// Shortened on the screen in every mode.
	for _, m := range []struct{ mode, want string }{
		{"box", `│ ` + short + ` │`},
		{"csv", `"` + short + `"`},
		{"list", `cat\|` + short},
		{"line", `vector = ` + short},
		{"json", `\[\{"word":"cat","vector":"` + short + `"\}\]`},
		{"quote", `'cat','` + short + `'`},
	} {
		sh.send(".mode " + m.mode + "\r")
		sh.expect(`embeddb> $`)
		sh.send("SELECT word, vector FROM pets;\r")
		sh.expect(m.want)
		sh.expect(`embeddb> $`)
	}

	// In full in a file, whatever the screen shows.
	sh.send(".mode csv\r")
	sh.expect(`embeddb> $`)
	sh.send(".output out.csv\r")
	sh.expect(`embeddb> $`)
	sh.send("SELECT word, vector FROM pets;\r")
	sh.expect(`embeddb> $`)
	sh.send(".output\r")
	sh.expect(`embeddb> $`)
	sh.send(".once once.csv\r")
	sh.expect(`embeddb> $`)
	sh.send("SELECT vector FROM pets;\r")
	sh.expect(`embeddb> $`)
	sh.send("SELECT 'screen' AS s;\r")
	sh.expect(`screen\n`)

	// .vectors changes the screen.
	sh.send(".vectors full\r")
	sh.expect(`embeddb> $`)
	sh.send("SELECT vector FROM pets;\r")
	sh.expect(regexp.QuoteMeta(`"` + full + `"`))
	sh.send(".vectors 2\r")
	sh.expect(`embeddb> $`)
	sh.send("SELECT vector FROM pets;\r")
	sh.expect(`"\[1, \.\.\., 12\] \(12 values\)"`)

	// Tab adds ( after a function name.
	sh.send(".mode list\r")
	sh.expect(`embeddb> $`)
	sh.send("SELECT DIM" + tab + "vector) AS d FROM pets;\r")
	sh.expect(`\n12\n`)

	sh.send(ctrlD)
	if code := sh.exitCode(); code != 0 {
		t.Fatalf("Ctrl-D: exit status %d, want 0", code)
	}
	for file, want := range map[string]string{"out.csv": "cat,\"" + full + "\"\n", "once.csv": "\"" + full + "\"\n"} {
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
	// Nothing written to the files reached the screen.
	if strings.Count(sh.screen(0), `"`+full+`"`) != 1 {
		t.Errorf("the screen shows the vector in full %d times, want once (after .vectors full)", strings.Count(sh.screen(0), `"`+full+`"`))
	}
}
