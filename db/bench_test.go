package db_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db"
)

const benchRows, benchDim = 1_000_000, 100

var (
	benchOnce sync.Once
	benchDir  string
	benchPath string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	for _, dir := range benchDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// loadBench bulk-loads n rows of dim random float32 into table "t" of a
// new database at path, returning the raw bytes it was given.
func loadBench(tb testing.TB, path string, n, dim int) (rawBytes int64) {
	ctx := context.Background()
	d, err := db.Open(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close()
	w, err := d.BulkLoad(ctx, "t", db.TableSpec{Dim: dim}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	const batch = 10_000
	words, counts, vecs := randRows(batch, dim, 7)
	for i := 0; i < n; i += batch {
		for j := range words {
			words[j] = "w" + itoa(i+j)
		}
		if err := w.Append(words, counts, vecs); err != nil {
			tb.Fatal(err)
		}
		for _, word := range words {
			rawBytes += int64(len(word))
		}
	}
	if _, err := w.Commit(); err != nil {
		tb.Fatal(err)
	}
	return rawBytes + int64(n*dim*4)
}

// benchDB returns the path of a shared database of 1M × 100 rows, made once
// per run; with EMBEDDB_BENCH_DB set, made once at that path and kept, so
// repeated runs skip the load.
func benchDB(b *testing.B) string {
	if p := os.Getenv("EMBEDDB_BENCH_DB"); p != "" {
		benchOnce.Do(func() {
			if _, err := os.Stat(p); err != nil {
				loadBench(b, p, benchRows, benchDim)
			}
		})
		return p
	}
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "embeddb-bench")
		if benchErr != nil {
			return
		}
		benchPath = filepath.Join(benchDir, "bench.db")
		loadBench(b, benchPath, benchRows, benchDim)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

// BenchmarkBulkLoad loads 1M × 100 float32 rows: rows/s, and the file size
// relative to the raw float32 bytes plus the words.
func BenchmarkBulkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "load.db")
		start := time.Now()
		raw := loadBench(b, path, benchRows, benchDim)
		el := time.Since(start)
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.Remove(path) // as BenchmarkImport says why
		b.StartTimer()
		b.ReportMetric(float64(benchRows)/el.Seconds(), "rows/s")
		b.ReportMetric(el.Seconds(), "s/load")
		b.ReportMetric(float64(st.Size())/float64(raw), "disk/raw")
	}
}

// BenchmarkLookup looks vectors up by word at random.
func BenchmarkLookup(b *testing.B) {
	d, err := db.Open(benchDB(b), &db.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 4096)
	for i := range words {
		words[i] = "w" + itoa(rng.IntN(benchRows))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Lookup(ctx, "t", words[i%len(words)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanVectors reads every vector of the 1M-row table: GB/s of
// float32 delivered.
func BenchmarkScanVectors(b *testing.B) {
	d, err := db.Open(benchDB(b), &db.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	b.SetBytes(benchRows * benchDim * 4)
	b.ResetTimer()
	var sum float32
	for i := 0; i < b.N; i++ {
		err := d.View(ctx, func(tx *db.Tx) error {
			return tx.ScanVectors("t", func(first uint32, vecs []float32) error {
				sum += vecs[0]
				return nil
			})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*benchRows*benchDim*4/b.Elapsed().Seconds()/1e9, "GB/s")
	_ = sum
}

// BenchmarkOpen opens the 1M-row database (read-write, as the shell does)
// and closes it.
func BenchmarkOpen(b *testing.B) {
	path := benchDB(b)
	b.ResetTimer()
	var opening time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		d, err := db.Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		opening += time.Since(start)
		d.Close()
	}
	b.ReportMetric(opening.Seconds()*1e3/float64(b.N), "ms/open")
}

// BenchmarkBackup backs up a database of about 1 GB (2.5M × 100 float32)
// while another goroutine looks words up, and reports the lookups' p99
// latency during the backup against the p99 with nothing else running.
// With EMBEDDB_BENCH_BIG set, the database is made once at that path.
func BenchmarkBackup(b *testing.B) {
	path := os.Getenv("EMBEDDB_BENCH_BIG")
	if path == "" {
		path = filepath.Join(b.TempDir(), "big.db")
	}
	if _, err := os.Stat(path); err != nil {
		loadBench(b, path, 2_500_000, benchDim)
	}
	d, err := db.Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 9))
	lookup := func() time.Duration {
		w := "w" + itoa(rng.IntN(2_500_000))
		start := time.Now()
		if _, err := d.Lookup(ctx, "t", w); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	p99 := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)*99/100]
	}
	for i := 0; i < b.N; i++ {
		var idle []time.Duration
		for j := 0; j < 20000; j++ {
			idle = append(idle, lookup())
		}
		dst := filepath.Join(b.TempDir(), "backup.db")
		done := make(chan error, 1)
		start := time.Now()
		go func() {
			_, err := d.Backup(ctx, dst)
			done <- err
		}()
		var during []time.Duration
	loop:
		for {
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				break loop
			default:
				during = append(during, lookup())
			}
		}
		el := time.Since(start)
		st, _ := os.Stat(dst)
		os.Remove(dst) // as BenchmarkImport says why
		b.ReportMetric(float64(st.Size())/el.Seconds()/1e6, "MB/s")
		b.ReportMetric(float64(p99(idle).Microseconds()), "µs-p99-idle")
		b.ReportMetric(float64(p99(during).Microseconds()), "µs-p99-backup")
		b.ReportMetric(float64(p99(during))/float64(p99(idle)), "p99-ratio")
		b.ReportMetric(float64(len(during)), "lookups-during")
	}
}
