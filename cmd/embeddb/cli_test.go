package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// result is what one run of the command did.
type result struct {
	stdout, stderr string
	code           int
}

// runMain runs the command in-process with stdin and args.
func runMain(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}.Run(context.Background(), args)
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// petsDB makes a database file holding the table pets.
func petsDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pets.db")
	r := runMain(t, "", path, `CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]);`)
	if r.code != 0 {
		t.Fatalf("making pets.db: exit %d, stderr %q", r.code, r.stderr)
	}
	return path
}

func TestMain_Run_Flags(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "text.db")
	if err := os.WriteFile(notDB, []byte("hello, I am not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // a regexp
		wantStderr string // a regexp
	}{
		{"Version", []string{"-version"}, 0, `^embeddb dev\n$`, `^$`},
		{"Help", []string{"-help"}, 0, `(?s)^Usage: embeddb \[flags\] \[DBFILE\] \[SQL\.\.\.\].*-mode MODE`, `^$`},
		{"HelpShort", []string{"-h"}, 0, `^Usage: embeddb`, `^$`},
		{"ErrUnknownFlag", []string{"-nope"}, 1, `^$`, `^embeddb: flag provided but not defined: -nope\nRun 'embeddb -help' for usage.\n$`},
		{"ErrBadMode", []string{"-mode", "xml"}, 1, `^$`, `invalid value "xml" for flag -mode: unknown mode "xml" \(table, box, markdown, column, list, line, csv, tsv, json, jsonl, quote or insert\)`},
		{"SeveralSQLArguments", []string{filepath.Join(dir, "a.db"), "SELECT 1 AS a", ".mode csv", "SELECT 2 AS b"}, 0, `^\+---\+\n\| a \|\n\+---\+\n\| 1 \|\n\+---\+\n2\n$`, `^$`},
		{"ErrUnquotedSQL", []string{filepath.Join(dir, "a.db"), "SELECT", "1"}, 1, `^$`, `^error: 1:7: expected expression, found end of input\nSELECT\n      \^\n$`},
		{"ErrSQLAsDBFile", []string{"SELECT 1 + 1"}, 1, `^$`, `"SELECT 1 \+ 1" looks like SQL, not a database file`},
		{"ErrDotCommandAsDBFile", []string{".tables"}, 1, `^$`, `"\.tables" looks like SQL`},
		{"ErrReadOnlyTemp", []string{"-readonly"}, 1, `^$`, `-readonly needs a DBFILE`},
		{"ErrMemoryLimit", []string{"-memory-limit", "lots"}, 1, `^$`, `invalid value "lots" for flag -memory-limit: "lots" is not a size \(like 512MiB or 4GiB\)`},
		{"MemoryLimit", []string{"-memory-limit", "8KiB", "", "TRAIN w FROM '../../testdata/train-data.txt' WITH (min_count = 1, workers = 1)"}, 1, `^$`,
			`TRAIN w: training 17 words of dimension 100 needs about .* over the memory limit of 8 KiB`},
		{"ErrCheckWithArgs", []string{"-check", notDB, "x.db"}, 1, `^$`, `-check takes no DBFILE or SQL`},
		{"ErrNotDatabase", []string{notDB, "SELECT 1"}, 1, `^$`, `^embeddb: open .*text\.db: not an embeddb database\n$`},
		{"ErrCheckNotDatabase", []string{"-check", notDB}, 1, `^$`, `not an embeddb database`},
		{"ErrCheckMissing", []string{"-check", filepath.Join(dir, "missing.db")}, 1, `^$`, `no such file or directory`},
		{"FlagsAfterArgs", []string{"", "SELECT 1 + 1 AS two", "-mode", "csv"}, 0, `^2\n$`, `temporary database`},
		{"DoubleDash", []string{"-mode=jsonl", "--", "", "SELECT 3 AS n"}, 0, `^\{"n":3\}\n$`, `temporary database`},
		{"Memory", []string{":memory:", "CREATE TABLE t (dim = 2)", ".mode csv", "SELECT COUNT(*) AS n FROM t"}, 0, `\n0\n$`, `^$`},
		{"ErrReadOnlyMemory", []string{"-readonly", ":memory:"}, 1, `^$`, `-readonly needs a DBFILE`},
		{"BoolFlagFalse", []string{"-header=false", "", "SELECT 1 AS n"}, 0, `^\+---\+\n\|  ?1 \|\n\+---\+\n$`, ``},
	}
	defer func() {
		if _, err := os.Stat(":memory:"); err == nil {
			os.Remove(":memory:")
			t.Error(`":memory:" made a file of that name, not a temporary database`)
		}
	}()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMain(t, "", tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("Run(%q) = %d, want %d (stderr %q)", tt.args, r.code, tt.wantCode, r.stderr)
			}
			if !regexp.MustCompile(tt.wantStdout).MatchString(r.stdout) {
				t.Errorf("Run(%q) stdout = %q, want a match for %q", tt.args, r.stdout, tt.wantStdout)
			}
			if !regexp.MustCompile(tt.wantStderr).MatchString(r.stderr) {
				t.Errorf("Run(%q) stderr = %q, want a match for %q", tt.args, r.stderr, tt.wantStderr)
			}
		})
	}
}

