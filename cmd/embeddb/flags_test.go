package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain_Run_ShellFlags runs each of sqlite3's flags the shell has, on
// the same small table, and compares the whole output.
func TestMain_Run_ShellFlags(t *testing.T) {
	path := petsDB(t)
	dir := t.TempDir()
	initFile := filepath.Join(dir, "init.sql")
	mustWrite(t, initFile, []byte(".mode csv\n.header on\n"))
	const q = "SELECT word, vector FROM pets ORDER BY word"
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"Cmd", "", []string{"-cmd", ".mode csv", "-cmd", "SELECT 'first' AS s", path, q}, 0,
			"first\ncat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n", ""},
		{"CmdError", "", []string{"-cmd", ".mode xml", path, q}, 1, "", "-cmd:1: .mode: unknown mode \"xml\" (table, box, markdown, column, list, line, csv, tsv, json, jsonl, quote or insert)\n"},
		{"CmdErrorNoBail", "", []string{"-bail=false", "-csv", "-cmd", ".mode xml", path, q}, 1,
			"cat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n", "-cmd:1: .mode: unknown mode \"xml\" (table, box, markdown, column, list, line, csv, tsv, json, jsonl, quote or insert)\n"},
		{"CmdQuit", "", []string{"-cmd", ".quit", path, q}, 0, "", ""},
		{"Init", "", []string{"-init", initFile, path, q}, 0, "word,vector\ncat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n", ""},
		{"InitMissing", "", []string{"-init", filepath.Join(dir, "nope.sql"), path, q}, 1, "",
			"embeddb: -init: open " + filepath.Join(dir, "nope.sql") + ": no such file or directory\n"},
		{"Echo", "", []string{"-echo", "-csv", path, ".print hi\n" + q}, 0, ".print hi\nhi\n" + q + "\ncat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n", ""},
		{"CSV", "", []string{"-csv", path, q}, 0, "cat,\"[0.1,0.2,0.3]\"\ndog,\"[0.1,0.25,0.3]\"\n", ""},
		{"TSV", "", []string{"-tabs", path, q}, 0, "cat\t[0.1,0.2,0.3]\ndog\t[0.1,0.25,0.3]\n", ""},
		{"JSON", "", []string{"-json", path, q}, 0, "[{\"word\":\"cat\",\"vector\":[0.1,0.2,0.3]},\n{\"word\":\"dog\",\"vector\":[0.1,0.25,0.3]}]\n", ""},
		{"JSONL", "", []string{"-jsonl", path, q}, 0, "{\"word\":\"cat\",\"vector\":[0.1,0.2,0.3]}\n{\"word\":\"dog\",\"vector\":[0.1,0.25,0.3]}\n", ""},
		{"Line", "", []string{"-line", path, q}, 0, "  word = cat\nvector = [0.1, 0.2, 0.3]\n\n  word = dog\nvector = [0.1, 0.25, 0.3]\n", ""},
		{"Column", "", []string{"-column", path, q}, 0, "word  vector          \n----  ----------------\ncat   [0.1, 0.2, 0.3] \ndog   [0.1, 0.25, 0.3]\n", ""},
		{"Box", "", []string{"-box", path, q}, 0, "┌──────┬──────────────────┐\n│ word │ vector           │\n├──────┼──────────────────┤\n│ cat  │ [0.1, 0.2, 0.3]  │\n│ dog  │ [0.1, 0.25, 0.3] │\n└──────┴──────────────────┘\n", ""},
		{"Markdown", "", []string{"-markdown", path, q}, 0, "| word | vector           |\n|------|------------------|\n| cat  | [0.1, 0.2, 0.3]  |\n| dog  | [0.1, 0.25, 0.3] |\n", ""},
		{"List", "", []string{"-list", path, q}, 0, "cat|[0.1,0.2,0.3]\ndog|[0.1,0.25,0.3]\n", ""},
		{"ListSeparator", "", []string{"-list", "-separator", ";", "-header", path, q}, 0, "word;vector\ncat;[0.1,0.2,0.3]\ndog;[0.1,0.25,0.3]\n", ""},
		{"Table", "", []string{"-csv", "-table", path, "SELECT 1 AS n"}, 0, "+---+\n| n |\n+---+\n| 1 |\n+---+\n", ""},
		{"Quote", "", []string{"-quote", path, q}, 0, "'cat',[0.1,0.2,0.3]\n'dog',[0.1,0.25,0.3]\n", ""},
		{"NoHeader", "", []string{"-box", "-noheader", path, "SELECT 1 AS n"}, 0, "┌───┐\n│ 1 │\n└───┘\n", ""},
		{"NullValue", "", []string{"-csv", "-nullvalue", "-", path, "SELECT NULL AS n, 1 AS m"}, 0, "-,1\n", ""},
		{"Bail", "", []string{"-bail", "-csv", path, "SELECT * FROM nosuch; SELECT 2"}, 1, "", "error: 1:15: unknown table \"nosuch\"\nSELECT * FROM nosuch; SELECT 2\n              ^\n"},
		{"NoBail", "", []string{"-bail=false", "-csv", path, "SELECT * FROM nosuch; SELECT 2"}, 1, "2\n", "error: 1:15: unknown table \"nosuch\"\nSELECT * FROM nosuch; SELECT 2\n              ^\n"},
		{"Batch", "SELECT 5;\n", []string{"-batch", "-csv", path}, 0, "5\n", ""},
		{"Interactive", "SELECT 1 AS a;\nSELECT * FROM nosuch;\nSELECT\n 2;\n", []string{"-interactive", "-csv", path}, 0,
			"embeddb dev. Enter \".help\" for usage hints, Ctrl-D to exit.\nembeddb> SELECT 1 AS a;\n1\nembeddb> SELECT * FROM nosuch;\nembeddb> SELECT\n   ...>  2;\n2\nembeddb> ",
			"error: 1:15: unknown table \"nosuch\"\nSELECT * FROM nosuch;\n              ^\n"},
		{"InteractiveSQL", "SELECT 9;\n", []string{"-interactive", "-csv", path, "SELECT 1"}, 0, "1\n", ""},
		{"ErrBatchInteractive", "", []string{"-batch", "-interactive", path}, 1, "", "embeddb: -batch and -interactive contradict each other\nRun 'embeddb -help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runMain(t, tt.stdin, tt.args...)
			if r.code != tt.wantCode || r.stdout != tt.wantStdout || r.stderr != tt.wantStderr {
				t.Errorf("Run(%q) = %d\nstdout:\n%s\nstderr:\n%s\nwant %d\nstdout:\n%s\nstderr:\n%s", tt.args, r.code, r.stdout, r.stderr,
					tt.wantCode, tt.wantStdout, tt.wantStderr)
			}
		})
	}
}

