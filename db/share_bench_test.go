package db

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/db/internal/store"
)

// BenchmarkShare_Nearest measures what sharing the file costs a query:
// SELECT NEAREST(?, ?) on 100,000 indexed 100-d rows through three handles
// on three copies of one file, taking turns over blocks of the same
// queries: one opened as before files were shared (bbolt's lock held from
// Open to Close, no per-statement locks: the baseline), one with
// Options.Exclusive, and one shared (the default: a lock and a change check
// per statement). It reports each one's latency and the ratios to the
// baseline (targets: shared within 1.15, exclusive within 1.10).
func BenchmarkShare_Nearest(b *testing.B) {
	const dim, k, n = 100, 10, 100_000
	dir := b.TempDir()
	words := buildNearestFile(b, filepath.Join(dir, "base.db"), n, dim)
	rng := rand.New(rand.NewPCG(7, 8))
	queries := make([]string, 1024)
	for i := range queries {
		queries[i] = words[rng.IntN(n)]
	}
	compareHandles(b, dir, "SELECT NEAREST(?, ?) FROM t", k, func(i int) []any { return []any{queries[i%len(queries)], k} })
}

// BenchmarkShare_PointQuery is BenchmarkShare_Nearest with the cheapest
// statement there is, a lookup of one word: what is left is the
// per-statement cost of the locks and the change check themselves.
func BenchmarkShare_PointQuery(b *testing.B) {
	dir := b.TempDir()
	d, err := Open(filepath.Join(dir, "base.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.Exec(context.Background(), "CREATE TABLE t (dim = 2); INSERT INTO t VALUES ('a', [1, 0]), ('b', [0, 1])"); err != nil {
		b.Fatal(err)
	}
	d.Close()
	compareHandles(b, dir, "SELECT count FROM t WHERE word = ?", 1, func(i int) []any { return []any{"ab"[i%2 : i%2+1]} })
}

// compareHandles runs sql (which returns want rows) with args(i) through
// three handles on three copies of dir/base.db, taking turns over blocks
// of the same queries: one opened as before files were shared (bbolt's
// lock held from Open to Close, no per-statement locks: the baseline), one
// with Options.Exclusive, and one shared (the default). It reports each
// one's latency and the ratios to the baseline.
func compareHandles(b *testing.B, dir, sql string, want int, args func(i int) []any) {
	ctx := context.Background()
	base := filepath.Join(dir, "base.db")
	for _, name := range []string{"excl.db", "shared.db"} {
		copyFile(b, base, filepath.Join(dir, name))
	}
	legacy := &Options{}
	store.SetBBoltLock(legacy)
	opts := []*Options{legacy, {Exclusive: true}, {}}
	names := []string{"base.db", "excl.db", "shared.db"}
	stmts := make([]*Stmt, len(opts))
	for i, o := range opts {
		d, err := Open(filepath.Join(dir, names[i]), o)
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		if stmts[i], err = d.Prepare(sql); err != nil {
			b.Fatal(err)
		}
	}
	run := func(s *Stmt, from, n int) time.Duration {
		start := time.Now()
		for i := from; i < from+n; i++ {
			rows, err := s.Query(ctx, args(i)...)
			if err != nil {
				b.Fatal(err)
			}
			all, err := rows.All()
			if err != nil || len(all) != want {
				b.Fatalf("%d rows, %v", len(all), err)
			}
		}
		return time.Since(start)
	}
	for _, s := range stmts {
		run(s, 0, 64) // load the graphs and caches
	}
	b.ResetTimer()
	var took [3]time.Duration
	const block = 128
	for done, turn := 0, 0; done < b.N; turn++ {
		m := min(block, b.N-done)
		// Each handle leads in turn, so none always finds the caches warm.
		for j := range 3 {
			i := (turn + j) % 3
			took[i] += run(stmts[i], (turn*block)%1024, m)
		}
		done += m
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(b.N) }
	b.ReportMetric(per(took[0]), "µs/query-bboltlock")
	b.ReportMetric(per(took[1]), "µs/query-exclusive")
	b.ReportMetric(per(took[2]), "µs/query-shared")
	b.ReportMetric(float64(took[1])/float64(took[0]), "exclusive/bboltlock")
	b.ReportMetric(float64(took[2])/float64(took[0]), "shared/bboltlock")
}

// buildNearestFile makes a database at path with table t of n clustered
// rows of dimension dim, indexed with HNSW, and returns its words.
func buildNearestFile(b *testing.B, path string, n, dim int) []string {
	d, err := Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	words, _, _ := fillNearestTable(b, d, n, dim)
	return words
}

// fillNearestTable loads table t of d with n rows of dimension dim around
// 50 random centres and indexes it with HNSW. It returns the words, the
// vectors, and the random source, for the queries.
func fillNearestTable(b *testing.B, d *DB, n, dim int) ([]string, []float32, *rand.Rand) {
	ctx := context.Background()
	words, vecs, rng := nearestData(n, dim)
	w, err := d.BulkLoad(ctx, "t", TableSpec{Dim: dim}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Append(words, nil, vecs); err != nil {
		b.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Exec(ctx, "CREATE INDEX ON t USING hnsw"); err != nil {
		b.Fatal(err)
	}
	return words, vecs, rng
}

// nearestData draws the rows fillNearestTable loads: n words and their
// vectors of dimension dim around 50 random centres, the same every time,
// and the random source after them, for the queries.
func nearestData(n, dim int) ([]string, []float32, *rand.Rand) {
	rng := rand.New(rand.NewPCG(5, 6))
	centers := make([]float32, 50*dim)
	for i := range centers {
		centers[i] = float32(rng.NormFloat64())
	}
	words := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
		c := rng.IntN(50)
		for j := 0; j < dim; j++ {
			vecs[i*dim+j] = centers[c*dim+j] + 0.5*float32(rng.NormFloat64())
		}
	}
	return words, vecs, rng
}

func copyFile(b *testing.B, from, to string) {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkShare_ReaderDuringTrain runs a TRAIN on a generated corpus in
// another process (this test binary again) and queries the same file in a
// loop meanwhile. TRAIN reads and trains without a lock and takes the
// write lock only for its writes, so the reader waits at most for one
// commit: it reports the longest and the 99th-percentile query latency
// while the TRAIN ran (target: the longest within 50 ms), and how many
// queries it answered. As a control, the same TRAIN runs on another file
// in turn: ms-longest-control is what the machine's load alone costs the
// reader.
func BenchmarkShare_ReaderDuringTrain(b *testing.B) {
	if os.Getenv("EMBEDDB_TRAIN_CHILD") != "" {
		b.Skip("the child runs in TestShareTrainChild")
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "t.db")
	corpus := filepath.Join(dir, "corpus.txt")
	writeCorpus(b, corpus, 600_000)
	d, err := Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	if _, err := d.Exec(ctx, "CREATE TABLE q (dim = 2); INSERT INTO q VALUES ('a', [1, 0]), ('b', [0, 1])"); err != nil {
		b.Fatal(err)
	}
	other := filepath.Join(dir, "other.db") // the control: the same TRAIN, on another file
	var res [2]trainRun
	for i := 0; i < b.N; i++ {
		for j, target := range []string{other, path} {
			if _, err := d.Exec(ctx, "DROP TABLE IF EXISTS w"); err != nil {
				b.Fatal(err)
			}
			os.Remove(other)
			res[j].add(readDuringTrain(b, d, target, corpus))
		}
	}
	b.ReportMetric(float64(res[1].worst.Microseconds())/1e3, "ms-longest-wait")
	b.ReportMetric(float64(res[0].worst.Microseconds())/1e3, "ms-longest-control")
	b.ReportMetric(float64(res[1].p99().Microseconds())/1e3, "ms-p99")
	b.ReportMetric(float64(len(res[1].lat))/float64(b.N), "queries/train")
	b.ReportMetric(res[1].total.Seconds()/float64(b.N), "s/train")
}

// trainRun is what a reader measured during TRAINs.
type trainRun struct {
	worst, total time.Duration
	lat          []time.Duration
}

func (r *trainRun) add(o trainRun) {
	r.worst, r.total, r.lat = max(r.worst, o.worst), r.total+o.total, append(r.lat, o.lat...)
}

func (r *trainRun) p99() time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	slices.Sort(r.lat)
	return r.lat[len(r.lat)*99/100]
}

// readDuringTrain runs a TRAIN of table w on target in a child process
// and queries table q of d until it ends.
func readDuringTrain(b *testing.B, d *DB, target, corpus string) (r trainRun) {
	ctx := context.Background()
	cmd := exec.Command(os.Args[0], "-test.run=^TestShareTrainChild$")
	cmd.Env = append(os.Environ(), "EMBEDDB_TRAIN_CHILD="+target, "EMBEDDB_TRAIN_CORPUS="+corpus)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "training" {
		b.Fatalf("child: %q", lines.Text())
	}
	done := make(chan error, 1)
	go func() {
		for lines.Scan() {
		}
		done <- cmd.Wait()
	}()
	start := time.Now()
	for {
		select {
		case err := <-done:
			if err != nil {
				b.Fatalf("TRAIN in the child: %v", err)
			}
			r.total = time.Since(start)
			return r
		default:
		}
		t0 := time.Now()
		res, err := d.Exec(ctx, "SELECT COUNT(*) FROM q")
		if err != nil && !errors.Is(err, ErrLocked) {
			b.Fatal(err)
		}
		if err == nil && res.Rows[0][0] != int64(2) {
			b.Fatalf("reader saw %v", res.Rows)
		}
		el := time.Since(t0)
		r.lat = append(r.lat, el)
		r.worst = max(r.worst, el)
	}
}

// TestShareTrainChild is the writer process of
// BenchmarkShare_ReaderDuringTrain: it TRAINs table w on the corpus.
func TestShareTrainChild(t *testing.T) {
	path := os.Getenv("EMBEDDB_TRAIN_CHILD")
	if path == "" {
		t.Skip("only run as the child of BenchmarkShare_ReaderDuringTrain")
	}
	d, err := Open(path, &Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	fmt.Println("training")
	sql := fmt.Sprintf("TRAIN w FROM '%s' WITH (vector_size = 50, min_count = 1, workers = 1, epochs = 2)",
		strings.ReplaceAll(os.Getenv("EMBEDDB_TRAIN_CORPUS"), "'", "''"))
	if _, err := d.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

// letters spells n in the letters a-z, as a word.
func letters(n uint64) string {
	b := []byte{'w'}
	for {
		b = append(b, byte('a'+n%26))
		if n /= 26; n == 0 {
			return string(b)
		}
	}
}

// writeCorpus writes a text of n words drawn from a Zipf-like vocabulary
// of 20,000 words, 20 to a line.
func writeCorpus(b *testing.B, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(rng, 1.1, 1, 19_999)
	for i := 0; i < n; i++ {
		w.WriteString(letters(z.Uint64())) // simple_preprocess keeps letters only
		if i%20 == 19 {
			w.WriteByte('\n')
		} else {
			w.WriteByte(' ')
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
