package db_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/ftbin"
)

// TestExec_FastTextBin_FailedImport: an IMPORT of a .bin that fails after its n-gram matrix
// has been written (a word's vector is NaN, found when its row is appended, after the matrix
// went to the file while the vectors were made) leaves the database as it was: the table it
// would replace answers as before, a new table does not appear, and CHECK DATABASE finds
// nothing left behind.
func TestExec_FastTextBin_FailedImport(t *testing.T) {
	src := filepath.Join("testdata", "ft-gensim.bin")
	m, err := readBin(src)
	if err != nil {
		t.Fatal(err)
	}
	m.Input[int(m.Args.Dim)*(len(m.Words)/2)] = float32(math.NaN()) // a word's own row
	bad := filepath.Join(t.TempDir(), "nan.bin")
	writeBinFile(t, bad, m)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT gs FROM ? WITH (format = 'fasttext')", src)
	before := func() [][]any {
		return append(mustExec(t, d, "SELECT COUNT(*) FROM gs").Rows,
			mustExec(t, d, "SELECT VECTOR('unseenwordxyz'), VECTOR(?) FROM gs", m.Words[3]).Rows...)
	}
	want := before()
	for _, stmt := range []string{
		"IMPORT gs FROM ? WITH (format = 'fasttext', replace = true)",
		"IMPORT fresh FROM ? WITH (format = 'fasttext')",
	} {
		_, err := d.Exec(context.Background(), stmt, bad)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "nan") {
			t.Fatalf("%s of a .bin with a NaN: err = %v, want an error naming the NaN", stmt, err)
		}
	}
	if got := before(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the failed IMPORT: gs answers %v, before %v", got, want)
	}
	if n := mustExec(t, d, "SHOW TABLES").Rows; len(n) != 1 {
		t.Errorf("after the failed IMPORT: %d tables, want 1", len(n))
	}
	if r := fmt.Sprint(mustExec(t, d, "CHECK DATABASE").Rows); r != "[[ok]]" {
		t.Errorf("CHECK DATABASE after the failed IMPORT: %v", r)
	}
}

// writeBinFile writes m as a fastText .bin at path.
func writeBinFile(tb testing.TB, path string, m *ftbin.Model) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := ftbin.Write(f, m); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}
