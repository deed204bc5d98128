package index_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
)

var (
	quantBuiltMu sync.Mutex
	quantBuilt   = map[string]*index.HNSW{}
)

// quantFor builds (once per process) the dataset's index with quantization
// q on all cores, and drops its float32 vectors, as embeddb does: searches
// rescore through SearchOptions.Vectors.
func quantFor(b *testing.B, ds *benchDataset, q index.Quantization) *index.HNSW {
	if q == index.QuantNone {
		return hnswFor(b, ds)
	}
	quantBuiltMu.Lock()
	defer quantBuiltMu.Unlock()
	key := ds.name + "/" + q.String()
	if h := quantBuilt[key]; h != nil {
		return h
	}
	// With EMBEDDB_INDEX_DATA the build is kept beside the data, as
	// hnswFor keeps the float32 one.
	cache := ""
	if ds.dir != "" {
		cache = filepath.Join(ds.dir, "embeddb-hnsw-"+q.String()+".idx")
		if raw, err := os.ReadFile(cache); err == nil {
			h, err := index.ReadHNSW(bytes.NewReader(raw))
			if err != nil {
				b.Fatalf("%s: %v", cache, err)
			}
			quantBuilt[key] = h
			return h
		}
	}
	h, err := index.Build(context.Background(), ds.dim, seqIDs(ds.n), ds.base, index.Options{Quantization: q}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := h.DropVectors(); err != nil {
		b.Fatal(err)
	}
	if cache != "" {
		var buf bytes.Buffer
		if _, err := h.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(cache, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	quantBuilt[key] = h
	return h
}

// BenchmarkHNSW_Int8_VsFloat32 measures the float32 and the int8 index in
// one loop: each iteration runs the same query through both at the same
// ef_search, in turn, so that other processes on a shared machine slow
// both alike. It reports each one's recall@10, queries/s and queries per
// CPU second of the searching thread (which the machine's other load
// distorts less), their ratios, and the memory ratio; the queries/s of
// each at a recall level is then read off the ef_search values (int8
// walks with at least rescore × k candidates, so it reaches a given recall
// at a smaller ef).
func BenchmarkHNSW_Int8_VsFloat32(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		src := func(id uint32, dst []float32) error {
			copy(dst, ds.base[int(id)*ds.dim:int(id+1)*ds.dim])
			return nil
		}
		for _, rescore := range []int{1, 2, 4} {
			for _, ef := range []int{16, 24, 32, 48, 64, 96, 128, 192, 256, 384} {
				b.Run(fmt.Sprintf("%s/rescore=%d/ef=%d", ds.name, rescore, ef), func(b *testing.B) {
					benchInt8VsFloat32(b, ds, src, rescore, ef)
				})
			}
		}
	}
}

func benchInt8VsFloat32(b *testing.B, ds *benchDataset, src func(uint32, []float32) error, rescore, ef int) {
	f32, q8 := hnswFor(b, ds), quantFor(b, ds, index.QuantInt8)
	ctx := context.Background()
	searchF := func(i int) ([]index.Result, error) {
		o := ds.opts(i)
		o.EfSearch = ef
		return f32.Search(ctx, ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o)
	}
	searchQ := func(i int) ([]index.Result, error) {
		o := ds.opts(i)
		o.EfSearch, o.Vectors, o.Rescore = ef, src, rescore
		return q8.Search(ctx, ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o)
	}
	recF, recQ := recallOf(b, ds, searchF), recallOf(b, ds, searchQ)
	lockThread()
	defer unlockThread()
	var tf, tq, cf, cq time.Duration
	i := 0
	for b.Loop() {
		c0, t0 := threadCPU(), time.Now()
		if _, err := searchF(i); err != nil {
			b.Fatal(err)
		}
		c1, t1 := threadCPU(), time.Now()
		if _, err := searchQ(i); err != nil {
			b.Fatal(err)
		}
		cq += threadCPU() - c1
		tq += time.Since(t1)
		cf += c1 - c0
		tf += t1.Sub(t0)
		if i++; i == ds.nq {
			i = 0
		}
	}
	b.ReportMetric(recF, "f32-recall@10")
	b.ReportMetric(recQ, "int8-recall@10")
	b.ReportMetric(float64(b.N)/tf.Seconds(), "f32-queries/s")
	b.ReportMetric(float64(b.N)/tq.Seconds(), "int8-queries/s")
	b.ReportMetric(tf.Seconds()/tq.Seconds(), "int8/f32-speed")
	if cf > 0 && cq > 0 {
		b.ReportMetric(float64(b.N)/cf.Seconds(), "f32-queries/cpu-s")
		b.ReportMetric(float64(b.N)/cq.Seconds(), "int8-queries/cpu-s")
		b.ReportMetric(cf.Seconds()/cq.Seconds(), "int8/f32-cpu-speed")
	}
	b.ReportMetric(float64(q8.MemoryBytes())/float64(f32.MemoryBytes()), "int8/f32-memory")
}

// BenchmarkHNSW_Quantized_Search runs one query at a time on one goroutine
// through float32, int8 and binary indexes at several ef_search values
// (rescore 4, and 10 for binary), and reports recall@10 against the exact
// answer, queries/s, the index's memory per row and as a fraction of the
// float32 index's. The quantized indexes hold no float32 vectors; their
// rescoring reads the rows from the dataset, as embeddb's reads them from
// the table.
func BenchmarkHNSW_Quantized_Search(b *testing.B) {
	for _, ds := range benchDatasets(b) {
		src := func(id uint32, dst []float32) error {
			copy(dst, ds.base[int(id)*ds.dim:int(id+1)*ds.dim])
			return nil
		}
		for _, c := range []struct {
			q       index.Quantization
			rescore int
		}{{index.QuantNone, 0}, {index.QuantInt8, 4}, {index.QuantBinary, 10}} {
			for _, ef := range []int{16, 32, 64, 128, 256} {
				b.Run(fmt.Sprintf("%s/%s/ef=%d", ds.name, c.q, ef), func(b *testing.B) {
					f32 := hnswFor(b, ds)
					h := quantFor(b, ds, c.q)
					search := func(i int) ([]index.Result, error) {
						o := ds.opts(i)
						o.EfSearch, o.Rescore, o.Vectors = ef, c.rescore, src
						return h.Search(context.Background(), ds.qs[i*ds.dim:(i+1)*ds.dim], benchK, o)
					}
					rec := recallOf(b, ds, search)
					b.ReportAllocs()
					i := 0
					lockThread()
					defer unlockThread()
					for b.Loop() {
						if _, err := search(i); err != nil {
							b.Fatal(err)
						}
						if i++; i == ds.nq {
							i = 0
						}
					}
					b.ReportMetric(rec, "recall@10")
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
					b.ReportMetric(float64(h.MemoryBytes())/float64(ds.n), "bytes/vector")
					b.ReportMetric(float64(h.MemoryBytes())/float64(f32.MemoryBytes()), "mem/f32-index")
				})
			}
		}
	}
}

// recallOf is the mean recall@10 of search over the dataset's queries.
func recallOf(b *testing.B, ds *benchDataset, search func(i int) ([]index.Result, error)) float64 {
	hits := 0
	for i := range ds.nq {
		res, err := search(i)
		if err != nil {
			b.Fatal(err)
		}
		want := map[uint32]bool{}
		for _, id := range ds.gt[i] {
			want[id] = true
		}
		for _, r := range res {
			if want[r.ID] {
				hits++
			}
		}
	}
	return float64(hits) / float64(ds.nq*benchK)
}

// BenchmarkExactScan_Codes compares, in one run, an exact float32 scan
// (Flat) with the exact scan of int8 and binary codes (SET exact = on on a
// quantized index: codes, then rescoring the best 4 × k, or 3, 4 and 10 × k
// for binary) on 20,000 LLM-shaped rows of 1,536 dimensions (intrinsic
// dimension 64). Each iteration runs one query each way, in turn, so that
// the machine's load falls on both alike; it reports each one's queries/s,
// the codes' speed-up over float32 and recall@10 against Flat.
func BenchmarkExactScan_Codes(b *testing.B) {
	const n, dim, nq = 20000, 1536, 20
	vecs := latent(51, n+nq, dim, 64) // queries: the last nq, not indexed
	vecs, qs := vecs[:n*dim], vecs[n*dim:]
	ctx := context.Background()
	f := mustFlat(b, dim, index.Cosine, seqIDs(n), vecs)
	for _, c := range []struct {
		q       index.Quantization
		rescore int
	}{{index.QuantInt8, 4}, {index.QuantBinary, 3}, {index.QuantBinary, 4}, {index.QuantBinary, 10}} {
		b.Run(fmt.Sprintf("n=20k/dim=1536/%s/rescore=%d", c.q, c.rescore), func(b *testing.B) {
			h, err := index.Build(ctx, dim, seqIDs(n), vecs, index.Options{Quantization: c.q, M: 8, EfConstruction: 32}, nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := h.DropVectors(); err != nil {
				b.Fatal(err)
			}
			src := func(id uint32, dst []float32) error {
				copy(dst, vecs[int(id)*dim:int(id+1)*dim])
				return nil
			}
			o := index.SearchOptions{Exact: true, Rescore: c.rescore, Vectors: src}
			var hits int
			for i := range nq {
				q := qs[i*dim : (i+1)*dim]
				want, _ := f.Search(ctx, q, benchK, index.SearchOptions{})
				got, err := h.Search(ctx, q, benchK, o)
				if err != nil {
					b.Fatal(err)
				}
				hits += int(recallAt(got, want)*benchK + 0.5)
			}
			var tf, tc time.Duration
			i := 0
			for b.Loop() {
				q := qs[i*dim : (i+1)*dim]
				t0 := time.Now()
				if _, err := f.Search(ctx, q, benchK, index.SearchOptions{}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := h.Search(ctx, q, benchK, o); err != nil {
					b.Fatal(err)
				}
				tc += time.Since(t1)
				tf += t1.Sub(t0)
				i = (i + 1) % nq
			}
			b.ReportMetric(float64(b.N)/tf.Seconds(), "f32-queries/s")
			b.ReportMetric(float64(b.N)/tc.Seconds(), "code-queries/s")
			b.ReportMetric(tf.Seconds()/tc.Seconds(), "speedup")
			b.ReportMetric(float64(hits)/float64(nq*benchK), "recall@10")
			b.ReportMetric(float64(h.CodeBytes()), "code-bytes/vector")
		})
	}
}
