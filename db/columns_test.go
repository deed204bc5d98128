package db_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// docsDB opens a database with the docs table of dimension 3 and
// four rows.
func docsDB(t *testing.T) *db.DB {
	t.Helper()
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE docs (dim = 3, title TEXT, year INTEGER, score REAL, draft BOOLEAN, tags JSON)`)
	mustExec(t, d, `INSERT INTO docs (word, title, year, score, draft, tags, vector) VALUES
		('d1', 'Intro', 2024, 0.5, FALSE, '{"lang": "en", "n": 1}', [0.1, 0.2, 0.3]),
		('d2', 'Alpha', 2020, 1.5, TRUE, '{"lang": "fr", "n": 2}', [0.3, 0.2, 0.1]),
		('d3', 'Beta', 2020, NULL, FALSE, NULL, [1, 1, 1]),
		('d4', NULL, NULL, 4, NULL, '[1, 2]', [1, 0, 0])`)
	return d
}

// rowsOf runs a query and returns its rows.
func rowsOf(t *testing.T, d *db.DB, sql string, args ...any) [][]any {
	t.Helper()
	return mustExec(t, d, sql, args...).Rows
}

func TestColumns_SelectWhere(t *testing.T) {
	d := docsDB(t)
	tests := []struct {
		sql  string
		want [][]any
	}{
		{`SELECT word, title, year, score, draft FROM docs WHERE word = 'd1'`, [][]any{{"d1", "Intro", int64(2024), 0.5, false}}},
		{`SELECT word FROM docs WHERE year >= 2021`, [][]any{{"d1"}}},
		{`SELECT word FROM docs WHERE year = 2020 AND NOT draft`, [][]any{{"d3"}}},
		{`SELECT word FROM docs WHERE year <> 2020`, [][]any{{"d1"}}}, // NULL year is not <> 2020
		{`SELECT word FROM docs WHERE year IS NULL`, [][]any{{"d4"}}},
		{`SELECT word FROM docs WHERE score IS NOT NULL AND score < 2`, [][]any{{"d1"}, {"d2"}}},
		{`SELECT word FROM docs WHERE title LIKE 'A%' OR title IN ('Beta')`, [][]any{{"d2"}, {"d3"}}},
		{`SELECT word FROM docs WHERE tags->>'lang' = 'fr'`, [][]any{{"d2"}}},
		{`SELECT word, tags->'n' FROM docs WHERE json_extract(tags, '$.n') >= 1 ORDER BY word DESC`, [][]any{{"d2", "2"}, {"d1", "1"}}},
		{`SELECT json_extract(tags, '$[1]') FROM docs WHERE word = 'd4'`, [][]any{{int64(2)}}},
		{`SELECT word FROM docs ORDER BY year DESC, word LIMIT 2 OFFSET 1`, [][]any{{"d2"}, {"d3"}}},
		{`SELECT word, score * 2 AS s FROM docs WHERE draft IS NOT NULL ORDER BY s`, [][]any{{"d3", nil}, {"d1", 1.0}, {"d2", 3.0}}},
	}
	for _, tt := range tests {
		got := rowsOf(t, d, tt.sql)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.sql, got, tt.want)
		}
	}
}

func TestColumns_SelectStar(t *testing.T) {
	d := docsDB(t)
	res := mustExec(t, d, `SELECT * FROM docs WHERE word = 'd3'`)
	want := []string{"id", "word", "count", "vector", "title", "year", "score", "draft", "tags"}
	if !reflect.DeepEqual(res.Columns, want) {
		t.Fatalf("columns = %v, want %v", res.Columns, want)
	}
	if got := res.Rows[0][4:]; !reflect.DeepEqual(got, []any{"Beta", int64(2020), nil, false, nil}) {
		t.Errorf("user columns of d3 = %v", got)
	}
}

func TestColumns_Errors(t *testing.T) {
	d := docsDB(t)
	tests := []execErrCase{
		{`SELECT titel FROM docs`, `1:8: unknown column "titel" (did you mean title?)`, nil},
		{`SELECT word FROM docs WHERE yaer = 1`, `1:29: unknown column "yaer" (did you mean year?)`, nil},
		{`INSERT INTO docs (word, year, vector) VALUES ('x', 'soon', [1, 2, 3])`, `1:52: column "year" is INTEGER, cannot store text "soon"`, nil},
		{`INSERT INTO docs (word, tags, vector) VALUES ('x', '{bad', [1, 2, 3])`, `1:52: column "tags" is JSON, cannot store text "{bad" (not valid JSON)`, nil},
		{`INSERT INTO docs (word, titel, vector) VALUES ('x', 'a', [1, 2, 3])`, `1:25: unknown column "titel" (did you mean title?)`, db.ErrNoColumn},
		{`INSERT INTO docs (word, vector) VALUES ('d1', [1, 2, 3])`, `1:40: word "d1" is already in docs (use INSERT OR REPLACE to overwrite it)`, db.ErrWordExists},
		{`CREATE TABLE t2 (dim = 2, a TXT)`, `1:29: unknown column type TXT (did you mean TEXT?)`, nil},
		{`CREATE TABLE t2 (dim = 2, a INTEGER DEFAULT 'x')`, `1:45: DEFAULT of column "a" is INTEGER, cannot store text "x"`, nil},
		{`CREATE TABLE t2 (dim = 2, word TEXT)`, `1:27: column "word" is defined twice (id, word, count and vector are every table's)`, db.ErrInvalidName},
	}
	wantExecErrors(t, d, tests)
}

