// Command annquant measures embeddb's quantized indexes on the data that
// ../shared/peers/ann/run.sh prepares (its prep step), in the JSON lines
// that run.sh's summarize.py reads, so that they join the peers' table:
// the bare index (index.Build with Quantization, float32 vectors dropped,
// rescoring through SearchOptions.Vectors) and the SQL path (CREATE INDEX
// ... WITH (quantization = ..., rescore = ...), prepared SELECT NEAREST(?,
// 10), SET ef_search, SET exact = on). The helpers are those of
// ../shared/peers/ann/go/main.go.
//
// Usage:
//
//	go run ./scripts/annquant DATA_DIR WORK_DIR
//
// With REUSE_DB=path it opens that database (the shared runner's ann.db,
// indexed) and runs only the SET recall targets, as peer
// embeddb-sql-setrecall.
//
// Environment: QUANTS ("int8 binary"; "none" for float32), RECALLS ("0.9 0.95
// 0.99": SET recall targets run after the ef_search sweep), RESCORE ("4"; binary uses
// BINARY_RESCORE, "10"), BUILD_THREADS ("2"), EFS, REPS (3), EXACT_NQ
// (500), PARTS ("index sql").
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/index"
)

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func emit(m map[string]any) {
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
	os.Stdout.Sync()
}

// readNpy reads a 2-D little-endian float32 or int32 .npy file.
func readNpy(path string) (raw []byte, rows, cols int, descr string) {
	b, err := os.ReadFile(path)
	must(err)
	if string(b[1:6]) != "NUMPY" {
		must(fmt.Errorf("%s: not npy", path))
	}
	var hl, off int
	if b[6] == 1 {
		hl, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	} else {
		hl, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	}
	h := string(b[off : off+hl])
	descr = h[strings.Index(h, "'descr': '")+10:]
	descr = descr[:strings.Index(descr, "'")]
	s := h[strings.Index(h, "'shape': (")+10:]
	s = s[:strings.Index(s, ")")]
	parts := strings.Split(s, ",")
	rows, _ = strconv.Atoi(strings.TrimSpace(parts[0]))
	cols, _ = strconv.Atoi(strings.TrimSpace(parts[1]))
	return b[off+hl:], rows, cols, descr
}

func f32(path string) ([]float32, int, int) {
	raw, r, c, d := readNpy(path)
	if d != "<f4" {
		must(fmt.Errorf("%s: dtype %s", path, d))
	}
	out := make([]float32, r*c)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out, r, c
}

func i32(path string) ([]int32, int, int) {
	raw, r, c, d := readNpy(path)
	if d != "<i4" {
		must(fmt.Errorf("%s: dtype %s", path, d))
	}
	out := make([]int32, r*c)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out, r, c
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Fields(s) {
		n, err := strconv.Atoi(f)
		must(err)
		out = append(out, n)
	}
	return out
}

func median(a []float64) float64 {
	b := append([]float64(nil), a...)
	sort.Float64s(b)
	return b[len(b)/2]
}

func recall(got [][]int32, gt []int32, k int) float64 {
	hit := 0
	for q, g := range got {
		want := gt[q*k : (q+1)*k]
		for _, id := range g {
			for _, w := range want {
				if id == w {
					hit++
					break
				}
			}
		}
	}
	return float64(hit) / float64(len(got)*k)
}

type bench struct {
	ctx     context.Context
	qs      []float32
	gtIDs   []int32
	nq, dim int
	k       int
	efs     []int
	reps    int
	exactNQ int
}

func (b *bench) query(i int) []float32 { return b.qs[i*b.dim : (i+1)*b.dim] }

// sweep runs every ef REPS times over all queries, one goroutine,
// GOMAXPROCS 1, as the shared runner does.
func (b *bench) sweep(peer string, setEf func(ef int), search func(q []float32) []int32) {
	runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(runtime.NumCPU())
	for _, ef := range b.efs {
		setEf(ef)
		got, qps := b.timed(search)
		emit(map[string]any{"peer": peer, "kind": "search", "ef": ef, "recall": recall(got, b.gtIDs, b.k),
			"qps": median(qps), "qps_runs": qps, "nq": b.nq})
	}
}

// timed runs every query REPS times and returns the answers and the
// queries/s of each run.
func (b *bench) timed(search func(q []float32) []int32) ([][]int32, []float64) {
	got := make([][]int32, b.nq)
	var qps []float64
	for r := 0; r < b.reps; r++ {
		runtime.GC()
		t0 := time.Now()
		for i := 0; i < b.nq; i++ {
			got[i] = search(b.query(i))
		}
		qps = append(qps, float64(b.nq)/time.Since(t0).Seconds())
	}
	return got, qps
}

