package db_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
)

// insertScript returns INSERT INTO t VALUES with n rows ('w0', [...]) of
// dim elements each, then tail (a last row, or ""), as a client would
// generate it: one row a line, six decimals.
func insertScript(n, dim int, tail string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO t VALUES\n")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("('w" + strconv.Itoa(i) + "', [")
		for j := 0; j < dim; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatFloat(insertValue(i, j), 'f', 6, 64))
		}
		b.WriteString("])")
	}
	b.WriteString(tail)
	return b.String()
}

// insertValue is element j of row i of insertScript's rows.
func insertValue(i, j int) float64 { return float64((i*31+j*7)%2001-1000) / 1000 }

// execLong runs a long script, failing the test with the error alone: a
// message quoting the script would be megabytes long.
func execLong(t *testing.T, d *db.DB, sql string) {
	t.Helper()
	if _, err := d.Exec(context.Background(), sql); err != nil {
		t.Fatalf("Exec of a script of %d bytes: %.300v", len(sql), err)
	}
}

// streamed is the length from which Exec reads a script as it runs it;
// the tests' long scripts must reach it.
const streamed = 1 << 20

// rowCount returns COUNT(*) of table t.
func rowCount(t *testing.T, d *db.DB) int64 {
	t.Helper()
	res := mustExec(t, d, "SELECT COUNT(*) FROM t")
	return res.Rows[0][0].(int64)
}

// TestExec_Insert_Streamed checks that a script long enough to be read as
// it runs (1 MiB and more) inserts every row with the values written, as
// the whole-parse path does for a short one.
func TestExec_Insert_Streamed(t *testing.T) {
	for _, n := range []int{10, 5000} { // 5000 rows of dim 20 are some 1.2 MB
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			d := MustOpenDB(t)
			mustExec(t, d, "CREATE TABLE t (dim = 20)")
			script := insertScript(n, 20, ";\nSELECT 1")
			if n == 5000 && len(script) < streamed {
				t.Fatalf("the script has %d bytes, too few to be streamed", len(script))
			}
			execLong(t, d, script)
			if got := rowCount(t, d); got != int64(n) {
				t.Fatalf("COUNT(*) = %d, want %d", got, n)
			}
			for _, i := range []int{0, n / 2, n - 1} {
				r, err := d.Lookup(context.Background(), "t", "w"+strconv.Itoa(i))
				if err != nil {
					t.Fatal(err)
				}
				for j, got := range r.Vector {
					want, _ := strconv.ParseFloat(strconv.FormatFloat(insertValue(i, j), 'f', 6, 64), 32)
					if got != float32(want) {
						t.Fatalf("row w%d element %d = %v, want %v", i, j, got, float32(want))
					}
				}
			}
		})
	}
}

// TestExec_Insert_Atomic checks that an INSERT that fails in its last row,
// for a wrong value or a syntax error, changes nothing, whether it was
// parsed whole (short) or read as it ran (1 MiB and more).
func TestExec_Insert_Atomic(t *testing.T) {
	tests := []struct{ name, tail, want string }{
		{"Dimension", ",\n('last', [1, 2])", "table t has dimension 20, got a vector of length 2"},
		{"Syntax", ",\n('last', [1, 2,])", "expected expression, found ']'"},
		{"Duplicate", ",\n('w1', " + strings.Repeat("[1", 1) + strings.Repeat(", 1", 19) + "])", `word "w1" is already in t`},
	}
	for _, tt := range tests {
		for _, n := range []int{10, 5000} {
			t.Run(tt.name+"/"+strconv.Itoa(n), func(t *testing.T) {
				d := MustOpenDB(t)
				mustExec(t, d, "CREATE TABLE t (dim = 20); INSERT INTO t VALUES ('before', [0.5"+strings.Repeat(", 0.5", 19)+"])")
				script := insertScript(n, 20, tt.tail)
				if n == 5000 && len(script) < streamed {
					t.Fatalf("the script has %d bytes, too few to be streamed", len(script))
				}
				_, err := d.Exec(context.Background(), script)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Exec = %.300v, want an error saying %q", err, tt.want)
				}
				if got := rowCount(t, d); got != 1 {
					t.Errorf("COUNT(*) after the failed INSERT = %d, want the 1 row there before", got)
				}
			})
		}
	}
}

