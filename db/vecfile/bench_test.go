package vecfile_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
)

// benchFiles caches generated benchmark inputs for the whole run, under one
// temporary directory removed by TestMain's caller (the OS) or reused.
var (
	benchMu    sync.Mutex
	benchCache = map[string]string{}
	benchDir   string
)

// benchFile returns a file of rows × dim standard-normal float32s (seeded)
// in the given format, making it once per process.
func benchFile(b *testing.B, format string, rows, dim int, dt vecfile.DType) string {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	key := fmt.Sprintf("%s-%d-%d-%s", format, rows, dim, dt)
	if p, ok := benchCache[key]; ok {
		return p
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "vecfile-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	ext := map[string]string{"text": ".txt", "binary": ".bin", "npy": ".npy", "safetensors": ".safetensors", "glove": ".glove.txt"}[format]
	path := filepath.Join(benchDir, key+ext)
	opts := vecfile.WriteOptions{DType: dt}
	if format == "glove" {
		opts.Format = vecfile.GloVe
	}
	w, err := vecfile.Create(path, rows, dim, opts)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(42, uint64(rows)))
	const chunk = 4096
	vecs := make([]float32, chunk*dim)
	words := make([]string, 0, chunk)
	for done := 0; done < rows; {
		n := min(chunk, rows-done)
		words = words[:0]
		for i := range n {
			words = append(words, strconv.Itoa(done+i))
		}
		for i := range vecs[:n*dim] {
			vecs[i] = float32(rng.NormFloat64())
		}
		var ws []string
		if format != "safetensors" {
			ws = words
		}
		if err := w.Write(ws, vecs[:n*dim]); err != nil {
			b.Fatal(err)
		}
		done += n
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	benchCache[key] = path
	return path
}

// benchRead reads path b.N times and reports MB/s and rows/s. The callback
// copies each batch out, as a database's bulk load must.
func benchRead(b *testing.B, path string, opts vecfile.ReadOptions) {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	var rows int64
	sink := make([]byte, 0, 8<<20)
	b.ResetTimer()
	cpu0 := processCPU()
	for range b.N {
		r, err := vecfile.Open(path, opts)
		if err != nil {
			b.Fatal(err)
		}
		err = r.Read(context.Background(), func(bt *vecfile.Batch) error {
			sink = append(sink[:0], bt.Data...)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		rows += r.Stats().Rows
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

func BenchmarkRead(b *testing.B) {
	for _, tt := range []struct {
		format    string
		rows, dim int
		dt        vecfile.DType
	}{
		{"text", 100_000, 100, vecfile.Float32},
		{"glove", 100_000, 100, vecfile.Float32},
		{"binary", 100_000, 100, vecfile.Float32},
		{"npy", 100_000, 100, vecfile.Float32},
		{"safetensors", 151_936, 1536, vecfile.BFloat16},
	} {
		name := fmt.Sprintf("%s/rows=%d/dim=%d/%s", tt.format, tt.rows, tt.dim, tt.dt)
		b.Run(name, func(b *testing.B) {
			path := benchFile(b, tt.format, tt.rows, tt.dim, tt.dt)
			opts := vecfile.ReadOptions{}
			if tt.format == "npy" {
				opts.WordsPath = strings.TrimSuffix(path, ".npy") + ".words.txt"
			}
			benchRead(b, path, opts)
		})
	}
}

// BenchmarkRead_Workers shows how text parsing scales with goroutines.
func BenchmarkRead_Workers(b *testing.B) {
	path := benchFile(b, "text", 100_000, 100, vecfile.Float32)
	for _, w := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			benchRead(b, path, vecfile.ReadOptions{Workers: w})
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	const rows, dim = 100_000, 100
	rng := rand.New(rand.NewPCG(1, 1))
	vecs := make([]float32, rows*dim)
	for i := range vecs {
		vecs[i] = float32(rng.NormFloat64())
	}
	words := make([]string, rows)
	for i := range words {
		words[i] = strconv.Itoa(i)
	}
	for _, tt := range []struct {
		name string
		opts vecfile.WriteOptions
	}{
		{"text", vecfile.WriteOptions{Format: vecfile.Word2VecText}},
		{"binary", vecfile.WriteOptions{Format: vecfile.Word2VecBinary}},
		{"npy", vecfile.WriteOptions{Format: vecfile.NPY}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "out")
			b.ReportAllocs()
			var size int64
			for range b.N {
				w, err := vecfile.Create(path, rows, dim, tt.opts)
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < rows; i += 10_000 {
					if err := w.Write(words[i:i+10_000], vecs[i*dim:(i+10_000)*dim]); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				fi, _ := os.Stat(path)
				size = fi.Size()
			}
			b.SetBytes(size)
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkReadFile reads the files named in EMBEDDB_VECFILE_BENCH_FILES
// ("label=path,label=path"); scripts/compare-load.sh uses it to time the
// reader on the same files as gensim.
func BenchmarkReadFile(b *testing.B) {
	spec := os.Getenv("EMBEDDB_VECFILE_BENCH_FILES")
	if spec == "" {
		b.Skip("set EMBEDDB_VECFILE_BENCH_FILES=label=path,... (see scripts/compare-load.sh)")
	}
	for _, item := range strings.Split(spec, ",") {
		label, path, ok := strings.Cut(item, "=")
		if !ok {
			b.Fatalf("EMBEDDB_VECFILE_BENCH_FILES item %q is not label=path", item)
		}
		b.Run(label, func(b *testing.B) {
			opts := vecfile.ReadOptions{}
			if strings.HasSuffix(path, ".npy") {
				opts.WordsPath = "-"
				if words := strings.TrimSuffix(path, ".npy") + ".words.txt"; fileExists(words) {
					opts.WordsPath = words
				}
			}
			benchRead(b, path, opts)
		})
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}
