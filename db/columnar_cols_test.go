package db_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/db/columnar"
)

// colsTable makes table name with a column of every type (and a NOT NULL
// one with a default), rows rows, NULLs scattered through each column.
func colsTable(t *testing.T, d *db.DB, name string, rows int) {
	t.Helper()
	mustExec(t, d, "CREATE TABLE "+name+` (dim = 3, title TEXT, year INTEGER, score REAL, ok BOOLEAN, meta JSON,
		lang TEXT NOT NULL DEFAULT 'en')`)
	for i := range rows {
		val := func(k int, v string) string {
			if (i+k)%4 == 0 {
				return "NULL"
			}
			return v
		}
		mustExec(t, d, fmt.Sprintf(`INSERT INTO %s (word, vector, title, year, score, ok, meta, lang) VALUES
			('w%d', [%d, 1, -1], %s, %s, %s, %s, %s, '%s')`, name, i, i,
			val(0, fmt.Sprintf("'título %d'", i)), val(1, fmt.Sprint(int64(i)*1_000_000_007-1<<40)),
			val(2, fmt.Sprint(float64(i)/3)), val(3, fmt.Sprint(i%2 == 0)), val(0, fmt.Sprintf(`'{"i": %d}'`, i)),
			[]string{"en", "fr"}[i%2]))
	}
}

// selectAll returns every row of table name, columns as SELECT * gives
// them but id (ids may differ between tables).
func selectAll(t *testing.T, d *db.DB, name string) ([]string, [][]any) {
	t.Helper()
	res := mustExec(t, d, "SELECT word, count, vector, title, year, score, ok, meta, lang FROM "+name+" ORDER BY word")
	return res.Columns, res.Rows
}

// TestColumnar_Columns_RoundTrip exports a table with a column of every
// type, NULLs among them, to Parquet and Arrow, imports each back, and
// compares every value, the columns' declarations and CHECK DATABASE.
func TestColumnar_Columns_RoundTrip(t *testing.T) {
	d := MustOpenDB(t)
	colsTable(t, d, "docs", 40)
	wantCols, want := selectAll(t, d, "docs")
	wantDesc := describeColumns(t, d, "docs")
	for _, ext := range []string{"parquet", "arrow"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "docs."+ext)
			mustExec(t, d, "EXPORT docs TO '"+path+"'")
			mustExec(t, d, "IMPORT back_"+ext+" FROM '"+path+"'")
			gotCols, got := selectAll(t, d, "back_"+ext)
			if !reflect.DeepEqual(gotCols, wantCols) {
				t.Fatalf("columns %v, want %v", gotCols, wantCols)
			}
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for i := range want {
				for j := range want[i] {
					if !reflect.DeepEqual(got[i][j], want[i][j]) {
						t.Fatalf("row %d column %s = %#v, want %#v", i, wantCols[j], got[i][j], want[i][j])
					}
				}
			}
			if got := describeColumns(t, d, "back_"+ext); !reflect.DeepEqual(got, wantDesc) {
				t.Errorf("declarations %v, want %v", got, wantDesc)
			}
			// The columns work as INSERT's do: a filter, a scalar index.
			mustExec(t, d, "CREATE INDEX ON back_"+ext+" (year)")
			res := mustExec(t, d, "SELECT word FROM back_"+ext+" WHERE year = 5000000035 - 1099511627776 AND ok = TRUE")
			if len(res.Rows) != 0 {
				t.Errorf("row 5 is odd: ok is false; got %v", res.Rows)
			}
			res = mustExec(t, d, "SELECT word, lang FROM back_"+ext+" WHERE year = 6000000042 - 1099511627776")
			if len(res.Rows) != 1 || res.Rows[0][0] != "w6" || res.Rows[0][1] != "en" {
				t.Errorf("WHERE year = ... gave %v, want w6 en", res.Rows)
			}
			if res := mustExec(t, d, "CHECK DATABASE"); res.Rows[0][0] != "ok" {
				t.Errorf("CHECK DATABASE: %v", res.Rows)
			}
		})
	}
}