// TestExec_Insert_MemoryLimit checks that an INSERT whose transaction
// would hold more than Options.MemoryLimit fails with ErrTooLarge, says
// how to load more, and changes nothing, whether it was read as it ran
// (5000 rows, some 3.4 MB) or parsed whole (500 rows).
func TestExec_Insert_MemoryLimit(t *testing.T) {
	tests := []struct {
		rows  int
		limit int64
		want  string
	}{
		{5000, 1 << 20, "1:16: INSERT INTO t: the transaction holding its first 1522 rows needs about 1 MiB, " +
			"over the memory limit of 1 MiB; insert the rows in several statements, load them from a file with IMPORT, or raise the limit"},
		{500, 128 << 10, "1:16: INSERT INTO t: the transaction holding its first 192 rows needs about 129 KiB, " +
			"over the memory limit of 128 KiB; insert the rows in several statements, load them from a file with IMPORT, or raise the limit"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.rows), func(t *testing.T) {
			d, err := db.Open(filepath.Join(t.TempDir(), "t.db"), &db.Options{MemoryLimit: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			mustExec(t, d, "CREATE TABLE t (dim = 64)")
			execLong(t, d, insertScript(50, 64, "")) // well within
			_, err = d.Exec(context.Background(), "DELETE FROM t; "+insertScript(tt.rows, 64, ""))
			if !errors.Is(err, db.ErrTooLarge) || err.Error() != tt.want {
				t.Fatalf("INSERT of %d rows of 256 bytes with a limit of %d = %.300v, want ErrTooLarge: %s", tt.rows, tt.limit, err, tt.want)
			}
			if got := rowCount(t, d); got != 0 {
				t.Errorf("COUNT(*) = %d, want the 0 rows the DELETE left", got)
			}
		})
	}
}

// TestExec_InsertSelect_MemoryLimit checks that INSERT ... SELECT, which
// writes every row in one transaction as INSERT ... VALUES does, is
// bounded by the same memory limit and changes nothing when it passes it.
func TestExec_InsertSelect_MemoryLimit(t *testing.T) {
	d, err := db.Open(filepath.Join(t.TempDir(), "t.db"), &db.Options{MemoryLimit: 128 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, "CREATE TABLE src (dim = 64); CREATE TABLE t (dim = 64)")
	for i := range 5 { // 500 rows, each INSERT within the limit
		script := strings.Replace(insertScript(100, 64, ""), "INTO t", "INTO src", 1)
		execLong(t, d, strings.ReplaceAll(script, "('w", fmt.Sprintf("('s%d_", i)))
	}
	mustExec(t, d, "INSERT INTO t SELECT word, vector FROM src ORDER BY id LIMIT 50") // well within
	_, err = d.Exec(context.Background(), "INSERT INTO t SELECT word, vector FROM src ORDER BY id DESC LIMIT 400")
	want := "1:1: INSERT INTO t: the transaction holding its first 190 rows needs about 128 KiB, " +
		"over the memory limit of 128 KiB; insert the rows in several statements, load them from a file with IMPORT, or raise the limit"
	if !errors.Is(err, db.ErrTooLarge) || err.Error() != want {
		t.Fatalf("INSERT ... SELECT of 400 rows of 256 bytes with a limit of 128 KiB = %.300v, want ErrTooLarge: %s", err, want)
	}
	if got := rowCount(t, d); got != 50 {
		t.Errorf("COUNT(*) = %d, want the 50 rows of the first INSERT", got)
	}
}

// TestExec_Insert_MillionRows checks that a legitimate INSERT of a million
// rows runs: the parser's list limit (a million items) used to stop it.
// Under -race (make test, CI) it inserts 100,001 rows, still many batches:
// a million took 79 s there, a quarter of the package's time, and the
// parser's limit itself is TestParse_TooManyItems's (package query).
func TestExec_Insert_MillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows take a few seconds; run without -short")
	}
	n := 1_000_001
	if raceEnabled {
		n = 100_001
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE t (dim = 1);\nINSERT INTO t VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("('w" + strconv.Itoa(i) + "', [" + strconv.Itoa(i%10) + "])")
	}
	d := MustOpenDB(t)
	execLong(t, d, b.String())
	if got := rowCount(t, d); got != int64(n) {
		t.Fatalf("COUNT(*) = %d, want %d", got, n)
	}
	last := n - 1
	r, err := d.Lookup(context.Background(), "t", "w"+strconv.Itoa(last))
	if err != nil || len(r.Vector) != 1 || math.Abs(float64(r.Vector[0])-float64(last%10)) > 0 {
		t.Errorf("Lookup(w%d) = %v, %v, want [%d]", last, r, err, last%10)
	}
}

// TestDB_RunNext checks that RunNext runs the statements a Script reads,
// an INSERT's rows included, and that an INSERT failing in its last row
// changes nothing.
func TestDB_RunNext(t *testing.T) {
	d := MustOpenDB(t)
	ctx := context.Background()
	run := func(src string) error {
		sc := query.NewScript(src)
		for {
			s, err := sc.Next()
			if err != nil || s == nil {
				return err
			}
			rows, err := d.RunNext(ctx, sc, s)
			if err != nil {
				return err
			}
			rows.Close()
		}
	}
	if err := run("CREATE TABLE t (dim = 20); " + insertScript(300, 20, "; SELECT 1")); err != nil {
		t.Fatalf("%.300v", err)
	}
	if got := rowCount(t, d); got != 300 {
		t.Errorf("COUNT(*) = %d, want 300", got)
	}
	err := run("DELETE FROM t; " + insertScript(300, 20, ", ('x', [1,])"))
	if err == nil || !strings.Contains(err.Error(), "expected expression, found ']'") {
		t.Fatalf("a syntax error in the last row: %.300v", err)
	}
	if got := rowCount(t, d); got != 0 {
		t.Errorf("COUNT(*) after the failed INSERT = %d, want the 0 that DELETE left", got)
	}
}
