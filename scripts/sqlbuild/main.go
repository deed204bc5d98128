// Command sqlbuild times embeddb's CREATE INDEX through the SQL path on the
// data that ../shared/peers/ann/run.sh prepares (its prep step), for
// scripts/compare-build.sh. The first run IMPORTs DATA_DIR/base.txt (word2vec
// text) into WORK_DIR/build.db; every run then drops the table's index, if
// any, and times
//
//	CREATE INDEX ON t USING hnsw WITH (m = 16, ef_construction = 200)
//
// with GOMAXPROCS = THREADS (default 2), as the peers' script does. It
// prints one JSON line: wall and CPU seconds of the statement, and the wall
// seconds of its phases as its progress reports them: reading the table,
// building the graph, calibrating (SET recall) and saving the graph to the
// database.
//
// Usage:
//
//	go run ./scripts/sqlbuild DATA_DIR WORK_DIR
//	go run ./scripts/sqlbuild -import DATA_DIR WORK_DIR   (the IMPORT only)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/embeddb/embeddb/db"
)

func main() {
	args := os.Args[1:]
	importOnly := len(args) > 0 && args[0] == "-import"
	if importOnly {
		args = args[1:]
	}
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sqlbuild [-import] DATA_DIR WORK_DIR")
		os.Exit(2)
	}
	if err := run(args[0], args[1], importOnly); err != nil {
		fmt.Fprintln(os.Stderr, "sqlbuild:", err)
		os.Exit(1)
	}
}

func run(dataDir, work string, importOnly bool) error {
	threads := 2
	if s := os.Getenv("THREADS"); s != "" {
		var err error
		if threads, err = strconv.Atoi(s); err != nil || threads < 1 {
			return fmt.Errorf("THREADS=%q: want a positive integer", s)
		}
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	ctx := context.Background()
	path := filepath.Join(work, "build.db")
	_, statErr := os.Stat(path)
	d, err := db.Open(path, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	if os.IsNotExist(statErr) {
		t0 := time.Now()
		if _, err := d.Exec(ctx, fmt.Sprintf("IMPORT t FROM '%s' WITH (format = 'word2vec')", filepath.Join(dataDir, "base.txt"))); err != nil {
			os.Remove(path)
			return err
		}
		fmt.Fprintf(os.Stderr, "sqlbuild: imported in %.1f s\n", time.Since(t0).Seconds())
	}
	if importOnly {
		return nil
	}
	if _, err := d.Exec(ctx, "DROP INDEX IF EXISTS ON t"); err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()
	runtime.GOMAXPROCS(threads)

	phases := map[string]time.Time{}
	pctx := db.WithProgress(ctx, func(p db.Progress) {
		if _, ok := phases[p.Phase]; !ok {
			phases[p.Phase] = time.Now()
		}
	})
	c0, t0 := cpuSeconds(), time.Now()
	if _, err := d.Exec(pctx, "CREATE INDEX ON t USING hnsw WITH (m = 16, ef_construction = 200)"); err != nil {
		return err
	}
	wall, cpu := time.Since(t0).Seconds(), cpuSeconds()-c0
	end := time.Now()
	span := func(from, to string) any {
		a, ok1 := phases[from]
		b, ok2 := phases[to]
		if to == "" {
			b, ok2 = end, true
		}
		if from == "" {
			a, ok1 = t0, true
		}
		if !ok1 || !ok2 {
			return nil
		}
		return b.Sub(a).Seconds()
	}
	out := map[string]any{
		"peer": "embeddb-sql", "kind": "build", "threads": threads, "seconds": wall, "cpu_seconds": cpu,
		"read_seconds": span("reading", "building"), "graph_seconds": span("building", "calibrating"),
		"calibrate_seconds": span("calibrating", "saving"),
		"save_seconds":      span("saving", ""), "load": loadAvg(),
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println(string(b))
	return nil
}

// cpuSeconds is the user and system CPU time of this process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// loadAvg is the one-minute load average, to show how shared the machine was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(b) < 4 {
		return ""
	}
	var one string
	fmt.Sscan(string(b), &one)
	return one
}
