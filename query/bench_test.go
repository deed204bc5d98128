package query_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embeddb/embeddb/query"
)

// vectorLiteral returns a literal of dim numbers such as a script or a
// client would write (six decimals, half of them negative).
func vectorLiteral(dim int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < dim; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatFloat(float64(i%17)*0.0123-0.1, 'f', 6, 64))
	}
	b.WriteByte(']')
	return b.String()
}

var benchStatements = []struct {
	name, src string
}{
	{"select", "SELECT NEAREST('python', 5) FROM w2v WHERE word LIKE 'p%' LIMIT 5"},
	{"train", "TRAIN w2v FROM 'train-data.txt' WITH (vector_size = 100, window = 5, min_count = 1, workers = 4, sg = 1)"},
	{"insert100d", "INSERT INTO pets VALUES ('cat', " + vectorLiteral(100) + ")"},
	{"show", "SHOW TABLES"},
}

// BenchmarkParse measures the parse of typical statements; MB/s is the
// source text parsed per second, and cpu-ns/op the CPU time per parse
// (garbage collection included), which a busy machine distorts less than
// ns/op.
func BenchmarkParse(b *testing.B) {
	for _, bs := range benchStatements {
		b.Run(bs.name, func(b *testing.B) {
			b.SetBytes(int64(len(bs.src)))
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				if _, err := query.ParseStatement(bs.src); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}

// reportCPU reports the CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkPrint measures canonical printing of the same statements.
func BenchmarkPrint(b *testing.B) {
	for _, bs := range benchStatements {
		s, err := query.ParseStatement(bs.src)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bs.name, func(b *testing.B) {
			b.SetBytes(int64(len(bs.src)))
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				_ = s.String()
			}
			reportCPU(b, start)
		})
	}
}

// BenchmarkSplit measures how fast a shell can find statement boundaries
// in a script.
func BenchmarkSplit(b *testing.B) {
	var script strings.Builder
	for _, bs := range benchStatements {
		script.WriteString(bs.src)
		script.WriteString(";\n-- a comment\n")
	}
	src := script.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if complete, _ := query.Split(src); len(complete) != len(benchStatements) {
			b.Fatalf("Split found %d statements", len(complete))
		}
	}
	reportCPU(b, start)
}
