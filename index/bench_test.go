package index_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
)

// A benchDataset is a set of rows, queries and their exact top-10.
//
// By default the benchmarks generate clustered synthetic data (seeded) at
// n = 10k and 100k, and 1M as well when EMBEDDB_BENCH_1M=1. With
// EMBEDDB_INDEX_DATA=DIR they instead read the files that
// scripts/compare_index.py prepare writes (meta.json, base.f32,
// queries.f32, gt.i32, and qids.i32 for word vectors), so that embeddb and
// hnswlib are measured on the same vectors.
type benchDataset struct {
	name  string
	dir   string // EMBEDDB_INDEX_DATA, where the built graph is cached
	n     int
	dim   int
	base  []float32
	qs    []float32
	nq    int
	gt    [][]uint32 // exact top-10 of each query
	qids  []uint32   // for word vectors: the query's own row, excluded
	flatQ int        // queries used for the Flat benchmark
}

const benchK = 10

var (
	datasetsOnce sync.Once
	datasets     []*benchDataset
	builtMu      sync.Mutex
	built        = map[string]*index.HNSW{}
)

func benchDatasets(b *testing.B) []*benchDataset {
	datasetsOnce.Do(func() {
		if dir := os.Getenv("EMBEDDB_INDEX_DATA"); dir != "" {
			ds, err := loadDataset(dir)
			if err != nil {
				b.Fatalf("EMBEDDB_INDEX_DATA: %v", err)
			}
			datasets = []*benchDataset{ds}
			return
		}
		sizes := []int{10_000, 100_000}
		if os.Getenv("EMBEDDB_BENCH_1M") == "1" {
			sizes = append(sizes, 1_000_000)
		}
		for _, n := range sizes {
			datasets = append(datasets, syntheticDataset(b, n, 100, 1000))
		}
	})
	return datasets
}

func sizeName(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func syntheticDataset(b *testing.B, n, dim, nq int) *benchDataset {
	ds := &benchDataset{
		name: fmt.Sprintf("n=%s/dim=%d", sizeName(n), dim),
		n:    n, dim: dim, nq: nq,
		base: clustered(1, n, dim),
		qs:   queriesNear(1, n, dim, nq),
	}
	f := mustFlat(b, dim, index.Cosine, seqIDs(n), ds.base)
	ds.gt = make([][]uint32, nq)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < nq; i += workers {
				res, err := f.Search(context.Background(), ds.qs[i*dim:(i+1)*dim], benchK, index.SearchOptions{})
				if err != nil {
					b.Error(err)
					return
				}
				for _, r := range res {
					ds.gt[i] = append(ds.gt[i], r.ID)
				}
			}
		})
	}
	wg.Wait()
	ds.flatQ = min(nq, max(20, 20_000_000/n))
	return ds
}

