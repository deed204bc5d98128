package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// TestExec_Import_EmptyAndBadHeader imports files whose first line is not
// a usable header, or that are empty: each is refused with the file, the
// line and what is wrong, and no table is made. "-5 3" once made a GloVe
// table of dimension 1, "0 0" a table of one row named "0", and an empty
// file was "byte 0: cannot tell the format".
func TestExec_Import_EmptyAndBadHeader(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"empty.txt", "", "empty.txt: the file is empty (0 bytes)"},
		{"blank.txt", "\n\n", "blank.txt: the file holds only blank lines (2 bytes)"},
		{"neg.txt", "-5 3\n", `neg.txt:1: word2vec header "-5 3": count -5 is negative`},
		{"negdim.txt", "2 -3\n", `negdim.txt:1: word2vec header "2 -3": dimension -3 is negative`},
		{"zero.txt", "0 0\n", `zero.txt:1: word2vec header "0 0": dimension 0, but a vector needs at least one value`},
		{"zero-nonl.txt", "0 0", `zero-nonl.txt:1: word2vec header "0 0": dimension 0`},
	}
	d := MustOpenDB(t)
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		sql := "IMPORT t FROM '" + path + "'"
		_, err := d.Exec(context.Background(), sql)
		if want := "1:15: " + filepath.Join(dir, tt.want); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Exec(%q) = %v, want an error starting %q", sql, err, want)
		}
		if ts := mustTables(t, d); len(ts) != 0 {
			t.Fatalf("Exec(%q) left tables %v", sql, tableNames(ts))
		}
	}
}

// tableNames lists the names of ts, for failure messages.
func tableNames(ts []*db.TableInfo) []string {
	var names []string
	for _, ti := range ts {
		names = append(names, ti.Name)
	}
	return names
}

// mustTables returns the database's tables, or fails the test.
func mustTables(t *testing.T, d *db.DB) []*db.TableInfo {
	t.Helper()
	ts, err := d.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestExec_Import_DatabaseFile imports an embeddb database by mistake: it
// says so, where it said "byte 0: cannot tell the format".
func TestExec_Import_DatabaseFile(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.db")
	o, err := db.Open(other, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, o, "CREATE TABLE t (dim = 2)")
	o.Close()
	d := MustOpenDB(t)
	_, err = d.Exec(context.Background(), "IMPORT t FROM ?", other)
	want := "1:15: " + other + ": this is a database file (embeddb's, or another bbolt file), not a vector file"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("IMPORT of a database file = %v, want %q...", err, want)
	}
}
