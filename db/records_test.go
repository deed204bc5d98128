package db_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

func TestRecords_ImportExportJSONL(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "docs.jsonl")
	os.WriteFile(src, []byte(`{"id": "a1", "embedding": [0.1, 0.2, 0.3], "title": "Intro", "year": 2024, "score": 1, "draft": false, "tags": {"lang": "en"}}
{"id": "a2", "embedding": [0.3, 0.2, 0.1], "title": "Alpha", "year": 2020, "score": 2.5, "draft": true, "tags": ["x"]}
{"id": "a3", "embedding": [1, 1, 1], "title": null}
`), 0o600)
	d := MustOpenDB(t)
	mustExec(t, d, `IMPORT docs FROM ? WITH (format = 'jsonl', key = 'id', vector = 'embedding')`, src)
	got := rowsOf(t, d, `SELECT word, title, year, score, draft, tags->>'lang' FROM docs ORDER BY word`)
	want := [][]any{
		{"a1", "Intro", int64(2024), 1.0, false, "en"},
		{"a2", "Alpha", int64(2020), 2.5, true, nil},
		{"a3", nil, nil, nil, nil, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imported %v, want %v", got, want)
	}
	for _, format := range []string{"jsonl", "csv"} {
		out := filepath.Join(dir, "out."+format)
		mustExec(t, d, `EXPORT docs TO ? WITH (format = ?)`, out, format)
		mustExec(t, d, `IMPORT back FROM ? WITH (format = ?, replace = true)`, out, format)
		back := rowsOf(t, d, `SELECT word, vector, title, year, score, draft FROM back ORDER BY word`)
		orig := rowsOf(t, d, `SELECT word, vector, title, year, score, draft FROM docs ORDER BY word`)
		if !reflect.DeepEqual(back, orig) {
			t.Errorf("%s round trip: %v, want %v", format, back, orig)
		}
	}
	// Into an existing table, the rows are added with its column types.
	more := filepath.Join(dir, "more.csv")
	os.WriteFile(more, []byte("word,vector,year,draft\nb1,\"[0,0,1]\",1999,true\n"), 0o600)
	mustExec(t, d, `IMPORT docs FROM ? WITH (format = 'csv')`, more)
	if got := rowsOf(t, d, `SELECT year, draft FROM docs WHERE word = 'b1'`); !reflect.DeepEqual(got, [][]any{{int64(1999), true}}) {
		t.Errorf("CSV into docs: %v", got)
	}
}

func TestRecords_ImportErrors(t *testing.T) {
	dir := t.TempDir()
	d := docsDB(t)
	before := rowsOf(t, d, `SELECT COUNT(*) FROM docs`)
	tests := []struct {
		name, content, want string
		sentinel            error
	}{
		{"bad.jsonl", "{\"word\": \"x1\", \"vector\": [1, 2, 3]}\n{\"word\": \"x2\", \"vector\": [1, 2, 3], \"year\": \"soon\"}\n",
			`bad.jsonl:2: field "year": column "year" is INTEGER, cannot store text "soon"`, nil},
		{"dup.jsonl", "{\"word\": \"x1\", \"vector\": [1, 2, 3]}\n{\"word\": \"d1\", \"vector\": [1, 2, 3]}\n",
			`dup.jsonl:2: db: word already in table: "d1" in table "docs"`, db.ErrWordExists},
		{"col.jsonl", "{\"word\": \"x1\", \"vector\": [1, 2, 3], \"titel\": \"a\"}\n",
			`col.jsonl:1: field "titel": db: no such column`, db.ErrNoColumn},
		{"dim.csv", "word,vector\nx1,\"[1,2]\"\n", `dim.csv:2: `, nil},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		os.WriteFile(path, []byte(tt.content), 0o600)
		format := strings.TrimPrefix(filepath.Ext(path), ".")
		_, err := d.Exec(context.Background(), `IMPORT docs FROM ? WITH (format = ?)`, path, format)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
		if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
			t.Errorf("%s: error %v does not wrap %v", tt.name, err, tt.sentinel)
		}
	}
	if after := rowsOf(t, d, `SELECT COUNT(*) FROM docs`); !reflect.DeepEqual(after, before) {
		t.Errorf("failed IMPORTs added rows: %v, was %v", after, before)
	}
}

// TestLibrary_InsertCols inserts and reads rows with columns through the
// Go API.
func TestLibrary_InsertCols(t *testing.T) {
	d := docsDB(t)
	ctx := context.Background()
	err := d.Insert(ctx, "docs", db.Row{Word: "lib", Vector: []float32{1, 2, 3}, Cols: map[string]any{"year": 2030, "title": "API", "tags": map[string]any{"k": 1}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.Lookup(ctx, "docs", "lib")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"title": "API", "year": int64(2030), "score": nil, "draft": nil, "tags": `{"k":1}`}
	if !reflect.DeepEqual(r.Cols, want) {
		t.Errorf("Lookup Cols = %v, want %v", r.Cols, want)
	}
	err = d.Insert(ctx, "docs", db.Row{Word: "bad", Vector: []float32{1, 2, 3}, Cols: map[string]any{"year": "x"}})
	var te *db.ColumnTypeError
	if !errors.As(err, &te) || te.Column != "year" {
		t.Errorf("Insert of a text year: %v", err)
	}
	rows, err := d.Query(ctx, `SELECT title, year FROM docs WHERE word = 'lib'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var title string
	var year int64
	for rows.Next() {
		if err := rows.Scan(&title, &year); err != nil {
			t.Fatal(err)
		}
	}
	if title != "API" || year != 2030 {
		t.Errorf("Scan = %q, %d", title, year)
	}
}