// TestMain_Run_RCFile checks that ~/.embeddbrc is read at start, and not
// when -init names another file.
func TestMain_Run_RCFile(t *testing.T) {
	path := petsDB(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	mustWrite(t, filepath.Join(home, ".embeddbrc"), []byte(".mode jsonl\n"))
	other := filepath.Join(home, "other.sql")
	mustWrite(t, other, []byte(".mode list\n"))
	if r := runMain(t, "", path, "SELECT 1 AS n"); r.stdout != "{\"n\":1}\n" || r.code != 0 {
		t.Errorf("with ~/.embeddbrc: %d, %q, %q; want 0, {\"n\":1}", r.code, r.stdout, r.stderr)
	}
	if r := runMain(t, "", "-init", other, path, "SELECT 1 AS n"); r.stdout != "1\n" || r.code != 0 {
		t.Errorf("with -init: %d, %q, %q; want 0, 1", r.code, r.stdout, r.stderr)
	}
	if err := os.Remove(filepath.Join(home, ".embeddbrc")); err != nil {
		t.Fatal(err)
	}
	if r := runMain(t, "", path, "SELECT 1 AS n"); r.stdout != "+---+\n| n |\n+---+\n| 1 |\n+---+\n" || r.code != 0 {
		t.Errorf("without ~/.embeddbrc: %d, %q, %q; want a table", r.code, r.stdout, r.stderr)
	}
	t.Setenv("HOME", "") // no home directory at all: -cmd still runs
	if r := runMain(t, "", "-cmd", ".mode csv", path, "SELECT 1 AS n"); r.stdout != "1\n" || r.code != 0 {
		t.Errorf("without $HOME: %d, %q, %q; want 0, 1", r.code, r.stdout, r.stderr)
	}
}

// TestUsage_ListsEveryFlag checks that -help describes every flag the
// command defines.
func TestUsage_ListsEveryFlag(t *testing.T) {
	fs := flag.NewFlagSet("embeddb", flag.ContinueOnError)
	defineFlags(fs, &config{})
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		if !strings.Contains(usage, "-"+f.Name+" ") && !strings.Contains(usage, "-"+f.Name+"\n") {
			t.Errorf("the usage does not mention -%s", f.Name)
		}
	})
	if n < 28 {
		t.Errorf("only %d flags defined", n)
	}
}

// TestHelp_DescribesEveryCommand checks that each dot-command has help,
// that .help NAME answers for it and for its aliases, and that every
// command runs from its table (an unknown one is an error).
func TestHelp_DescribesEveryCommand(t *testing.T) {
	names := map[string]bool{}
	for _, c := range dotCommands {
		names[c.name] = true
		if c.help == "" || c.run == nil {
			t.Errorf("%s has no help or no function", c.name)
		}
		if !strings.Contains(helpText(), c.name+" ") && !strings.Contains(helpText(), c.name+"\n") {
			t.Errorf(".help does not list %s", c.name)
		}
	}
	for alias, name := range dotAliases {
		if !names[name] {
			t.Errorf("alias %s names %s, which is not a command", alias, name)
		}
	}
	for _, want := range []string{".output", ".once", ".dump", ".import", ".open", ".indexes", ".show", ".width", ".echo",
		".print", ".shell", ".nullvalue", ".changes", ".databases", ".timeout", ".help", ".vectors"} {
		if !names[want] {
			t.Errorf("no command %s", want)
		}
	}
}
