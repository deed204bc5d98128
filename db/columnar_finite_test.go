package db_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/db/columnar"
)

// TestColumnar_ImportNonFinite imports Parquet and Arrow files with a NaN
// or an infinity in one row, past the first batch's worth of finite ones:
// IMPORT names that row and element, and leaves no table. A file whose
// vectors are all finite imports whole.
func TestColumnar_ImportNonFinite(t *testing.T) {
	d := MustOpenDB(t)
	ctx := context.Background()
	const dim, rows, bad = 5, 3000, 2047
	for _, f := range []struct {
		format columnar.Format
		ext    string
	}{{columnar.Parquet, "parquet"}, {columnar.Arrow, "arrow"}} {
		for _, v := range []float64{math.NaN(), math.Inf(-1), 0.5} {
			path := filepath.Join(t.TempDir(), "v."+f.ext)
			w, err := columnar.Create(path, dim, columnar.WriteOptions{Format: f.format})
			if err != nil {
				t.Fatal(err)
			}
			words := make([]string, rows)
			ids, counts := make([]int64, rows), make([]int64, rows)
			vecs := make([]float32, rows*dim)
			for i := range words {
				words[i], ids[i] = fmt.Sprintf("w%d", i), int64(i)
				for j := range dim {
					vecs[i*dim+j] = float32(i+j) / rows
				}
			}
			vecs[bad*dim+3] = float32(v)
			if err := w.Write(words, ids, counts, vecs); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			_, err = d.Exec(ctx, "IMPORT x FROM '"+path+"' WITH (replace = true)")
			if v == 0.5 {
				if err != nil {
					t.Fatalf("%s of finite vectors: %v", f.ext, err)
				}
				if got := vectorsOf(t, d, "x"); len(got) != rows || got["w2047"][3] != 0.5 {
					t.Fatalf("%s: %d rows back, w2047 = %v", f.ext, len(got), got["w2047"])
				}
				mustExec(t, d, "DROP TABLE x")
				continue
			}
			want := fmt.Sprintf(`row %d ("w%d"): `, bad, bad)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "element 3 is NaN or infinite") {
				t.Fatalf("%s with %v in row %d: error %v, want one naming %q and element 3", f.ext, v, bad, err, want)
			}
			if _, err := d.Table(ctx, "x"); !errors.Is(err, db.ErrNoTable) {
				t.Fatalf("%s: a failed IMPORT left table x: %v", f.ext, err)
			}
		}
	}
}
