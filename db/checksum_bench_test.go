package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkChecksumCost measures what verifying checksums costs the reads
// they guard: the same 200,000 × 100 table in a format-1 file (no
// checksums) and a format-2 file, each operation timed on both in turns in
// one run, reported as format-2 time over format-1 time.
func BenchmarkChecksumCost(b *testing.B) {
	const rows, dim = 200_000, 100
	dir := b.TempDir()
	var dbs [2]*DB
	for i, format := range []uint32{1, 2} {
		path := filepath.Join(dir, fmt.Sprintf("f%d.db", format))
		loadRandom(b, path, rows, dim, formatOptions(format))
		d, err := Open(path, &Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		dbs[i] = d
	}
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	ops := []struct {
		name string
		n    int
		run  func(d *DB, i int) error
	}{
		{"lookup", 20000, func(d *DB, i int) error {
			_, err := d.Lookup(ctx, "t", fmt.Sprintf("w%d", rng.IntN(rows)))
			return err
		}},
		{"exact_nearest", 20, func(d *DB, i int) error {
			_, err := d.Exec(ctx, fmt.Sprintf("SELECT NEAREST('w%d', 10) FROM t", rng.IntN(rows)))
			return err
		}},
		{"scan", 20, func(d *DB, i int) error {
			return d.View(ctx, func(tx *Tx) error {
				return tx.ScanVectors("t", func(uint32, []float32) error { return nil })
			})
		}},
	}
	b.ResetTimer()
	for range b.N {
		for _, op := range ops {
			var el [2]time.Duration
			for i := range op.n {
				for j, d := range dbs {
					start := time.Now()
					if err := op.run(d, i); err != nil {
						b.Fatal(err)
					}
					el[j] += time.Since(start)
				}
			}
			b.ReportMetric(float64(el[1])/float64(el[0]), op.name+"_f2/f1")
			b.ReportMetric(float64(el[1].Nanoseconds())/float64(op.n), op.name+"_ns")
		}
	}
}
