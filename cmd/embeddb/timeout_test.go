package main

import (
	"runtime"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestMain_Run_Timeout: a statement that finds the file locked by another
// handle says that it waits, and fails after -timeout (or .timeout) with
// "database is locked"; an idle handle locks nothing.
func TestMain_Run_Timeout(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("files are shared between processes only on Linux")
	}
	path := petsDB(t)
	idle, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := runMain(t, "", "-csv", "-timeout", "0", path, "INSERT INTO pets VALUES ('emu', [1, 2, 3]); SELECT COUNT(*) FROM pets")
	if r.code != 0 || r.stdout != "1\n3\n" {
		t.Fatalf("beside an idle handle: %d %q %q", r.code, r.stdout, r.stderr)
	}
	idle.Close()

	held, err := db.Open(path, &db.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	args := []string{"-timeout", "200", path, "SELECT COUNT(*) FROM pets"}
	r = runMain(t, "", args...)
	if r.code != 1 || !strings.Contains(r.stderr, "waiting for the database") || !strings.Contains(r.stderr, "database is locked") {
		t.Errorf("Run(%q) beside an exclusive handle = %d, stderr %q; want a notice that it waits, then \"database is locked\"", args, r.code, r.stderr)
	}
	held.Close()
	if r := runMain(t, "", path, ".timeout 250\n.show"); !strings.Contains(r.stdout, "timeout: 250") {
		t.Errorf(".timeout 250 then .show: %q", r.stdout)
	}
	if r := runMain(t, "", "-timeout", "soon", path); r.code != 2 && r.code != 1 || !strings.Contains(r.stderr, "milliseconds") {
		t.Errorf("-timeout soon = %d %q", r.code, r.stderr)
	}
}