func loadDataset(dir string) (*benchDataset, error) {
	var meta struct {
		Name string `json:"name"`
		N    int    `json:"n"`
		Dim  int    `json:"dim"`
		NQ   int    `json:"nq"`
		K    int    `json:"k"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, err
	}
	ds := &benchDataset{name: meta.Name, dir: dir, n: meta.N, dim: meta.Dim, nq: meta.NQ}
	if ds.base, err = readF32(filepath.Join(dir, "base.f32"), meta.N*meta.Dim); err != nil {
		return nil, err
	}
	if ds.qs, err = readF32(filepath.Join(dir, "queries.f32"), meta.NQ*meta.Dim); err != nil {
		return nil, err
	}
	gt, err := readI32(filepath.Join(dir, "gt.i32"), meta.NQ*meta.K)
	if err != nil {
		return nil, err
	}
	ds.gt = make([][]uint32, meta.NQ)
	for i := range ds.gt {
		ds.gt[i] = gt[i*meta.K : i*meta.K+benchK]
	}
	if _, err := os.Stat(filepath.Join(dir, "qids.i32")); err == nil {
		if ds.qids, err = readI32(filepath.Join(dir, "qids.i32"), meta.NQ); err != nil {
			return nil, err
		}
	}
	ds.flatQ = min(meta.NQ, max(20, 20_000_000/meta.N))
	return ds, nil
}

func readF32(path string, n int) ([]float32, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) != 4*n {
		return nil, fmt.Errorf("%s: %d bytes, want %d", path, len(raw), 4*n)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out, nil
}

func readI32(path string, n int) ([]uint32, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) != 4*n {
		return nil, fmt.Errorf("%s: %d bytes, want %d", path, len(raw), 4*n)
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(raw[4*i:])
	}
	return out, nil
}

func (ds *benchDataset) opts(i int) index.SearchOptions {
	if ds.qids == nil {
		return index.SearchOptions{}
	}
	return index.SearchOptions{Exclude: ds.qids[i : i+1]}
}

// recall is the mean recall@10 of ix over all queries at ef.
func (ds *benchDataset) recall(b *testing.B, ix index.Index, ef int) float64 {
	return recallOf(b, ds, func(i int) ([]index.Result, error) {
		o := ds.opts(i)
		o.EfSearch = ef
		return ix.Search(context.Background(), ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o)
	})
}

// hnswFor returns the dataset's index built with default options on all
// cores: built once per process, or read from the file that
// BenchmarkHNSW_Build saved in the data directory.
func hnswFor(b *testing.B, ds *benchDataset) *index.HNSW {
	builtMu.Lock()
	defer builtMu.Unlock()
	if h := built[ds.name]; h != nil {
		return h
	}
	if raw, err := os.ReadFile(ds.cacheFile()); err == nil {
		h, err := index.ReadHNSW(bytes.NewReader(raw))
		if err != nil {
			b.Fatalf("%s: %v", ds.cacheFile(), err)
		}
		// The file keeps the ef_search it was built with; measure today's default.
		if err := h.SetEfSearch(index.DefaultEfSearch); err != nil {
			b.Fatal(err)
		}
		built[ds.name] = h
		return h
	}
	t0 := time.Now()
	h, err := index.Build(context.Background(), ds.dim, seqIDs(ds.n), ds.base, index.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ds.save(b, h, time.Since(t0))
	built[ds.name] = h
	return h
}

func (ds *benchDataset) cacheFile() string {
	if ds.dir == "" {
		return ""
	}
	return filepath.Join(ds.dir, "embeddb-hnsw.idx")
}

// save keeps a default-options build (2 workers) for the other benchmarks:
// in memory, and in the data directory if there is one.
func (ds *benchDataset) save(b *testing.B, h *index.HNSW, took time.Duration) {
	buildSeconds.Store(ds.name, took.Seconds())
	if ds.dir == "" {
		return
	}
	var buf bytes.Buffer
	if _, err := h.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(ds.cacheFile(), buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(ds.cacheFile()+".build-s", []byte(fmt.Sprint(took.Seconds())), 0o644); err != nil {
		b.Fatal(err)
	}
}

// buildTime returns the wall time of the saved 2-worker build, if known.
func (ds *benchDataset) buildTime() (float64, bool) {
	if v, ok := buildSeconds.Load(ds.name); ok {
		return v.(float64), true
	}
	raw, err := os.ReadFile(ds.cacheFile() + ".build-s")
	if err != nil {
		return 0, false
	}
	var sec float64
	_, err = fmt.Sscan(string(raw), &sec)
	return sec, err == nil
}

var buildSeconds sync.Map

// BenchmarkHNSW_Build builds the index with 1 and 2 workers (m 16,
// ef_construction 200) and reports inserts/s and the built index's memory
// as a multiple of the raw vector bytes.
func BenchmarkHNSW_Build(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", ds.name, workers), func(b *testing.B) {
				b.ReportAllocs()
				var h *index.HNSW
				var took time.Duration
				for b.Loop() {
					var err error
					t0 := time.Now()
					h, err = index.Build(context.Background(), ds.dim, seqIDs(ds.n), ds.base,
						index.Options{Workers: workers, M: 16, EfConstruction: 200}, nil)
					if err != nil {
						b.Fatal(err)
					}
					took = time.Since(t0)
				}
				b.ReportMetric(float64(ds.n)*float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
				b.ReportMetric(float64(h.MemoryBytes())/float64(ds.n*ds.dim*4), "mem/raw")
				if workers == 2 {
					b.StopTimer()
					ds.save(b, h, took)
					builtMu.Lock()
					built[ds.name] = h
					builtMu.Unlock()
				}
			})
		}
	}
}

// BenchmarkHNSW_Search runs one query at a time on one goroutine at several
// ef_search values (0: the default, 64) and reports recall@10 against the exact
// answer and queries/s.
func BenchmarkHNSW_Search(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		for _, ef := range []int{10, 20, 40, 0, 100, 200} {
			b.Run(fmt.Sprintf("%s/ef=%d", ds.name, ef), func(b *testing.B) {
				searchBench(b, ds, hnswFor(b, ds), ef)
			})
		}
	}
}

// searchBench times h's searches of the dataset's queries at ef, one at a
// time on one locked thread, and reports recall@10, queries/s and queries
// per CPU second of that thread.
func searchBench(b *testing.B, ds *benchDataset, h *index.HNSW, ef int) {
	rec := ds.recall(b, h, ef)
	b.ReportAllocs()
	ctx := context.Background()
	i := 0
	lockThread()
	defer unlockThread()
	cpu0 := threadCPU()
	for b.Loop() {
		o := ds.opts(i)
		o.EfSearch = ef
		if _, err := h.Search(ctx, ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o); err != nil {
			b.Fatal(err)
		}
		if i++; i == ds.nq {
			i = 0
		}
	}
	cpu := threadCPU() - cpu0
	b.ReportMetric(rec, "recall@10")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "queries/cpu-s")
}

// BenchmarkFlat_Search runs exact searches one at a time on one goroutine
// and reports queries/s; the bytes per op are the vectors one query reads.
func BenchmarkFlat_Search(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		b.Run(ds.name, func(b *testing.B) {
			f := mustFlat(b, ds.dim, index.Cosine, seqIDs(ds.n), ds.base)
			b.SetBytes(int64(ds.n * ds.dim * 4))
			b.ReportAllocs()
			ctx := context.Background()
			i := 0
			lockThread()
			defer unlockThread()
			cpu0 := threadCPU()
			for b.Loop() {
				if _, err := f.Search(ctx, ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, ds.opts(i)); err != nil {
					b.Fatal(err)
				}
				if i++; i == ds.flatQ {
					i = 0
				}
			}
			cpu := threadCPU() - cpu0
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "queries/cpu-s")
		})
	}
}

// BenchmarkHNSW_Load reads a serialized index back (ReadHNSW from memory)
// and reports MB/s and the load time as a fraction of a 2-worker build.
func BenchmarkHNSW_Load(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		b.Run(ds.name, func(b *testing.B) {
			h := hnswFor(b, ds)
			buildS, ok := ds.buildTime()
			var buf bytes.Buffer
			if _, err := h.WriteTo(&buf); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if _, err := index.ReadHNSW(bytes.NewReader(buf.Bytes())); err != nil {
					b.Fatal(err)
				}
			}
			loadS := b.Elapsed().Seconds() / float64(b.N)
			if ok {
				b.ReportMetric(loadS/buildS, "load/build")
			}
			b.ReportMetric(float64(buf.Len())/float64(ds.n*ds.dim*4), "file/raw")
		})
	}
}