func TestColumns_NotNullAndDefault(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE p (dim = 2, lang TEXT DEFAULT 'en' NOT NULL, n INTEGER NOT NULL, note TEXT DEFAULT NULL)`)
	mustExec(t, d, `INSERT INTO p (word, n, vector) VALUES ('a', 1, [1, 0])`)
	if got := rowsOf(t, d, `SELECT lang, n, note FROM p`); !reflect.DeepEqual(got, [][]any{{"en", int64(1), nil}}) {
		t.Errorf("defaults = %v", got)
	}
	_, err := d.Exec(context.Background(), `INSERT INTO p (word, vector) VALUES ('b', [1, 0]), ('c', [0, 1])`)
	if !errors.Is(err, db.ErrNotNull) || !strings.Contains(err.Error(), `1:37: row "b": column "n" cannot be NULL`) {
		t.Errorf("missing NOT NULL value: %v", err)
	}
	_, err = d.Exec(context.Background(), `INSERT INTO p (word, n, vector) VALUES ('b', NULL, [1, 0])`)
	if !errors.Is(err, db.ErrNotNull) {
		t.Errorf("NULL into NOT NULL: %v", err)
	}
	if got := rowsOf(t, d, `SELECT COUNT(*) FROM p`); got[0][0] != int64(1) {
		t.Errorf("failed inserts left %v rows", got[0][0])
	}
}

// TestColumns_PlainTableUnchanged checks that a table without columns
// keeps its four columns everywhere.
func TestColumns_PlainTableUnchanged(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE pets (dim = 2)`)
	mustExec(t, d, `INSERT INTO pets VALUES ('cat', [1, 0])`)
	res := mustExec(t, d, `SELECT * FROM pets`)
	if fmt.Sprint(res.Columns) != "[id word count vector]" {
		t.Errorf("columns = %v", res.Columns)
	}
}

func TestColumns_Update(t *testing.T) {
	d := docsDB(t)
	res := mustExec(t, d, `UPDATE docs SET year = year + 1, title = 'Intro 2' WHERE word = 'd1'`)
	if res.Rows[0][0] != int64(1) {
		t.Errorf("updated %v rows, want 1", res.Rows[0][0])
	}
	// A scalar update keeps the row's id; a vector update gives a new one.
	if got := rowsOf(t, d, `SELECT id, title, year FROM docs WHERE word = 'd1'`); !reflect.DeepEqual(got, [][]any{{int64(0), "Intro 2", int64(2025)}}) {
		t.Errorf("after scalar UPDATE: %v", got)
	}
	mustExec(t, d, `UPDATE docs SET vector = [0, 0, 1], draft = TRUE WHERE word = 'd2'`)
	got := rowsOf(t, d, `SELECT id, vector, title, year, score, draft, tags FROM docs WHERE word = 'd2'`)
	want := [][]any{{int64(4), []float32{0, 0, 1}, "Alpha", int64(2020), 1.5, true, `{"lang":"fr","n":2}`}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after vector UPDATE: %v, want %v", got, want)
	}
	if got := rowsOf(t, d, `SELECT word FROM docs WHERE draft`); !reflect.DeepEqual(got, [][]any{{"d2"}}) {
		t.Errorf("draft rows = %v", got)
	}
	mustExec(t, d, `UPDATE docs SET score = NULL`)
	if got := rowsOf(t, d, `SELECT COUNT(score) FROM docs`); got[0][0] != int64(0) {
		t.Errorf("COUNT(score) after setting all NULL = %v", got[0][0])
	}
}