func TestMain_Run_Check(t *testing.T) {
	path := petsDB(t)
	r := runMain(t, "", "-check", path)
	if r.code != 0 || r.stdout != "ok\n" || r.stderr != "" {
		t.Errorf("-check %s = %d, %q, %q; want 0, \"ok\\n\", \"\"", path, r.code, r.stdout, r.stderr)
	}
}

func TestMain_Run_Modes(t *testing.T) {
	path := petsDB(t)
	const pets = "SELECT word, vector FROM pets ORDER BY word"
	const kinds = "SELECT NULL AS n, TRUE AS b, 1.5 AS f, 'a,b \"c\"' AS s, 7 AS i"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"Table", []string{pets}, `+------+------------------+
| word | vector           |
+------+------------------+
| cat  | [0.1, 0.2, 0.3]  |
| dog  | [0.1, 0.25, 0.3] |
+------+------------------+
`},
		{"TableNoHeader", []string{"-noheader", pets}, `+-----+------------------+
| cat | [0.1, 0.2, 0.3]  |
| dog | [0.1, 0.25, 0.3] |
+-----+------------------+
`},
		{"TableKinds", []string{kinds}, `+------+------+-----+---------+---+
| n    | b    |   f | s       | i |
+------+------+-----+---------+---+
| NULL | true | 1.5 | a,b "c" | 7 |
+------+------+-----+---------+---+
`},
		{"CSV", []string{"-mode", "csv", pets}, "cat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n"},
		{"CSVHeader", []string{"-mode", "csv", "-header", pets}, "word,vector\ncat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n"},
		{"CSVKinds", []string{"-mode", "csv", "-header", kinds}, "n,b,f,s,i\n,true,1.5,\"a,b \"\"c\"\"\",7\n"},
		{"TSV", []string{"-mode", "tsv", pets}, "cat\t[0.1,0.2,0.3]\ndog\t[0.1,0.25,0.3]\n"},
		{"TSVHeader", []string{"-mode", "tsv", "-header", pets}, "word\tvector\ncat\t[0.1,0.2,0.3]\ndog\t[0.1,0.25,0.3]\n"},
		{"JSON", []string{"-mode", "json", pets}, `[{"word":"cat","vector":[0.1,0.2,0.3]},
{"word":"dog","vector":[0.1,0.25,0.3]}]
`},
		{"JSONFlag", []string{"-json", pets}, `[{"word":"cat","vector":[0.1,0.2,0.3]},
{"word":"dog","vector":[0.1,0.25,0.3]}]
`},
		{"JSONL", []string{"-mode", "jsonl", "-header", pets}, `{"word":"cat","vector":[0.1,0.2,0.3]}
{"word":"dog","vector":[0.1,0.25,0.3]}
`},
		{"JSONKinds", []string{"-jsonl", kinds}, `{"n":null,"b":true,"f":1.5,"s":"a,b \"c\"","i":7}
`},
		{"EmptyResult", []string{"SELECT word FROM pets WHERE word = 'emu'"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{path}, tt.args...)
			// Flags after DBFILE are allowed; put the mode flags first to
			// test the usual order.
			if len(tt.args) > 1 {
				args = append(append([]string{}, tt.args[:len(tt.args)-1]...), path, tt.args[len(tt.args)-1])
			}
			r := runMain(t, "", args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("Run(%q) = %d, stderr %q", args, r.code, r.stderr)
			}
			if r.stdout != tt.want {
				t.Errorf("Run(%q) printed\n%s\nwant\n%s", args, r.stdout, tt.want)
			}
		})
	}
}