func (b *bench) exact(peer string, search func(q []float32) []int32) {
	runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(runtime.NumCPU())
	m := min(b.exactNQ, b.nq)
	got := make([][]int32, m)
	var qps []float64
	for r := 0; r < b.reps; r++ {
		runtime.GC()
		t0 := time.Now()
		for i := 0; i < m; i++ {
			got[i] = search(b.query(i))
		}
		qps = append(qps, float64(m)/time.Since(t0).Seconds())
	}
	emit(map[string]any{"peer": peer, "kind": "exact", "recall": recall(got, b.gtIDs[:m*b.k], b.k), "qps": median(qps), "qps_runs": qps, "nq": m})
}

func ids32(res []index.Result) []int32 {
	out := make([]int32, len(res))
	for i, r := range res {
		out[i] = int32(r.ID)
	}
	return out
}

func rescoreFor(q string) int {
	if q == "binary" {
		n, _ := strconv.Atoi(env("BINARY_RESCORE", "10"))
		return n
	}
	n, _ := strconv.Atoi(env("RESCORE", "4"))
	return n
}

// bare measures the index package with quantization q.
func (b *bench) bare(base []float32, n int, qname string, threads int) {
	peer := "embeddb-index-" + qname
	q, err := index.ParseQuantization(qname)
	must(err)
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = uint32(i)
	}
	runtime.GC()
	debug.FreeOSMemory()
	runtime.GOMAXPROCS(threads)
	t0 := time.Now()
	h, err := index.Build(b.ctx, b.dim, ids, base, index.Options{M: 16, EfConstruction: 200, Workers: threads, Seed: 1,
		Quantization: q, Rescore: rescoreFor(qname)}, nil)
	must(err)
	sec := time.Since(t0).Seconds()
	runtime.GOMAXPROCS(runtime.NumCPU())
	emit(map[string]any{"peer": peer, "kind": "build", "threads": threads, "seconds": sec})
	if q != index.QuantNone {
		must(h.DropVectors())
	}
	emit(map[string]any{"peer": peer, "kind": "memory", "bytes": h.MemoryBytes(), "code_bytes": h.CodeBytes(),
		"note": "graph and codes; rescoring reads the float32 rows from the caller"})
	src := func(id uint32, dst []float32) error {
		copy(dst, base[int(id)*b.dim:int(id+1)*b.dim])
		return nil
	}
	ef := 0
	b.sweep(peer, func(e int) { ef = e }, func(qv []float32) []int32 {
		res, err := h.Search(b.ctx, qv, b.k, index.SearchOptions{EfSearch: ef, Vectors: src})
		must(err)
		return ids32(res)
	})
	b.exact(peer, func(qv []float32) []int32 {
		res, err := h.Search(b.ctx, qv, b.k, index.SearchOptions{Exact: true, Vectors: src})
		must(err)
		return ids32(res)
	})
}

// sql measures the SQL path with quantization q on table t of d.
// recalls runs the queries at each SET recall of RECALLS ("0.9 0.95
// 0.99"), as peer-setrecall, recording the setting that the index's
// calibration chose (EXPLAIN) beside the recall reached on the held-out
// queries.
func (b *bench) recalls(d *db.DB, peer string, search func(q []float32) []int32) {
	for _, r := range strings.Fields(env("RECALLS", "0.9 0.95 0.99")) {
		_, err := d.Exec(b.ctx, "SET recall = "+r)
		must(err)
		res, err := d.Exec(b.ctx, "EXPLAIN SELECT NEAREST(?, 10) FROM t", b.query(0))
		must(err)
		plan := fmt.Sprint(res.Rows[0][0])
		target, _ := strconv.ParseFloat(r, 64)
		runtime.GOMAXPROCS(1)
		got, qps := b.timed(search)
		runtime.GOMAXPROCS(runtime.NumCPU())
		emit(map[string]any{"peer": peer + "-setrecall", "kind": "search", "ef": target, "recall": recall(got, b.gtIDs, b.k),
			"qps": median(qps), "qps_runs": qps, "nq": b.nq, "plan": plan})
	}
	_, err := d.Exec(b.ctx, "SET recall = off")
	must(err)
}

// sqlSearch returns a search through the prepared SELECT NEAREST(?, 10)
// FROM t, warmed by one query (the first loads the saved graph).
func (b *bench) sqlSearch(d *db.DB, words map[string]int32) func(q []float32) []int32 {
	stmt, err := d.Prepare("SELECT NEAREST(?, 10) FROM t")
	must(err)
	search := func(q []float32) []int32 {
		rows, err := stmt.Query(b.ctx, q)
		must(err)
		out := make([]int32, 0, b.k)
		for rows.Next() {
			var w string
			var s float32
			must(rows.Scan(&w, &s))
			out = append(out, words[w])
		}
		must(rows.Err())
		rows.Close()
		return out
	}
	search(b.query(0))
	return search
}

