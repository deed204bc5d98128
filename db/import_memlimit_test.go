package db_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestImport_MemoryLimit: the loads that insert every row in one
// transaction, IMPORT of JSON Lines or CSV and IMPORT of a Parquet file
// into a table that exists, fail with ErrTooLarge when the transaction
// would hold more than Options.MemoryLimit, as INSERT does, say how to load
// more, and change nothing. A Parquet file into a new table, a bulk load
// that commits as it goes, is not bound by it, as the advice says.
func TestImport_MemoryLimit(t *testing.T) {
	dir := t.TempDir()
	const rows, dim = 2000, 64
	var b strings.Builder
	for i := range rows {
		fmt.Fprintf(&b, `{"word": "w%d", "vector": [%d`, i, i)
		for range dim - 1 {
			b.WriteString(", 0.5")
		}
		b.WriteString("]}\n")
	}
	jsonl := filepath.Join(dir, "rows.jsonl")
	if err := os.WriteFile(jsonl, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	// The same rows as Parquet, written by a handle with no limit.
	pq := filepath.Join(dir, "rows.parquet")
	free := MustOpenDB(t)
	mustExec(t, free, "IMPORT src FROM ? WITH (format = 'jsonl')", jsonl)
	mustExec(t, free, "EXPORT src TO ?", pq)

	d, err := db.Open(filepath.Join(dir, "limited.db"), &db.Options{MemoryLimit: 128 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mustExec(t, d, fmt.Sprintf("CREATE TABLE dst (dim = %d)", dim))
	mustExec(t, d, "INSERT INTO dst VALUES ('old', ?)", make([]float32, dim))
	for _, tc := range []struct{ sql, advice string }{
		{"IMPORT j FROM '" + jsonl + "' WITH (format = 'jsonl')", "split the file into several IMPORTs, or raise the limit"},
		{"IMPORT dst FROM '" + jsonl + "' WITH (format = 'jsonl')", "split the file into several IMPORTs, or raise the limit"},
		{"IMPORT dst FROM '" + pq + "'", "import the file into a new table (a bulk load, which commits as it goes), or raise the limit"},
	} {
		_, err := d.Exec(context.Background(), tc.sql)
		if !errors.Is(err, db.ErrTooLarge) || !strings.Contains(err.Error(), "the transaction holding its first ") ||
			!strings.Contains(err.Error(), "over the memory limit of 128 KiB; "+tc.advice) {
			t.Errorf("%s with a 128 KiB limit: %v, want ErrTooLarge advising: %s", tc.sql, err, tc.advice)
		}
	}
	if got := mustExec(t, d, "SELECT COUNT(*) FROM dst").Rows[0][0]; got != int64(1) {
		t.Errorf("dst holds %d rows after the failed imports, want its 1", got)
	}
	if _, err := d.Exec(context.Background(), "SELECT COUNT(*) FROM j"); err == nil {
		t.Error("the failed IMPORT j left a table j")
	}
	res := mustExec(t, d, "IMPORT fresh FROM ?", pq)
	if res.Rows[0][1] != int64(rows) {
		t.Errorf("IMPORT fresh FROM the Parquet file: %v, want %d rows", res.Rows, rows)
	}
}