func TestMain_Run_Scripts(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.sql")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(script, "CREATE TABLE t (dim = 2);\nINSERT INTO t VALUES ('a', [1, 0]);\nSELECT COUNT(*) AS n FROM t")
	write(filepath.Join(dir, "bad.sql"), "SELECT 1 AS one;\n\nSELECT *\n  FROM nosuch;\nSELECT 2 AS two;\n")
	write(filepath.Join(dir, "dots.sql"), ".mode csv\n.header on\nSELECT 1 AS x;\n  .mode jsonl\nSELECT 2 AS x;\n.quit\nSELECT 3 AS x;\n")
	bad := filepath.Join(dir, "bad.sql")
	caret := "  FROM nosuch;\n       ^\n"
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"ScriptFile", "", []string{"-mode", "csv", "-f", script, filepath.Join(dir, "a.db")}, 0,
			"t\n1\n1\n", ""},
		{"Stdin", "SELECT 1 + 1 AS two;\nSELECT\n  'x' AS s;\nSELECT 3 AS last", []string{"-mode", "csv", "-header", ""}, 0,
			"two\n2\ns\nx\nlast\n3\n", "note: no database file given: using a temporary database, deleted at exit\n"},
		{"SQLArgument", "SELECT 99;", []string{"-mode", "csv", "", "SELECT 1 AS a; SELECT 2 AS b"}, 0,
			"1\n2\n", "note: no database file given: using a temporary database, deleted at exit\n"},
		{"SQLArgumentDotCommand", "", []string{"", ".mode json\nSELECT 1 AS a"}, 0, "[{\"a\":1}]\n", "note: no database file given: using a temporary database, deleted at exit\n"},
		{"DotCommands", "", []string{"-f", filepath.Join(dir, "dots.sql"), ""}, 0, "x\n1\n{\"x\":2}\n", "note: no database file given: using a temporary database, deleted at exit\n"},
		{"BailByDefault", "", []string{"-mode", "csv", "-f", bad, ""}, 1, "1\n",
			"note: no database file given: using a temporary database, deleted at exit\n" + bad + ":4:8: unknown table \"nosuch\"\n" + caret},
		{"BailFalseGoesOn", "", []string{"-bail=false", "-mode", "csv", "-f", bad, ""}, 1, "1\n2\n",
			"note: no database file given: using a temporary database, deleted at exit\n" + bad + ":4:8: unknown table \"nosuch\"\n" + caret},
		{"BailStopsLaterFiles", "", []string{"-mode", "csv", "-f", bad, "-f", script, ""}, 1, "1\n",
			"note: no database file given: using a temporary database, deleted at exit\n" + bad + ":4:8: unknown table \"nosuch\"\n" + caret},
		{"StdinErrorName", "SELECT 1 AS one;\nSELEC 2;\nSELECT 3;\n", []string{"-mode", "csv", ""}, 1, "1\n",
			"note: no database file given: using a temporary database, deleted at exit\nstdin:2:1: expected a statement (ALTER, BACKUP, BEGIN, CHECK, COMMIT, CREATE, DELETE, DESCRIBE, DROP, EVALUATE, EXPLAIN, EXPORT, IMPORT, INSERT, PLOT, ROLLBACK, SELECT, SET, SHOW, TRAIN, UPDATE, VACUUM), found 'SELEC'; did you mean SELECT?\nSELEC 2;\n^\n"},
		{"SQLArgumentError", "", []string{"", "SELECT 1 AS a; SELECT * FROM nosuch"}, 1, "+---+\n| a |\n+---+\n| 1 |\n+---+\n",
			"note: no database file given: using a temporary database, deleted at exit\nerror: 1:30: unknown table \"nosuch\"\nSELECT 1 AS a; SELECT * FROM nosuch\n                             ^\n"},
		{"MissingScript", "", []string{"-f", filepath.Join(dir, "missing.sql"), ""}, 1, "",
			"note: no database file given: using a temporary database, deleted at exit\nembeddb: open " + filepath.Join(dir, "missing.sql") + ": no such file or directory\n"},
		{"DotCommandError", "", []string{"", ".mode xml"}, 1, "",
			"note: no database file given: using a temporary database, deleted at exit\nerror: .mode: unknown mode \"xml\" (table, box, markdown, column, list, line, csv, tsv, json, jsonl, quote or insert)\n"},
		{"DotCommandErrorInScript", ".header on\n.bogus\nSELECT 1;\n", []string{""}, 1, "",
			"note: no database file given: using a temporary database, deleted at exit\nstdin:2: .bogus: unknown command (enter \".help\" for the list)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMain(t, tt.stdin, tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("Run(%q) = %d, want %d", tt.args, r.code, tt.wantCode)
			}
			if r.stdout != tt.wantStdout {
				t.Errorf("Run(%q) stdout =\n%s\nwant\n%s", tt.args, r.stdout, tt.wantStdout)
			}
			if r.stderr != tt.wantStderr {
				t.Errorf("Run(%q) stderr =\n%s\nwant\n%s", tt.args, r.stderr, tt.wantStderr)
			}
		})
	}
}

