package db_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestExec_IndexWithChanges builds an index, then inserts, replaces and
// deletes rows: NEAREST through the index must still see every live row
// (new ones by the exact scan of the ids past the build) and never a
// deleted or replaced one; CHECK DATABASE stays ok; EXPLAIN says which
// path runs.
func TestExec_IndexWithChanges(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	const dim, n = 16, 600
	rng := rand.New(rand.NewPCG(3, 4))
	vec := func() string {
		parts := make([]string, dim)
		for i := range parts {
			parts[i] = fmt.Sprintf("%.4f", rng.Float64()*2-1)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	mustExec(t, d, fmt.Sprintf("CREATE TABLE t (dim = %d)", dim))
	var sb strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "('w%d', %s)", i, vec())
	}
	mustExec(t, d, "INSERT INTO t VALUES "+sb.String())
	mustExec(t, d, "CREATE INDEX ON t USING hnsw WITH (m = 8, ef_construction = 64)")
	mustExec(t, d, "SET ef_search = 600") // exhaustive on 600 rows: results must equal the exact ones

	// Changes after the build.
	mustExec(t, d, "INSERT INTO t VALUES ('new1', "+vec()+"), ('new2', "+vec()+")")
	mustExec(t, d, "INSERT OR REPLACE INTO t VALUES ('w7', "+vec()+")")
	mustExec(t, d, "DELETE FROM t WHERE word IN ('w1', 'w2', 'w3')")

	plan := mustExec(t, d, "EXPLAIN SELECT NEAREST('w0', 10) FROM t").Rows
	if !strings.Contains(fmt.Sprint(plan), "HNSWSearch on t") || !strings.Contains(fmt.Sprint(plan), "exact scan of up to 3 rows added") {
		t.Fatalf("EXPLAIN = %v", plan)
	}
	for _, q := range []string{"w0", "new1", "w7", "w100", "w599"} {
		viaIndex := mustExec(t, d, "SELECT NEAREST(?, 20) FROM t", q).Rows
		mustExec(t, d, "SET exact = on")
		exact := mustExec(t, d, "SELECT NEAREST(?, 20) FROM t", q).Rows
		mustExec(t, d, "SET exact = off")
		// The graph is approximate (a node can end up unreachable), but the
		// rows added since the build are searched exactly: they must be
		// found whenever they belong to the answer.
		got := map[string]bool{}
		for _, r := range viaIndex {
			got[r[0].(string)] = true
		}
		missed := 0
		for _, r := range exact {
			w := r[0].(string)
			if !got[w] {
				missed++
				if w == "new1" || w == "new2" || w == "w7" {
					t.Errorf("NEAREST(%s) through the index missed %s, added after the build", q, w)
				}
			}
		}
		if missed > 2 {
			t.Errorf("NEAREST(%s): index %v\nexact %v", q, viaIndex, exact)
		}
		for _, r := range viaIndex {
			if w := r[0].(string); w == "w1" || w == "w2" || w == "w3" {
				t.Errorf("NEAREST(%s) returned deleted row %s", q, w)
			}
		}
	}
	if probs, err := d.Check(ctx); err != nil || len(probs) != 0 {
		t.Fatalf("Check = %v, %v", probs, err)
	}
	// Reopening loads the saved graph rather than rebuilding it.
	info, err := d.Table(ctx, "t")
	if err != nil || info.Index == nil || info.Index.Upto != n || info.Index.Deleted == 0 {
		t.Fatalf("index info = %+v, %v", info.Index, err)
	}
	mustExec(t, d, "DROP INDEX ON t")
	if info, _ := d.Table(ctx, "t"); info.Index != nil || info.Rows != n-3+2 {
		t.Fatalf("after DROP INDEX: %+v", info)
	}
}

func TestExec_IndexPersists(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/p.db"
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'; CREATE INDEX ON v USING hnsw")
	before := mustExec(t, d, "SELECT NEAREST('w010', 5) FROM v").Rows
	d.Close()
	d, err = db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	after := mustExec(t, d, "SELECT NEAREST('w010', 5) FROM v").Rows
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("after reopening: %v, before: %v", after, before)
	}
	if info, _ := d.Table(ctx, "v"); info.Index == nil || info.Index.Bytes == 0 {
		t.Fatalf("index info after reopening: %+v", info.Index)
	}
}

// TestExec_NearestSamePathsSameBits asks one NEAREST three ways — by a
// cold exact scan, by a warm one (the search matrix cached) and through an
// index — and wants the same words with the same similarities to the last
// bit: the printed answer must not depend on which path ran or on what ran
// before it.
func TestExec_NearestSamePathsSameBits(t *testing.T) {
	d := MustOpenDB(t)
	const dim, n = 24, 300
	rng := rand.New(rand.NewPCG(5, 6))
	mustExec(t, d, fmt.Sprintf("CREATE TABLE t (dim = %d)", dim))
	var sb strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		parts := make([]string, dim)
		for j := range parts {
			parts[j] = fmt.Sprintf("%.6f", rng.Float64()*2-1)
		}
		fmt.Fprintf(&sb, "('w%d', [%s])", i, strings.Join(parts, ", "))
	}
	mustExec(t, d, "INSERT INTO t VALUES "+sb.String())

	const q = "SELECT NEAREST('w17', 8) FROM t"
	cold := fmt.Sprint(mustExec(t, d, q).Rows)
	warm := fmt.Sprint(mustExec(t, d, q).Rows)
	mustExec(t, d, "CREATE INDEX ON t USING hnsw WITH (m = 16, ef_construction = 200)")
	mustExec(t, d, "SET ef_search = 300") // exhaustive on 300 rows
	indexed := fmt.Sprint(mustExec(t, d, q).Rows)
	if cold != warm || cold != indexed {
		t.Errorf("NEAREST differs by path:\ncold    %s\nwarm    %s\nindexed %s", cold, warm, indexed)
	}

	// The words that earlier queries cached follow changes to the table.
	mustExec(t, d, "DELETE FROM t WHERE word = 'w17'")
	if _, err := d.Exec(context.Background(), q); !errors.Is(err, db.ErrNoWord) {
		t.Errorf("NEAREST of a deleted word: err = %v, want ErrNoWord", err)
	}
	mustExec(t, d, "INSERT INTO t VALUES ('fresh', ["+strings.Repeat("0.5, ", dim-1)+"0.5])")
	if rows := mustExec(t, d, "SELECT NEAREST('fresh', 3) FROM t").Rows; len(rows) != 3 {
		t.Errorf("NEAREST of a new word = %v", rows)
	}
}
