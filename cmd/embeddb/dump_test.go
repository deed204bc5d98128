package main

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// dumpSource makes a database with tables of every kind a dump must
// carry: trained, with gaps in its ids (deleted rows, the last ones too),
// with an index, of each element type and metric, with an odd name, empty,
// with user columns (a NOT NULL one, one added later), and with words that
// look like comments, statement ends and dot-commands.
func dumpSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.db")
	script := `
TRAIN w2v FROM '../../testdata/train-data.txt' WITH (vector_size = 16, min_count = 1, workers = 1, seed = 7);
DELETE FROM w2v WHERE word = 'python';
CREATE INDEX ON w2v USING hnsw WITH (m = 8, ef_construction = 40, ef_search = 50);
CREATE TABLE pets (dim = 3, metric = 'dot');
INSERT INTO pets VALUES ('cat', 2, [0.1, 0.2, 0.3]), ('it''s', 10, [1e-30, -2.5, 3e38]), ('emu', [1, 2, 3]), ('yak', [3, 2, 1]);
DELETE FROM pets WHERE word = 'cat' OR word = 'yak';
CREATE TABLE "odd ""name""" (dim = 2, type = 'float16', metric = 'euclidean');
INSERT INTO "odd ""name""" VALUES ('embeddb-dump-gap-1', [0.5, 0.25]), ('b', [1, 2]), ('日本', [-1, 65504]);
DELETE FROM "odd ""name""" WHERE word = 'b';
CREATE TABLE bf (dim = 4, type = 'bfloat16');
INSERT INTO bf VALUES ('a', [0.1, 0.2, 0.3, 0.4]), ('b', [1, 2, 3, 4]);
CREATE INDEX ON bf USING hnsw;
CREATE TABLE docs (dim = 2, title TEXT, year INTEGER NOT NULL DEFAULT 0, score REAL, draft BOOLEAN, tags JSON);
INSERT INTO docs (word, vector, title, year, score, draft, tags) VALUES ('a', [1, 0], 'it''s', 2020, 0.1, TRUE, '{"k": [1, "x"]}'),
  ('b', [0, 1], NULL, 1, NULL, NULL, NULL), ('c', [1, 1], 'c', 3, 2.5, FALSE, '[]');
DELETE FROM docs WHERE word = 'b';
ALTER TABLE docs ADD COLUMN lang TEXT DEFAULT 'en';
CREATE TABLE empty (dim = 5);
CREATE TABLE odd (dim = 1);
INSERT INTO odd VALUES ('a
b', [1]), ('x;y', [2]), ('--c', [3]), ('/*', [4]), ('
.tables', [5]), ('日本語', [6]);
`
	if r := runMain(t, "", path, script); r.code != 0 {
		t.Fatalf("making %s: %s", path, r.stderr)
	}
	return path
}

// TestDump_RoundTrip pipes .dump of a database into a fresh one, as
// embeddb a.db .dump | embeddb b.db does, and compares every table: its
// shape, its rows (ids, words, counts, vectors), the answers of NEAREST
// for each of its words and the next id, and its index.
func TestDump_RoundTrip(t *testing.T) {
	src := dumpSource(t)
	dump := runMain(t, "", src, ".dump")
	if dump.code != 0 || dump.stderr != "" {
		t.Fatalf(".dump: exit %d, stderr %q", dump.code, dump.stderr)
	}
	dst := filepath.Join(t.TempDir(), "b.db")
	if r := runMain(t, dump.stdout, dst); r.code != 0 || r.stderr != "" {
		t.Fatalf("reading the dump back: exit %d, stderr %q\nthe dump:\n%s", r.code, r.stderr, dump.stdout)
	}
	a, b := openRO(t, src), openRO(t, dst)
	ctx := context.Background()
	ta, err := a.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ta) != len(tb) || len(ta) != 7 {
		t.Fatalf("%d tables, read back as %d; want 7", len(ta), len(tb))
	}
	for i := range ta {
		t.Run(ta[i].Name, func(t *testing.T) { compareTables(t, a, b, ta[i], tb[i]) })
	}
}

func openRO(t *testing.T, path string) *db.DB {
	t.Helper()
	d, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// compareTables checks that table y of b is table x of a made again.
func compareTables(t *testing.T, a, b *db.DB, x, y *db.TableInfo) {
	if x.Name != y.Name || x.Dim != y.Dim || x.Elem != y.Elem || x.Metric != y.Metric || x.Rows != y.Rows || x.NextID != y.NextID {
		t.Errorf("table %+v, read back as %+v", x, y)
	}
	if a, b := columnShapes(x.Columns), columnShapes(y.Columns); !reflect.DeepEqual(a, b) {
		t.Errorf("columns %v, read back as %v", a, b)
	}
	if (x.Index == nil) != (y.Index == nil) {
		t.Fatalf("index %+v, read back as %+v", x.Index, y.Index)
	}
	if x.Index != nil && (x.Index.Method != y.Index.Method || !reflect.DeepEqual(x.Index.Params, y.Index.Params)) {
		t.Errorf("index %s %v, read back as %s %v", x.Index.Method, x.Index.Params, y.Index.Method, y.Index.Params)
	}
	rowsA, rowsB := allRows(t, a, x.Name), allRows(t, b, y.Name)
	if !reflect.DeepEqual(rowsA, rowsB) {
		t.Errorf("rows %v, read back as %v", rowsA, rowsB)
	}
	ctx := context.Background()
	for _, r := range rowsA {
		q := "SELECT NEAREST(VECTOR(?), 5) FROM " + query.QuoteIdent(x.Name)
		na, errA := a.Exec(ctx, q, r.Word)
		nb, errB := b.Exec(ctx, q, r.Word)
		if errA != nil || errB != nil {
			t.Fatalf("%s for %q: %v, %v", q, r.Word, errA, errB)
		}
		if !reflect.DeepEqual(na.Rows, nb.Rows) {
			t.Errorf("%s for %q = %v, read back %v", q, r.Word, na.Rows, nb.Rows)
		}
	}
}

func allRows(t *testing.T, d *db.DB, table string) []db.Row {
	t.Helper()
	var rows []db.Row
	err := d.View(context.Background(), func(tx *db.Tx) error {
		return tx.ForEach(table, true, func(r db.Row) error {
			rows = append(rows, r)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// columnShapes are what a table's user columns are as a statement defines
// them: name, type, NOT NULL and default.
func columnShapes(cols []db.Column) []string {
	var out []string
	for _, c := range cols {
		out = append(out, fmt.Sprintf("%s %s %v %v", c.Name, c.Type, c.NotNull, c.Default))
	}
	return out
}
