package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// errNotInFuzz refuses, in the fuzzer, statements that read or write
// files or run long.
var errNotInFuzz = errors.New("statement not run by the fuzzer")

// safeExec runs the statements that only touch the database.
func safeExec(d *db.DB) func(context.Context, *query.Script, query.Statement) (*db.Rows, error) {
	return func(ctx context.Context, sc *query.Script, st query.Statement) (*db.Rows, error) {
		switch st.(type) {
		case *query.Train, *query.Import, *query.Export, *query.Evaluate, *query.Backup, *query.Vacuum, *query.Plot:
			return nil, errNotInFuzz
		}
		return runStatement(ctx, d, sc, st)
	}
}

// refuseFiles refuses, in the fuzzer, the dot-commands that read or
// write files, open another database or run commands.
func refuseFiles(name string) error {
	switch name {
	case ".read", ".output", ".once", ".import", ".open", ".shell", ".backup", ".plot":
		return errNotInFuzz
	}
	return nil
}

// errorLine matches the first line of an error message: a script place and
// a message, or an interrupt.
var errorLine = regexp.MustCompile(`^fuzz\.sql:\d+(:\d+)?: .`)

// FuzzSession feeds arbitrary scripts to the shell: statements,
// dot-commands, unfinished strings and comments. Nothing may panic, and
// every error line on standard error must name its place in the script.
func FuzzSession(f *testing.F) {
	for _, s := range []string{
		"SELECT 1;",
		"CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 2]); SELECT * FROM t;",
		"SELECT *\n  FROM nosuch;\nSELECT 'x'",
		"SELECT 'unterminated\n;\n",
		"/* open comment\nSELECT 1;",
		".mode json\nSELECT [1, 2] AS v, NULL AS n;\n.mode csv\n.header on\nSELECT 'a,\"b' AS s;",
		".tables\n.schema\n.schema t\n.timer on\n.bail off\nSELEC 1;\nSELECT 2;",
		"SELECT 1; SELECT 2 FROM; SELECT 3;\n",
		"SELECT '\xff' AS bad, 'é\t\n' AS tabs;",
		".mode\n.header\n.nosuch 'a b\n",
		".mode box\n.width 3 -4\n.nullvalue -\nSELECT NULL AS n, 'abcdef' AS s;\n.mode line\n.vectors 2\nSELECT [1, 2, 3, 4, 5, 6] AS v;",
		".mode insert t\n.header on\nSELECT 'it''s' AS w;\n.mode quote\n.echo on\n.changes on\nSELECT 1;\n.show\n.dump\n.indexes\n.print a 'b c'",
		".shell echo no\n.output x.txt\n.once y\n.open\n.import a b\n.system ls\n.read z",
	} {
		f.Add(s)
	}
	d := testDB(f)
	f.Fuzz(func(t *testing.T, src string) {
		var out, errb bytes.Buffer
		s := &session{db: d, exec: safeExec(d), refuse: refuseFiles, out: bufio.NewWriter(&out), errw: &errb, bail: false, mode: modeTable}
		s.stdout = s.out
		ctx := context.Background()
		s.run(ctx, newScriptReader(strings.NewReader(src)), source{name: "fuzz.sql"})
		s.flush()
		lines := strings.Split(errb.String(), "\n")
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			if l == "" {
				continue
			}
			if !errorLine.MatchString(l) {
				t.Fatalf("error line %q does not name its place; all of stderr:\n%s", l, errb.String())
			}
			if strings.Count(l, ":") >= 3 && i+2 < len(lines) && strings.HasSuffix(lines[i+2], "^") && strings.TrimSpace(lines[i+2]) == "^" {
				i += 2 // the source line and the caret
			}
		}
		// Leave the database as small as it came: drop what the input made.
		tables, _ := d.Tables(ctx)
		for _, tb := range tables {
			d.DropTable(ctx, tb.Name)
		}
	})
}

// FuzzComplete calls tab completion on arbitrary lines and cursors. It
// must not panic, and what it returns must rebuild the line around the
// cursor: head is a prefix of the text before it and tail the text after.
func FuzzComplete(f *testing.F) {
	for _, s := range []string{"SEL", "SELECT * FROM p", "SELECT NEAREST('c", ".mode c", "TRAIN x FROM 'tr", "-- x", "SELECT \"My", "'it''s"} {
		f.Add(s, len(s), "")
	}
	f.Add("FROM pe", 7, "SELECT *\n")
	f.Add("'ma", 3, "SELECT word FROM pets WHERE word IN (")
	d := testDB(f)
	ctx := context.Background()
	if _, err := d.Exec(ctx, `CREATE TABLE pets (dim = 2); INSERT INTO pets VALUES ('cat', [1, 0]), ('it''s', [0, 1])`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string, pos int, pending string) {
		s := &session{db: d, out: bufio.NewWriter(io.Discard), errw: io.Discard, pending: pending, lastTable: "pets"}
		head, items, tail := s.complete(line, pos)
		runes := []rune(line)
		p := max(0, min(pos, len(runes)))
		before, after := string(runes[:p]), string(runes[p:])
		if tail != after {
			t.Fatalf("complete(%q, %d) tail = %q, want %q", line, pos, tail, after)
		}
		if len(items) > 0 && !strings.HasPrefix(before, head) {
			t.Fatalf("complete(%q, %d) head = %q, not a prefix of %q", line, pos, head, before)
		}
		for _, it := range items {
			if !utf8.ValidString(head+it) && utf8.ValidString(line) {
				t.Fatalf("complete(%q, %d) item %q makes invalid UTF-8", line, pos, it)
			}
		}
	})
}