func TestMain_Run_TempDatabaseIsRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	r := runMain(t, "", "", "CREATE TABLE t (dim = 2)")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("after exit, %s holds %v, want nothing", tmp, left)
	}
}

func TestMain_Run_ReadOnly(t *testing.T) {
	path := petsDB(t)
	// Another reader holds the file: a read-only shell shares it.
	other, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	r := runMain(t, "", "-readonly", "-mode", "csv", path, "SELECT COUNT(*) FROM pets")
	if r.code != 0 || r.stdout != "2\n" {
		t.Errorf("-readonly SELECT = %d, %q, stderr %q; want 0, \"2\\n\"", r.code, r.stdout, r.stderr)
	}
	r = runMain(t, "", "-readonly", path, "DELETE FROM pets")
	if r.code != 1 || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("-readonly DELETE = %d, stderr %q; want 1 and a read-only error", r.code, r.stderr)
	}
}

func TestMain_Run_Locked(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout (2s); skipped with -short")
	}
	path := petsDB(t)
	// An idle handle locks nothing (the file is shared); an Exclusive one
	// keeps the shell out.
	holder, err := db.Open(path, &db.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	r := runMain(t, "", path, "SELECT 1")
	if r.code != 1 || !strings.Contains(r.stderr, "locked") {
		t.Errorf("a second writer = %d, stderr %q; want 1 and a locked error", r.code, r.stderr)
	}
}

// TestMain_Run_CheckProblems damages a page of a database file, the way a
// bad disk would, and expects -check to list problems with exit status 1.
// Which page bbolt left a given structure on is its business, so the test
// tries the leaf pages one at a time until one damage is such that the
// file still opens; the damage (one element more than the page holds) is
// the kind bbolt's own check finds.
func TestMain_Run_CheckProblems(t *testing.T) {
	path := petsDB(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le16 := func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
	le32 := func(b []byte) int { return le16(b) | le16(b[2:])<<16 }
	pageSize := le32(orig[16+8:]) // the first meta page: header, magic, version, page size
	if pageSize < 512 || pageSize > 1<<16 {
		t.Fatalf("page size %d read from the meta page", pageSize)
	}
	const leaf = 0x02
	for p := 2; p < 64 && (p+1)*pageSize <= len(orig); p++ {
		page := orig[p*pageSize:]
		if le16(page[8:]) != leaf || le16(page[10:]) == 0 {
			continue
		}
		damaged := append([]byte(nil), orig...)
		n := le16(page[10:]) + 1
		damaged[p*pageSize+10], damaged[p*pageSize+11] = byte(n), byte(n>>8)
		bad := filepath.Join(t.TempDir(), "bad.db")
		if err := os.WriteFile(bad, damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runMain(t, "", "-check", bad)
		if r.code == 0 {
			continue // a stale page: nothing reads it
		}
		if r.stderr != "" {
			continue // the damage stops Open itself
		}
		if r.stdout == "" || strings.Contains(r.stdout, "ok\n") {
			t.Errorf("-check on damaged page %d = %d, %q; want the problems", p, r.code, r.stdout)
		}
		return
	}
	t.Fatalf("no damaged page made -check report problems while the file still opens")
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1000": 1000, "512KiB": 512 << 10, "64MiB": 64 << 20, "4GiB": 4 << 30,
		"4G": 4 << 30, "1.5 GB": 3 << 29, "2tib": 2 << 40, "10B": 10,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1", "4XB", "1e30GiB", "GiB", "NaN"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}
