package db_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/db/columnar"
)

// TestColumnar_ImportRowGroupsInParallel imports Parquet files of many
// row groups, which IMPORT decodes a few at a time on several goroutines:
// every row gets the id of its place in the file; a NaN in a late row
// group fails the IMPORT, naming that row, and the table it was to
// replace is left as it was; CHECK DATABASE stays ok.
func TestColumnar_ImportRowGroupsInParallel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	d := MustOpenDB(t)
	ctx := context.Background()
	const dim, rows, group = 3, 20_000, 700
	write := func(name string, scale float32, nanAt int) string {
		path := filepath.Join(t.TempDir(), name)
		w, err := columnar.Create(path, dim, columnar.WriteOptions{GroupRows: group})
		if err != nil {
			t.Fatal(err)
		}
		words := make([]string, rows)
		vecs := make([]float32, rows*dim)
		for i := range words {
			words[i] = fmt.Sprintf("w%d", i)
			for j := range dim {
				vecs[i*dim+j] = scale * float32(i*dim+j)
			}
		}
		if nanAt >= 0 {
			vecs[nanAt*dim+1] = float32(math.NaN())
		}
		if err := w.Write(words, nil, nil, vecs); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.parquet", 1, -1)
	mustExec(t, d, "IMPORT x FROM '"+good+"'")
	check := func(what string) {
		t.Helper()
		n := 0
		err := d.View(ctx, func(tx *db.Tx) error {
			return tx.ForEach("x", true, func(r db.Row) error {
				want := []float32{float32(int(r.ID) * dim), float32(int(r.ID)*dim + 1), float32(int(r.ID)*dim + 2)}
				if r.Word != fmt.Sprintf("w%d", r.ID) || !slices.Equal(r.Vector, want) {
					return fmt.Errorf("row %d is %s %v, want w%d %v", r.ID, r.Word, r.Vector, r.ID, want)
				}
				n++
				return nil
			})
		})
		if err != nil || n != rows {
			t.Fatalf("%s: %d rows in file order, want %d: %v", what, n, rows, err)
		}
		if r := fmt.Sprint(mustExec(t, d, "CHECK DATABASE").Rows); r != "[[ok]]" {
			t.Fatalf("%s: CHECK DATABASE: %s", what, r)
		}
	}
	check("after the import")

	const bad = rows - group - 5 // in the row group before the last
	_, err := d.Exec(ctx, "IMPORT x FROM '"+write("bad.parquet", 2, bad)+"' WITH (replace = true)")
	if want := fmt.Sprintf(`row %d ("w%d")`, bad, bad); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("IMPORT of a NaN at row %d: %v, want an error naming %s", bad, err, want)
	}
	check("after the failed import")
}