// describeColumns returns DESCRIBE's column.* lines of table name.
func describeColumns(t *testing.T, d *db.DB, name string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, r := range mustExec(t, d, "DESCRIBE "+name).Rows {
		if k, _ := r[0].(string); strings.HasPrefix(k, "column.") {
			out[k] = r[1]
		}
	}
	if len(out) == 0 {
		t.Fatalf("DESCRIBE %s shows no columns", name)
	}
	return out
}

// TestColumnar_Columns_IntoTable imports Parquet and Arrow files into an
// existing table: the rows are added, the file's columns map by name onto
// the table's (an integer into REAL too), its scalar index follows, and a
// column of the wrong type, a column the table lacks or a bad row is an
// error that changes nothing.
func TestColumnar_Columns_IntoTable(t *testing.T) {
	d := MustOpenDB(t)
	dir := t.TempDir()
	colsTable(t, d, "src", 12)
	pq, arrow := filepath.Join(dir, "src.parquet"), filepath.Join(dir, "src.arrow")
	mustExec(t, d, "EXPORT src TO '"+pq+"'")
	mustExec(t, d, "EXPORT src TO '"+arrow+"'")
	mustExec(t, d, "CREATE TABLE dst (dim = 3, year REAL, title TEXT, extra INTEGER DEFAULT 7)")
	mustExec(t, d, "CREATE INDEX ON dst (title)")
	mustExec(t, d, "INSERT INTO dst (word, vector, title) VALUES ('old', [1, 2, 3], 'título 2')")
	res := mustExec(t, d, "IMPORT dst FROM '"+pq+"' WITH (columns = 'title, year')")
	if res.Rows[0][1] != int64(12) {
		t.Fatalf("IMPORT into dst: %v", res.Rows)
	}
	res = mustExec(t, d, "SELECT word, year, extra FROM dst WHERE title = 'título 2' ORDER BY word")
	want := [][]any{{"old", nil, int64(7)}, {"w2", float64(2*1_000_000_007 - 1<<40), int64(7)}}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("WHERE title = 'título 2' (indexed) gave %v, want %v", res.Rows, want)
	}
	count := func() any { return mustExec(t, d, "SELECT COUNT(*) FROM dst").Rows[0][0] }
	before := count()
	for _, tc := range []struct{ sql, want string }{
		{"IMPORT dst FROM '" + arrow + "' WITH (columns = 'title, score, ok')",
			arrow + `: column "score": table "dst" has no such column; ALTER TABLE "dst" ADD COLUMN adds it, WITH (columns = '...') names the columns to import`},
		{"IMPORT dst FROM '" + pq + "'", `column "score": table "dst" has no such column`},
		{"IMPORT dst FROM '" + pq + "' WITH (columns = 'title')", pq + `: row 1: word already in table: "w0" in table "dst"`},
		{"IMPORT dst FROM '" + pq + "' WITH (columns = 'nope')", `has no column "nope" besides the vector, key and count`},
		{"IMPORT dst FROM '" + pq + "' WITH (columns = 'title', metric = 'dot')", "metric is a new table's; table \"dst\" exists"},
	} {
		_, err := d.Exec(context.Background(), tc.sql)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.sql, err, tc.want)
		}
	}
	// Names match as DuckDB's BY NAME does: in any case.
	mustExec(t, d, "CREATE TABLE upper (dim = 3, Title TEXT, YEAR INTEGER)")
	mustExec(t, d, "IMPORT upper FROM '"+pq+"' WITH (columns = 'title, year')")
	res = mustExec(t, d, "SELECT word, Title, YEAR FROM upper WHERE word = 'w2'")
	if want := [][]any{{"w2", "título 2", int64(2*1_000_000_007 - 1<<40)}}; !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("IMPORT into upper-case columns: %v, want %v", res.Rows, want)
	}
	mustExec(t, d, "CREATE TABLE typed (dim = 3, year TEXT, ok INTEGER)")
	_, err := d.Exec(context.Background(), "IMPORT typed FROM '"+pq+"' WITH (columns = 'year')")
	if want := `1:19: ` + pq + `: column "year" is int64 in the file, but TEXT in table "typed"`; err == nil || err.Error() != want {
		t.Errorf("type mismatch:\n got %v\nwant %s", err, want)
	}
	_, err = d.Exec(context.Background(), "IMPORT typed FROM '"+arrow+"' WITH (columns = 'ok')")
	if want := arrow + `: column "ok" is bool in the file, but INTEGER in table "typed"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("type mismatch:\n got %v\nwant %s", err, want)
	}
	if got := count(); got != before {
		t.Errorf("failed IMPORTs changed dst: %v rows, were %v", got, before)
	}
	// duplicates = 'skip' adds only the words the table lacks.
	mustExec(t, d, "DELETE FROM dst WHERE word = 'w5'")
	res = mustExec(t, d, "IMPORT dst FROM '"+arrow+"' WITH (columns = 'title', duplicates = 'skip')")
	if res.Rows[0][1] != int64(1) || res.Rows[0][5] != int64(11) {
		t.Errorf("IMPORT with duplicates = 'skip': %v, want 1 row added, 11 skipped", res.Rows)
	}
	if res := mustExec(t, d, "CHECK DATABASE"); res.Rows[0][0] != "ok" {
		t.Errorf("CHECK DATABASE: %v", res.Rows)
	}
}

// TestColumnar_Columns_FailedImport has a value no column can hold deep in
// a file: IMPORT into a new table leaves no table, and IMPORT ... WITH
// (replace = true) leaves the old table as it was.
func TestColumnar_Columns_FailedImport(t *testing.T) {
	d := MustOpenDB(t)
	for _, ext := range []string{"parquet", "arrow"} {
		path := filepath.Join(t.TempDir(), "nan."+ext)
		const rows = 20000
		w, err := columnar.Create(path, 2, columnar.WriteOptions{GroupRows: 1000,
			Columns: []columnar.Field{{Name: "score", Type: columnar.ValueFloat}}})
		if err != nil {
			t.Fatal(err)
		}
		words, vecs, scores := make([]string, rows), make([]float32, 2*rows), make([]any, rows)
		for i := range words {
			words[i], scores[i] = fmt.Sprintf("w%d", i), float64(i)
		}
		scores[rows-10] = math.NaN()
		if err := w.WriteColumns(words, nil, nil, vecs, [][]any{scores}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = d.Exec(context.Background(), "IMPORT x FROM '"+path+"'")
		if want := `row 19990 ("w19990"): column "score" is REAL, cannot store real NaN`; err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("IMPORT of a NaN score: %v, want %s", err, want)
		}
		if _, err := d.Table(context.Background(), "x"); !errors.Is(err, db.ErrNoTable) {
			t.Errorf("a failed IMPORT left table x: %v", err)
		}
		mustExec(t, d, "CREATE TABLE keep_"+ext+" (dim = 2, score REAL)")
		mustExec(t, d, "INSERT INTO keep_"+ext+" (word, vector, score) VALUES ('a', [1, 2], 0.5)")
		if _, err := d.Exec(context.Background(), "IMPORT keep_"+ext+" FROM '"+path+"' WITH (replace = true)"); err == nil {
			t.Fatal("IMPORT ... WITH (replace = true) of a NaN score succeeded")
		}
		if _, err := d.Exec(context.Background(), "IMPORT keep_"+ext+" FROM '"+path+"'"); err == nil {
			t.Fatal("IMPORT into keep of a NaN score succeeded")
		}
		res := mustExec(t, d, "SELECT word, score FROM keep_"+ext)
		if !reflect.DeepEqual(res.Rows, [][]any{{"a", 0.5}}) {
			t.Errorf("failed IMPORTs changed keep_%s: %v", ext, res.Rows)
		}
	}
}

// TestColumnar_Columns_DuckDB imports the Parquet file DuckDB wrote
// (scripts/columnar-peers.sh golden) with its columns, and checks what
// DuckDB recorded of reading them back from embeddb's export.
func TestColumnar_Columns_DuckDB(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT c FROM 'testdata/columnar/duckdb.parquet' WITH (vector = 'embedding')")
	got := describeColumns(t, d, "c")
	want := map[string]any{"column.n": "INTEGER", "column.title": "TEXT", "column.year": "INTEGER", "column.score": "REAL", "column.ok": "BOOLEAN"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DuckDB's columns became %v, want %v", got, want)
	}
	// The values DuckDB computed (columnar_peers.mjs): row r of word wNNNN.
	res := mustExec(t, d, "SELECT word, n, title, year, score, ok FROM c ORDER BY word")
	if len(res.Rows) != 1000 {
		t.Fatalf("%d rows", len(res.Rows))
	}
	for r, row := range res.Rows {
		nullIf := func(k int, v any) any {
			if r%k == 0 {
				return nil
			}
			return v
		}
		want := []any{fmt.Sprintf("w%04d", r), int64(5), nullIf(7, fmt.Sprintf("title of w%04d", r)),
			nullIf(5, int64(1900+r)), nullIf(3, float64(r)/8), nullIf(11, r%2 == 0)}
		if !reflect.DeepEqual(row, want) {
			t.Fatalf("row %d = %v, want %v", r, row, want)
		}
	}
	// The TIMESTAMP column of duckdb_f64.parquet has no column type.
	_, err := d.Exec(context.Background(), "IMPORT f FROM 'testdata/columnar/duckdb_f64.parquet' WITH (vector = 'emb', key = 'token')")
	if want := `column "at" is timestamp, which a table column cannot hold; WITH (columns = '') leaves it out`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("IMPORT of a TIMESTAMP column: %v, want %s", err, want)
	}

	b, err := os.ReadFile("testdata/columnar/duckdb_cols.json")
	if err != nil {
		t.Fatal(err)
	}
	var dc struct {
		Describe []map[string]any `json:"describe"`
		Rows     json.Number      `json:"rows"`
		OnlyE    json.Number      `json:"only_in_embeddb"`
		OnlyD    json.Number      `json:"only_in_duckdb"`
		Nulls    map[string]string
	}
	if err := json.Unmarshal(b, &dc); err != nil {
		t.Fatal(err)
	}
	types := map[string]any{}
	for _, r := range dc.Describe {
		types[r["column_name"].(string)] = r["column_type"]
	}
	wantTypes := map[string]any{"word": "VARCHAR", "id": "BIGINT", "count": "BIGINT", "n": "BIGINT", "title": "VARCHAR",
		"year": "BIGINT", "score": "DOUBLE", "ok": "BOOLEAN", "vector": "FLOAT[]"}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("DuckDB read embeddb's export as %v, want %v", types, wantTypes)
	}
	if dc.Rows != "1000" || dc.OnlyE != "0" || dc.OnlyD != "0" {
		t.Errorf("DuckDB: %s rows, %s only in embeddb's export, %s only in its own; want 1000, 0, 0", dc.Rows, dc.OnlyE, dc.OnlyD)
	}
	// embeddb's own count of the NULLs DuckDB counted in its export.
	for col, n := range dc.Nulls {
		got := mustExec(t, d, "SELECT COUNT(*) FROM c WHERE "+col+" IS NULL").Rows[0][0]
		if fmt.Sprint(got) != n {
			t.Errorf("%s: %v NULLs here, DuckDB read %s", col, got, n)
		}
	}
}
