package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// testDB opens a fresh database that the test closes.
func testDB(t testing.TB) *db.DB {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "t.db"), &db.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// testSession is a session on d printing nowhere.
func testSession(d *db.DB) *session {
	return &session{db: d, exec: func(ctx context.Context, sc *query.Script, st query.Statement) (*db.Rows, error) {
		return runStatement(ctx, d, sc, st)
	},
		out: bufio.NewWriter(io.Discard), errw: io.Discard}
}

func TestSession_Complete(t *testing.T) {
	d := testDB(t)
	ctx := context.Background()
	if _, err := d.Exec(ctx, `CREATE TABLE pets (dim = 2); CREATE TABLE "My Table" (dim = 2); CREATE TABLE planets (dim = 2);
		INSERT INTO pets VALUES ('cat', [1, 0]), ('cow', [0, 1]), ('dog', [1, 1]), ('it''s', [1, 2]);
		INSERT INTO planets VALUES ('mars', [1, 0]), ('mercury', [0, 1])`); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"train-data.txt", "train.sql", "other.txt"} {
		mustWrite(t, filepath.Join(dir, f), nil)
	}
	if err := os.Mkdir(filepath.Join(dir, "traindir"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	tests := []struct {
		name      string
		pending   string // earlier lines of the input
		lastTable string
		line      string
		pos       int // -1: the end of line
		wantHead  string
		wantItems []string
		wantTail  string
	}{
		{"Keyword", "", "", "SEL", -1, "", []string{"SELECT"}, ""},
		{"KeywordLower", "", "", "sel", -1, "", []string{"select"}, ""},
		{"KeywordMidLine", "", "", "SELECT * FR pets", 11, "SELECT * ", []string{"FROM"}, " pets"},
		{"Function", "", "", "SELECT NEA", -1, "SELECT ", []string{"NEAREST(", "NEAREST_COSMUL("}, ""},
		{"FunctionLower", "", "", "select sim", -1, "select ", []string{"similarity("}, ""},
		{"FunctionBeforeParen", "", "", "SELECT NEA('cat') FROM pets", 10, "SELECT ", []string{"NEAREST", "NEAREST_COSMUL"}, "('cat') FROM pets"},
		{"FunctionNotKeywordToo", "", "", "SELECT COU", -1, "SELECT ", []string{"COUNT("}, ""},
		{"KeywordsAndFunctions", "", "", "DE", -1, "", []string{"DELETE", "DESC", "DESCRIBE"}, ""},
		{"TableAfterFrom", "", "", "SELECT * FROM p", -1, "SELECT * FROM ", []string{"pets", "planets"}, ""},
		{"AllTablesAfterFrom", "", "", "DESCRIBE ", -1, "DESCRIBE ", []string{"My Table", "pets", "planets"}, ""},
		{"TableCaseInsensitive", "", "", "select * from PE", -1, "select * from ", []string{"pets"}, ""},
		{"TableOnContinuationLine", "SELECT *\n", "", "FROM pla", -1, "FROM ", []string{"planets"}, ""},
		{"NothingForEmptyWord", "", "", "SELECT ", -1, "SELECT ", nil, ""},
		{"WordFromLaterFrom", "", "", "SELECT NEAREST('c', 2) FROM pets;", 17, "SELECT NEAREST('", []string{"cat", "cow"}, "', 2) FROM pets;"},
		{"WordClosesQuote", "", "pets", "SELECT NEAREST('d", -1, "SELECT NEAREST('", []string{"dog'"}, ""},
		{"WordFromLastTable", "", "planets", "SELECT VECTOR('me", -1, "SELECT VECTOR('", []string{"mercury'"}, ""},
		{"WordFromEarlierLine", "SELECT word\n  FROM planets\n  WHERE word IN (", "", "'ma", -1, "'", []string{"mars'"}, ""},
		{"WordWithQuote", "", "pets", "SELECT VECTOR('it", -1, "SELECT VECTOR('", []string{"it''s'"}, ""},
		{"NoTableNoWords", "", "", "SELECT VECTOR('c", -1, "", nil, ""},
		{"FileAfterFrom", "", "", "TRAIN w2v FROM 'train", -1, "TRAIN w2v FROM '", []string{"train-data.txt'", "train.sql'", "traindir/"}, ""},
		{"SecondFile", "", "", "TRAIN w2v FROM 'a.txt', 'oth", -1, "TRAIN w2v FROM 'a.txt', '", []string{"other.txt'"}, ""},
		{"FileAfterTo", "", "", "EXPORT pets TO 'oth", -1, "EXPORT pets TO '", []string{"other.txt'"}, ""},
		{"NotInComment", "", "", "-- SEL", -1, "", nil, ""},
		{"NotInQuotedName", "", "", `SELECT * FROM "My`, -1, "", nil, ""},
		{"DotCommand", "", "", ".he", -1, "", []string{".header", ".help"}, ""},
		{"DotCommandIndented", "", "", "  .tim", -1, "  ", []string{".timeout", ".timer"}, ""},
		{"DotMode", "", "", ".mode cs", -1, ".mode ", []string{"csv"}, ""},
		{"DotSchema", "", "", ".schema pl", -1, ".schema ", []string{"planets"}, ""},
		{"DotRead", "", "", ".read train.", -1, ".read ", []string{"train.sql"}, ""},
		{"DotOnOff", "", "", ".timer o", -1, ".timer ", []string{"on", "off"}, ""},
		{"DotEchoOnOff", "", "", ".echo of", -1, ".echo ", []string{"off"}, ""},
		{"DotDumpTable", "", "", ".dump pe", -1, ".dump ", []string{"pets"}, ""},
		{"DotOutputFile", "", "", ".output train.", -1, ".output ", []string{"train.sql"}, ""},
		{"DotVectors", "", "", ".vectors s", -1, ".vectors ", []string{"short"}, ""},
		{"DotHelpCommand", "", "", ".help .ou", -1, ".help ", []string{".output"}, ""},
		{"NoDotInsideStatement", "SELECT 1\n", "", ".he", -1, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSession(d)
			s.pending, s.lastTable = tt.pending, tt.lastTable
			pos := tt.pos
			if pos < 0 {
				pos = len([]rune(tt.line))
			}
			head, items, tail := s.complete(tt.line, pos)
			if len(items) == 0 {
				items = nil
			}
			if len(items) > 0 && head != tt.wantHead || !slices.Equal(items, tt.wantItems) || tail != tt.wantTail {
				t.Errorf("complete(%q, %d) = %q, %q, %q; want %q, %q, %q", tt.line, pos, head, items, tail, tt.wantHead, tt.wantItems, tt.wantTail)
			}
		})
	}
}