func TestColumns_UpdateFailsWhole(t *testing.T) {
	d := docsDB(t)
	before := rowsOf(t, d, `SELECT * FROM docs`)
	for _, tt := range []struct{ sql, want string }{
		{`UPDATE docs SET year = 'x' WHERE word = 'd1'`, `1:24: column "year" is INTEGER, cannot store text "x"`},
		{`UPDATE docs SET word = 'd1' WHERE word = 'd2'`, `1:1: row "d2": word "d1" is already in docs`},
		{`UPDATE docs SET yeer = 1`, `1:17: unknown column "yeer" (did you mean year?)`},
		{`UPDATE docs SET id = 1`, `1:17: id cannot be set: it is the row's place in the table`},
		{`UPDATE docs SET vector = [1, 2]`, `1:26: table docs has dimension 3, got a vector of length 2`},
		{`UPDATE docs SET year = 3000 / (year - 2020)`, `1:29: division by zero`},
	} {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
	}
	if after := rowsOf(t, d, `SELECT * FROM docs`); !reflect.DeepEqual(after, before) {
		t.Errorf("failed UPDATEs changed the table:\n%v\n%v", before, after)
	}
}

// TestColumns_UpdateKeepsIndex checks that UPDATE of a vector is seen by
// NEAREST through the HNSW index at once, and the old vector is not.
func TestColumns_UpdateKeepsIndex(t *testing.T) {
	d := docsDB(t)
	mustExec(t, d, `CREATE INDEX ON docs USING hnsw`)
	mustExec(t, d, `UPDATE docs SET vector = [-1, -1, -1] WHERE word = 'd3'`)
	got := rowsOf(t, d, `SELECT NEAREST([-1, -1, -1], 1) FROM docs`)
	if got[0][0] != "d3" {
		t.Errorf("NEAREST after UPDATE = %v, want d3", got)
	}
	got = rowsOf(t, d, `SELECT NEAREST([1, 1, 1], 4) FROM docs`)
	if len(got) != 4 || got[3][0] != "d3" {
		t.Errorf("NEAREST([1,1,1]) = %v: d3 should rank last", got)
	}
	if problems, err := d.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("Check = %v, %v", problems, err)
	}
}

func TestColumns_AlterTable(t *testing.T) {
	d := docsDB(t)
	mustExec(t, d, `ALTER TABLE docs ADD COLUMN lang TEXT DEFAULT 'en'`)
	mustExec(t, d, `INSERT INTO docs (word, vector, lang) VALUES ('d5', [1, 2, 3], 'fr')`)
	mustExec(t, d, `INSERT INTO docs (word, vector) VALUES ('d6', [1, 2, 4])`)
	mustExec(t, d, `UPDATE docs SET lang = NULL WHERE word = 'd2'`)
	got := rowsOf(t, d, `SELECT word, lang FROM docs ORDER BY word`)
	want := [][]any{{"d1", "en"}, {"d2", nil}, {"d3", "en"}, {"d4", "en"}, {"d5", "fr"}, {"d6", "en"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after ADD COLUMN: %v, want %v", got, want)
	}
	mustExec(t, d, `ALTER TABLE docs DROP COLUMN lang`)
	mustExec(t, d, `ALTER TABLE docs ADD lang INTEGER`)
	if got := rowsOf(t, d, `SELECT COUNT(lang) FROM docs`); got[0][0] != int64(0) {
		t.Errorf("a re-added column reads old values: %v", got)
	}
	for _, tt := range []struct{ sql, want string }{
		{`ALTER TABLE docs DROP COLUMN word`, `1:30: column "word" cannot be dropped: every table has it`},
		{`ALTER TABLE docs DROP COLUMN yaer`, `1:30: unknown column "yaer" (did you mean year?)`},
		{`ALTER TABLE docs ADD COLUMN title TEXT`, `1:29: db: invalid name: column "title" already exists in table "docs"`},
		{`ALTER TABLE docs ADD COLUMN must TEXT NOT NULL`, `1:29: db: NOT NULL constraint failed: column "must" is NOT NULL without a DEFAULT, and table "docs" has rows`},
	} {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
	}
	if problems, err := d.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("Check = %v, %v", problems, err)
	}
}

