package index_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/embeddb/embeddb/index"
	"github.com/embeddb/embeddb/internal/vec"
)

// BenchmarkRowFetch_Int8VsFloat32 measures the part of a layer-0
// expansion that quantization can make cheaper: fetching and scoring the
// unvisited neighbours' rows. Each iteration scores a batch of 20 rows
// drawn at random from a table the size of the peers' (331,479 × 100),
// once as float32 rows (400 bytes, vec.DotBatch) and once as int8 codes
// (100 bytes, vec.DotU8BatchStride), each after prefetching its batch as
// the walk does, both arrays on huge pages as an index's are. The next
// batch's rows depend on this one's scores, so batches do not overlap, as
// the walk's expansions cannot. It reports each one's ns per batch and
// their ratio: the most an int8 walk can save on its rows, where
// everything else an expansion does (links, visited marks, heaps) costs
// float32 and int8 alike.
func BenchmarkRowFetch_Int8VsFloat32(b *testing.B) {
	const n, dim, batch = 331_479, 100, 20
	rng := rand.New(rand.NewPCG(5, 6))
	rows := make([]float32, n*dim)
	for i := range rows {
		rows[i] = float32(rng.NormFloat64())
	}
	wlen := (dim + vec.CodeAlign - 1) / vec.CodeAlign * vec.CodeAlign
	codes := make([]uint8, n*dim+wlen-dim) // the kernel reads the last row on into padding
	for i := range codes[:n*dim] {
		codes[i] = uint8(rng.Uint32())
	}
	index.AdviseHugeF32(rows)
	index.AdviseHugeU8(codes)
	q := rows[:dim]
	w := make([]int16, wlen) // zero past dim, as an index's weights are
	for i := range w[:dim] {
		w[i] = int16(rng.IntN(1 << 12))
	}
	// Two streams of indexes, one per kind, so that neither finds rows the
	// other left in the caches.
	const stream = 1 << 19
	drawsF, drawsQ := make([]uint32, stream), make([]uint32, stream)
	for i := range stream {
		drawsF[i], drawsQ[i] = rng.Uint32N(n), rng.Uint32N(n)
	}
	outF, outQ := make([]float32, batch), make([]int32, batch)
	lockThread()
	defer unlockThread()
	var tf, tq time.Duration
	pf, pq := 0, 0 // where each stream's next batch starts
	for b.Loop() {
		t0 := time.Now()
		idx := drawsF[pf : pf+batch]
		vec.PrefetchRows(rows, dim, idx)
		vec.DotBatch(q, rows, idx, outF)
		pf = (pf + batch + int(math.Float32bits(outF[0])&1)) % (stream - batch)
		t1 := time.Now()
		idx = drawsQ[pq : pq+batch]
		vec.PrefetchRowsStride(codes, dim, dim, idx)
		vec.DotU8BatchStride(w, codes, dim, idx, outQ)
		pq = (pq + batch + int(outQ[0]&1)) % (stream - batch)
		tq += time.Since(t1)
		tf += t1.Sub(t0)
	}
	b.ReportMetric(float64(tf.Nanoseconds())/float64(b.N), "f32-ns/batch")
	b.ReportMetric(float64(tq.Nanoseconds())/float64(b.N), "int8-ns/batch")
	b.ReportMetric(tf.Seconds()/tq.Seconds(), "int8/f32-speed")
}