func TestJoinEntry(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"SELECT 1;"}, "SELECT 1;"},
		{[]string{"SELECT", "  1 AS one;"}, "SELECT   1 AS one;"},
		{[]string{"SELECT 1 -- one", "  AS one;"}, "SELECT 1 -- one\n  AS one;"},
		{[]string{"SELECT 'a", "b';"}, "SELECT 'a\nb';"},
		{[]string{"SELECT 'a--b'", "  AS s;"}, "SELECT 'a--b'   AS s;"},
		{[]string{"SELECT 1; -- one", "SELECT 2;"}, "SELECT 1; -- one\nSELECT 2;"},
		{[]string{"SELECT /* a", "b */ 1;"}, "SELECT /* a b */ 1;"},
	}
	for _, tt := range tests {
		if got := joinEntry(tt.lines); got != tt.want {
			t.Errorf("joinEntry(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		line    string
		want    []string
		wantErr bool
	}{
		{".mode csv", []string{".mode", "csv"}, false},
		{"  .read   'my file.sql'  ", []string{".read", "my file.sql"}, false},
		{`.read "it""s.sql"`, []string{".read", `it"s.sql`}, false},
		{".read 'unterminated", nil, true},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, err := splitArgs(tt.line)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q, error %v", tt.line, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSchemaOf(t *testing.T) {
	d := testDB(t)
	ctx := context.Background()
	if _, err := d.Exec(ctx, `CREATE TABLE "My Table" (dim = 2, metric = dot); CREATE TABLE "select" (dim = 4);
		INSERT INTO "My Table" VALUES ('a', [1, 2])`); err != nil {
		t.Fatal(err)
	}
	infos, err := d.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, in := range infos {
		got.WriteString(schemaOf(in))
	}
	want := `-- "My Table": created, 1 rows, dim 2, float32, dot
CREATE TABLE "My Table" (dim = 2, type = float32, metric = dot);
-- "select": created, 0 rows, dim 4, float32, cosine
CREATE TABLE "select" (dim = 4, type = float32, metric = cosine);
`
	if got.String() != want {
		t.Errorf("schemaOf =\n%s\nwant\n%s", got.String(), want)
	}
	if stmts, err := query.Parse(got.String()); err != nil || len(stmts) != 2 {
		t.Errorf("the schema does not parse back: %d statements, %v", len(stmts), err)
	}
}
