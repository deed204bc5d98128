package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// BenchmarkSession_LongStatement feeds the shell one statement of 100,000
// lines (a string literal, which parses at once): the reading and
// splitting of lines must cost in proportion to the input, not to its
// square. It reports MB/s and lines/s; the statement itself is not run.
func BenchmarkSession_LongStatement(b *testing.B) {
	const lines = 100000
	var sb strings.Builder
	sb.WriteString("SELECT '\n")
	for range lines {
		sb.WriteString("a line of a very long string literal, 48 bytes\n")
	}
	sb.WriteString("' AS s;\n")
	script := sb.String()
	errSkip := errors.New("not run")
	var parsed int
	s := &session{
		exec: func(_ context.Context, _ *query.Script, st query.Statement) (*db.Rows, error) {
			parsed++
			return nil, errSkip
		},
		out: bufio.NewWriter(io.Discard), errw: io.Discard,
	}
	b.SetBytes(int64(len(script)))
	b.ReportAllocs()
	for b.Loop() {
		s.run(context.Background(), newScriptReader(strings.NewReader(script)), source{name: "bench.sql"})
	}
	if parsed != b.N {
		b.Fatalf("ran %d statements in %d runs, want one each", parsed, b.N)
	}
	b.ReportMetric(float64(lines+2)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
