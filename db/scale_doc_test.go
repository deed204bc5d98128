package db_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestScaleDoc runs every embeddb statement docs/scale.md shows, as
// written, on a table named w2v: the EXPORTs and IMPORTs quoted inline
// and in sql blocks, and the SELECT of the Elasticsearch pipeline. DuckDB's
// statements in it are run by scripts/columnar-peers.sh.
func TestScaleDoc(t *testing.T) {
	doc, err := os.ReadFile("../docs/scale.md")
	if err != nil {
		t.Fatal(err)
	}
	stmts := scaleDocStatements(string(doc))
	if len(stmts) < 6 {
		t.Fatalf("found %d statements in docs/scale.md: %q", len(stmts), stmts)
	}
	data, err := filepath.Abs(columnarData)
	if err != nil {
		t.Fatal(err)
	}
	d := MustOpenDB(t)
	t.Chdir(t.TempDir())
	mustExec(t, d, "IMPORT w2v FROM '"+data+"'")
	// The files the IMPORTs name: a directory Spark saved (here, the
	// Spark export), and a Parquet file with other column names.
	mustExec(t, d, "EXPORT w2v TO 'dir' WITH (format = 'spark')")
	writeIDEmbedding(t, "file.parquet")
	for _, s := range stmts {
		if _, err := d.Exec(t.Context(), s); err != nil {
			t.Errorf("docs/scale.md: %s: %v", s, err)
			continue
		}
		if strings.HasPrefix(s, "IMPORT t ") {
			if got := mustExec(t, d, "SELECT count(*) FROM t").Rows[0][0]; got != int64(1000) && got != int64(3) {
				t.Errorf("%s imported %v rows", s, got)
			}
			mustExec(t, d, "DROP TABLE t")
		}
	}
}

// scaleDocStatements returns the embeddb statements of docs/scale.md, each
// once, in order.
func scaleDocStatements(doc string) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSuffix(strings.TrimSpace(s), ";")
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, m := range regexp.MustCompile("`((?:EXPORT|IMPORT) [^`]*)`").FindAllStringSubmatch(doc, -1) {
		add(m[1])
	}
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(doc, -1) {
		if !strings.HasPrefix(m[1], "--") { // "-- in duckdb": DuckDB's
			add(m[1])
		}
	}
	for _, m := range regexp.MustCompile(`embeddb -mode jsonl words\.db "([^"]*)"`).FindAllStringSubmatch(doc, -1) {
		add(m[1])
	}
	return out
}

// writeIDEmbedding writes a Parquet file of three rows with an integer id
// and a list<float> embedding, as another tool would.
func writeIDEmbedding(t *testing.T, path string) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "embedding", Type: arrow.ListOf(arrow.PrimitiveTypes.Float32)},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	lb := b.Field(1).(*array.ListBuilder)
	for i := range 3 {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		lb.Append(true)
		lb.ValueBuilder().(*array.Float32Builder).AppendValues([]float32{float32(i), 1}, nil)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := pqarrow.WriteTable(array.NewTableFromRecords(schema, []arrow.RecordBatch{rec}), f, 3, nil, pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
}
