package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

// BenchmarkSelect_ScalarIndex measures a plain SELECT ... WHERE on a
// column with a scalar index against the same statement on a table of the
// same rows without one (a scan), taking turns in one run so that both
// see the same machine: n rows (EMBEDDB_BENCH_SCALAR_N, default 100,000)
// with year INTEGER uniform over 1,000 values, title TEXT and score REAL,
// at selectivities 0.1% to 20%. It reports each side's time per query and
// their ratio (x-faster, scan / index); where the planner chooses the scan
// on both tables, the ratio is about 1.
func BenchmarkSelect_ScalarIndex(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("EMBEDDB_BENCH_SCALAR_N")); err == nil && v > 0 {
		n = v
	}
	d := MustOpenDB(b)
	loadScalarBench(b, d, n)
	shapes := []struct{ name, sql string }{
		{"select", "SELECT word, title, score FROM %s WHERE %s AND score > 0.25"},
		{"count", "SELECT COUNT(*) FROM %s WHERE %s"},
	}
	for _, sel := range []struct {
		name, where string
	}{
		{"sel=0.1%", "year = 7"},
		{"sel=1%", "year < 10"},
		{"sel=5%", "year < 50"},
		{"sel=10%", "year < 100"},
		{"sel=20%", "year < 200"},
		{"sel=1%/like", "title LIKE 't07%'"},
	} {
		for _, sh := range shapes {
			b.Run(sel.name+"/"+sh.name, func(b *testing.B) {
				indexed := fmt.Sprintf(sh.sql, "docs", sel.where)
				scanned := fmt.Sprintf(sh.sql, "plain", sel.where)
				if got, want := resultText(b, d, indexed), resultText(b, d, scanned); got != want {
					b.Fatalf("%s gave %s, the scan %s", indexed, got, want)
				}
				var ti, ts time.Duration
				b.ReportAllocs()
				for b.Loop() {
					t0 := time.Now()
					resultText(b, d, indexed)
					t1 := time.Now()
					resultText(b, d, scanned)
					ti, ts = ti+t1.Sub(t0), ts+time.Since(t1)
				}
				b.ReportMetric(float64(ti.Nanoseconds())/float64(b.N), "ns-index/op")
				b.ReportMetric(float64(ts.Nanoseconds())/float64(b.N), "ns-scan/op")
				b.ReportMetric(float64(ts)/float64(ti), "x-faster")
			})
		}
	}
}

// loadScalarBench makes docs (with scalar indexes on year and title) and
// plain (the same rows, no index).
func loadScalarBench(b *testing.B, d *db.DB, n int) {
	ctx := context.Background()
	const dim = 16
	rng := rand.New(rand.NewPCG(16, 3))
	rows := make([]db.Row, n)
	for i := range rows {
		v := make([]float32, dim)
		for j := range v {
			v[j] = rng.Float32()
		}
		year := rng.IntN(1000)
		rows[i] = db.Row{Word: "d" + strconv.Itoa(i), Vector: v, Cols: map[string]any{
			"year": int64(year), "title": fmt.Sprintf("t%03d-%d", year, i), "score": rng.Float64()}}
	}
	for _, tn := range []string{"docs", "plain"} {
		if _, err := d.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (dim = %d, year INTEGER, title TEXT, score REAL)", tn, dim)); err != nil {
			b.Fatal(err)
		}
		for lo := 0; lo < n; lo += 5000 {
			if err := d.Insert(ctx, tn, rows[lo:min(lo+5000, n)]...); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := d.Exec(ctx, "CREATE INDEX ON docs (year); CREATE INDEX ON docs (title)"); err != nil {
		b.Fatal(err)
	}
}

// resultText runs sql and returns its rows as one string.
func resultText(tb testing.TB, d *db.DB, sql string) string {
	tb.Helper()
	res, err := d.Exec(context.Background(), sql)
	if err != nil {
		tb.Fatalf("Exec(%q): %v", sql, err)
	}
	var sb strings.Builder
	for _, r := range res.Rows {
		fmt.Fprintln(&sb, r...)
	}
	return sb.String()
}
