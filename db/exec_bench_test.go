package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// BenchmarkExec_ParsePlan parses a typical statement and plans it (EXPLAIN
// resolves the table and chooses the access path) without running it: the
// language's fixed cost per statement. The parse cache is bypassed by
// varying the text.
func BenchmarkExec_ParsePlan(b *testing.B) {
	d := MustOpenDB(b)
	mustExec(b, d, "CREATE TABLE w2v (dim = 3); INSERT INTO w2v VALUES ('python', [1, 2, 3])")
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := db.CPUTimeForTest()
	for i := 0; i < b.N; i++ {
		sql := fmt.Sprintf("EXPLAIN SELECT NEAREST('python', %d) FROM w2v WHERE word LIKE 'p%%' LIMIT 5", i%1000+1)
		stmts, err := query.Parse(sql)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := d.Run(ctx, stmts[0])
		if err != nil {
			b.Fatal(err)
		}
		rows.Close()
	}
	// CPU time per statement: the machine is shared, and the wall clock
	// measures the others' work too.
	b.ReportMetric(float64(db.CPUTimeForTest()-cpu0)/float64(b.N), "cpu-ns/op")
}