func TestColumns_Aggregates(t *testing.T) {
	d := docsDB(t)
	tests := []struct {
		sql  string
		want [][]any
	}{
		{`SELECT COUNT(*), COUNT(year), SUM(year), AVG(score), MIN(title), MAX(score) FROM docs`,
			[][]any{{int64(4), int64(3), int64(6064), 2.0, "Alpha", 4.0}}},
		{`SELECT year, COUNT(*), AVG(vector) FROM docs GROUP BY year HAVING COUNT(*) > 1 ORDER BY year`,
			[][]any{{int64(2020), int64(2), []float32{0.65, 0.6, 0.55}}}},
		{`SELECT year, COUNT(*) AS n FROM docs GROUP BY year ORDER BY COUNT(*) DESC, year`,
			[][]any{{int64(2020), int64(2)}, {nil, int64(1)}, {int64(2024), int64(1)}}},
		{`SELECT SUM(score), AVG(year) FROM docs WHERE word = 'none'`, [][]any{{nil, nil}}},
		{`SELECT COUNT(*) FROM docs WHERE year IS NULL`, [][]any{{int64(1)}}},
		{`SELECT draft, SUM(vector) FROM docs WHERE draft IS NOT NULL GROUP BY draft`,
			[][]any{{false, []float32{1.1, 1.2, 1.3}}, {true, []float32{0.3, 0.2, 0.1}}}},
		{`SELECT tags->>'lang' AS lang, COUNT(*) FROM docs WHERE tags IS NOT NULL GROUP BY tags->>'lang'`,
			[][]any{{nil, int64(1)}, {"en", int64(1)}, {"fr", int64(1)}}},
	}
	for _, tt := range tests {
		got := rowsOf(t, d, tt.sql)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.sql, got, tt.want)
		}
	}
	for _, tt := range []struct{ sql, want string }{
		{`SELECT title, COUNT(*) FROM docs GROUP BY year`, `1:8: column title must appear in GROUP BY or be used in an aggregate`},
		{`SELECT word, COUNT(*) FROM docs`, `1:8: cannot mix aggregates with per-row values in one select list: column word is in no aggregate (add GROUP BY word?)`},
		{`SELECT SUM(title) FROM docs`, `1:8: SUM needs numbers or vectors, found a string`},
		{`SELECT word FROM docs HAVING COUNT(*) > 1`, `1:8: cannot mix aggregates with per-row values in one select list: column word is in no aggregate (add GROUP BY word?)`},
		{`SELECT SUM(COUNT(*)) FROM docs`, `1:8: aggregates cannot be nested`},
	} {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
	}
}

func TestColumns_ExplainAggregate(t *testing.T) {
	d := docsDB(t)
	got := rowsOf(t, d, `EXPLAIN SELECT year, COUNT(*), AVG(score) FROM docs WHERE year > 2000 GROUP BY year HAVING COUNT(*) > 1 ORDER BY year`)
	var lines []string
	for _, r := range got {
		lines = append(lines, fmt.Sprint(r[0]))
	}
	want := "Sort (year)\n" +
		"-> Aggregate (year, COUNT(*), AVG(score), group by year, having COUNT(*) > 1)\n" +
		"   -> Filter (year > 2000)\n" +
		"      -> Scan on docs (4 rows)"
	if strings.Join(lines, "\n") != want {
		t.Errorf("EXPLAIN =\n%s\nwant\n%s", strings.Join(lines, "\n"), want)
	}
	if got := rowsOf(t, d, `EXPLAIN SELECT COUNT(*) FROM docs`); fmt.Sprint(got[0][0]) != "Aggregate (COUNT(*), from the row count of docs)" {
		t.Errorf("EXPLAIN COUNT(*) = %v", got)
	}
}

func TestColumns_InsertSelect(t *testing.T) {
	d := docsDB(t)
	mustExec(t, d, `CREATE TABLE recent (dim = 3, title TEXT, year INTEGER, note TEXT DEFAULT 'copied')`)
	res := mustExec(t, d, `INSERT INTO recent SELECT word, vector, title, year FROM docs WHERE year >= 2020 ORDER BY year DESC LIMIT 2`)
	if res.Rows[0][0] != int64(2) {
		t.Errorf("inserted %v rows, want 2", res.Rows[0][0])
	}
	mustExec(t, d, `INSERT INTO recent (word, vector, note) SELECT word, vector, 'x' FROM docs WHERE word = 'd4'`)
	got := rowsOf(t, d, `SELECT word, title, year, note FROM recent ORDER BY word`)
	want := [][]any{{"d1", "Intro", int64(2024), "copied"}, {"d2", "Alpha", int64(2020), "copied"}, {"d4", nil, nil, "x"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("recent = %v, want %v", got, want)
	}
	for _, tt := range []struct{ sql, want string }{
		{`INSERT INTO recent SELECT word, vector FROM docs`, `1:20: word "d1" is already in recent (use INSERT OR REPLACE to overwrite it)`},
		{`INSERT INTO recent (word, vector) SELECT word FROM docs`, `1:35: the SELECT gives 1 column for 2 listed columns`},
		{`INSERT INTO recent SELECT word, vector, score FROM docs`, `1:20: unknown column "score" (INSERT sets word, count, vector, title, year and note)`},
	} {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
	}
}

// execErrCase is a statement that must fail with the error want (its
// message, positions included) wrapping sentinel when that is not nil.
type execErrCase struct {
	sql, want string
	sentinel  error
}

// wantExecErrors runs each case's statement on d and reports any that
// does not fail as its case says.
func wantExecErrors(t *testing.T, d *db.DB, tests []execErrCase) {
	t.Helper()
	for _, tt := range tests {
		_, err := d.Exec(context.Background(), tt.sql)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.sql, err, tt.want)
		}
		if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
			t.Errorf("%s: error %v does not wrap %v", tt.sql, err, tt.sentinel)
		}
	}
}
