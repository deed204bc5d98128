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
	tests := []struct {
		sql, want string
		sentinel  error
	}{
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