func (b *bench) sql(d *db.DB, dbPath string, words map[string]int32, qname string, threads int) {
	peer := "embeddb-sql-" + qname
	_, err := d.Exec(b.ctx, "DROP INDEX IF EXISTS ON t")
	must(err)
	runtime.GC()
	debug.FreeOSMemory()
	runtime.GOMAXPROCS(threads)
	t0 := time.Now()
	_, err = d.Exec(b.ctx, fmt.Sprintf("CREATE INDEX ON t USING hnsw WITH (m = 16, ef_construction = 200, quantization = '%s', rescore = %d)",
		qname, rescoreFor(qname)))
	must(err)
	sec := time.Since(t0).Seconds()
	runtime.GOMAXPROCS(runtime.NumCPU())
	emit(map[string]any{"peer": peer, "kind": "build", "threads": threads, "seconds": sec})
	res, err := d.Exec(b.ctx, "DESCRIBE t")
	must(err)
	mem := map[string]any{"peer": peer, "kind": "memory"}
	for _, r := range res.Rows {
		switch r[0] {
		case "index.memory":
			mem["bytes"] = r[1]
		case "index.bytes":
			mem["file_bytes"] = r[1]
		case "index.bytes_per_vector", "index.code_bytes":
			mem[strings.TrimPrefix(r[0].(string), "index.")] = r[1]
		}
	}
	emit(mem)
	search := b.sqlSearch(d, words)
	b.sweep(peer, func(e int) {
		_, err := d.Exec(b.ctx, fmt.Sprintf("SET ef_search = %d", e))
		must(err)
	}, search)
	b.recalls(d, peer, search)
	_, err = d.Exec(b.ctx, "SET exact = on")
	must(err)
	search(b.query(0))
	b.exact(peer, search)
	_, err = d.Exec(b.ctx, "SET exact = off")
	must(err)
	_, err = d.Exec(b.ctx, "SET ef_search = 0")
	must(err)
}

func main() {
	dataDir, work := os.Args[1], os.Args[2]
	must(os.MkdirAll(work, 0o755))
	base, n, dim := f32(filepath.Join(dataDir, "base.npy"))
	qs, nq, _ := f32(filepath.Join(dataDir, "queries.npy"))
	gt, _, k := i32(filepath.Join(dataDir, "gt.npy"))
	exactNQ, _ := strconv.Atoi(env("EXACT_NQ", "500"))
	reps, _ := strconv.Atoi(env("REPS", "3"))
	b := &bench{ctx: context.Background(), qs: qs, gtIDs: gt, nq: nq, dim: dim, k: k,
		efs: ints(env("EFS", "16 24 32 48 64 96 128 192 256 384 512 768")), reps: reps, exactNQ: exactNQ}
	threads := ints(env("BUILD_THREADS", "2"))[0]
	quants := strings.Fields(env("QUANTS", "int8 binary"))
	parts := " " + env("PARTS", "index sql") + " "
	if os.Getenv("REUSE_DB") != "" {
		parts = " sql " // nothing to build
	}
	if strings.Contains(parts, " index ") {
		for _, q := range quants {
			b.bare(base, n, q, threads)
		}
	}
	if !strings.Contains(parts, " sql ") {
		return
	}
	words := map[string]int32{}
	wf, err := os.Open(filepath.Join(dataDir, "words.txt"))
	must(err)
	sc := bufio.NewScanner(wf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		words[sc.Text()] = int32(len(words))
	}
	wf.Close()
	if reuse := os.Getenv("REUSE_DB"); reuse != "" {
		// A database another run left (the shared runner's ann.db, with
		// its float32 index): only the SET recall targets, no rebuild.
		d, err := db.Open(reuse, nil)
		must(err)
		defer d.Close()
		b.recalls(d, "embeddb-sql", b.sqlSearch(d, words))
		return
	}
	dbPath := filepath.Join(work, "annquant.db")
	os.Remove(dbPath)
	d, err := db.Open(dbPath, nil)
	must(err)
	defer d.Close()
	t0 := time.Now()
	_, err = d.Exec(b.ctx, fmt.Sprintf("IMPORT t FROM '%s' WITH (format = 'word2vec')", filepath.Join(dataDir, "base.txt")))
	must(err)
	emit(map[string]any{"peer": "embeddb-sql-import", "kind": "import", "seconds": time.Since(t0).Seconds()})
	for _, q := range quants {
		b.sql(d, dbPath, words, q, threads)
	}
}
