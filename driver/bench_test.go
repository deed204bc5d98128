package driver_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/driver"
)

// BenchmarkNearest runs SELECT NEAREST(?, ?) on 100k rows of dimension
// 100 through the native API and through database/sql, alternating, and
// reports the driver's time over the native time (the target is at most
// 1.10), both measured in the same run.
func BenchmarkNearest(b *testing.B) {
	const n, dim = 100_000, 100
	d, err := db.Open(filepath.Join(b.TempDir(), "b.db"), &db.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	w, err := d.BulkLoad(ctx, "t", db.TableSpec{Dim: dim}, nil)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	words := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	for i := range vecs {
		vecs[i] = rng.Float32() - 0.5
	}
	if err := w.Append(words, nil, vecs); err != nil {
		b.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	sqldb := sql.OpenDB(driver.NewConnector(d))
	defer sqldb.Close()
	const q = "SELECT NEAREST(?, ?) FROM t"
	native := func(word string) {
		rows, err := d.Query(ctx, q, word, 10)
		drain(b, rows, err)
	}
	viaSQL := func(word string) {
		rows, err := sqldb.QueryContext(ctx, q, word, 10)
		drain(b, rows, err)
	}
	native(words[0]) // warm the exact-search matrix
	viaSQL(words[0])
	b.ReportAllocs()
	b.ResetTimer()
	var tn, ts time.Duration
	for i := 0; b.Loop(); i++ {
		word := words[rng.IntN(n)]
		t0 := time.Now()
		native(word)
		t1 := time.Now()
		viaSQL(word)
		tn, ts = tn+t1.Sub(t0), ts+time.Since(t1)
	}
	b.ReportMetric(float64(ts)/float64(tn), "driver/native")
	b.ReportMetric(float64(tn.Microseconds())/float64(b.N), "native-µs/op")
	b.ReportMetric(float64(ts.Microseconds())/float64(b.N), "driver-µs/op")
}

// resultRows is what *db.Rows and *sql.Rows have in common.
type resultRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// drain scans every (word, similarity) row, as a program would.
func drain(b *testing.B, rows resultRows, err error) {
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var s string
	var sim float32
	for rows.Next() {
		if err := rows.Scan(&s, &sim); err != nil {
			b.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
}
