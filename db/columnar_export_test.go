package db_test

import (
	"path/filepath"
	"testing"
)

// TestColumnar_ExportDeleted exports a table two of whose rows were
// deleted (EXPORT reads it a storage chunk at a time): the file holds the
// live rows only.
func TestColumnar_ExportDeleted(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT v FROM '"+columnarData+"'")
	mustExec(t, d, "DELETE FROM v WHERE word = 'w0003' OR word = 'w0999'")
	pq := filepath.Join(t.TempDir(), "v.parquet")
	mustExec(t, d, "EXPORT v TO '"+pq+"'")
	mustExec(t, d, "IMPORT u FROM '"+pq+"'")
	if got := mustExec(t, d, "SELECT count(*) FROM u").Rows[0][0]; got != int64(998) {
		t.Errorf("the export of 998 live rows imported %v", got)
	}
	for _, w := range []string{"w0003", "w0999"} {
		if res := mustExec(t, d, "SELECT word FROM u WHERE word = '"+w+"'"); len(res.Rows) != 0 {
			t.Errorf("deleted %s was exported", w)
		}
	}
	want, got := vectorsOf(t, d, "v"), vectorsOf(t, d, "u")
	if !mapsEqual(got, want) {
		t.Error("the export's vectors differ from the table's")
	}
}
