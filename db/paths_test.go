package db_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// openPets opens (creating) a database at path holding table pets, and
// closes it when the test ends.
func openPets(t *testing.T, path string) *db.DB {
	t.Helper()
	d, err := db.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	mustExec(t, d, "CREATE TABLE IF NOT EXISTS pets (dim = 3); INSERT OR REPLACE INTO pets VALUES ('cat', [1, 2, 3])")
	return d
}

// wantWords reopens the database at path and fails unless pets holds
// exactly words, in id order.
func wantWords(t *testing.T, path string, words ...string) {
	t.Helper()
	d, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("reopen %s: %v", path, err)
	}
	defer d.Close()
	var got []string
	for _, r := range mustExec(t, d, "SELECT word FROM pets").Rows {
		got = append(got, r[0].(string))
	}
	if !slices.Equal(got, words) {
		t.Fatalf("after reopening, pets holds %q, want %q", got, words)
	}
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestPaths_TargetIsDatabase: BACKUP, VACUUM INTO and EXPORT onto the open
// database, by any path to it, are refused, and later writes survive. Each
// was accepted before: writes after BACKUP went to a file renamed over, and
// EXPORT replaced the database with a word2vec file.
func TestPaths_TargetIsDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.db")
	d := openPets(t, path)
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink("p.db", link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.db")
	if err := os.Link(path, hard); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, filepath.Join(dir, ".", "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{"same path": path, "relative path": "./" + rel, "symlink": link, "hard link": hard}
	for name, target := range targets {
		for _, stmt := range []string{"BACKUP TO ?", "VACUUM INTO ?", "EXPORT pets TO ?",
			"EXPORT pets TO ? WITH (overwrite = true)", "EXPORT pets TO ? WITH (format = 'word2vec', binary = true, overwrite = true)"} {
			_, err := d.Exec(context.Background(), stmt, target)
			if !errors.Is(err, db.ErrTargetIsDatabase) && !(errors.Is(err, fs.ErrExist) && !strings.Contains(stmt, "overwrite")) {
				t.Errorf("%s: %s = %v, want a refusal", name, stmt, err)
				continue
			}
			if !strings.Contains(err.Error(), target) {
				t.Errorf("%s: %s = %v: the error does not name the file", name, stmt, err)
			}
		}
	}
	_, err = d.Exec(context.Background(), "BACKUP TO ?", link)
	if want := "cannot back up to " + link + ": it is the open database file"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("BACKUP TO the symlink = %v, want ...%q", err, want)
	}
	mustExec(t, d, "INSERT INTO pets VALUES ('dog', [4, 5, 6])")
	d.Close()
	wantWords(t, path, "cat", "dog")
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
}

// TestPaths_ExportOverwrite: EXPORT to an existing file needs
// WITH (overwrite = true), as sqlite's VACUUM INTO refuses a non-empty file.
func TestPaths_ExportOverwrite(t *testing.T) {
	dir := t.TempDir()
	d := openPets(t, filepath.Join(dir, "p.db"))
	out := filepath.Join(dir, "someone.txt")
	if err := os.WriteFile(out, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := d.Exec(context.Background(), "EXPORT pets TO ?", out)
	if want := out + ": file already exists; EXPORT ... WITH (overwrite = true) replaces it"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("EXPORT over an existing file = %v, want ...%q", err, want)
	}
	if b, _ := os.ReadFile(out); string(b) != "keep me" {
		t.Fatalf("the refused EXPORT changed the file: %q", b)
	}
	npy := filepath.Join(dir, "m.npy")
	os.WriteFile(filepath.Join(dir, "m.words.txt"), []byte("keep me"), 0o644)
	if _, err := d.Exec(context.Background(), "EXPORT pets TO ?", npy); !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), "m.words.txt") {
		t.Fatalf("EXPORT over an existing words file = %v, want a refusal naming it", err)
	}
	if _, err := os.Stat(npy); err == nil {
		t.Fatal("the refused EXPORT wrote its .npy file")
	}
	mustExec(t, d, "EXPORT pets TO ? WITH (overwrite = true)", out)
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "1 3\ncat ") {
		t.Fatalf("EXPORT WITH (overwrite = true) wrote %q", b)
	}
}

// TestPaths_TempNames: VACUUM INTO 'X' deleted a file named X.tmp, even
// when that was the open database, and VACUUM on a database reached
// through a symlink replaced the link with a regular file.
func TestPaths_TempNames(t *testing.T) {
	t.Run("OthersTmpFile", func(t *testing.T) {
		dir := t.TempDir()
		d := openPets(t, filepath.Join(dir, "p.db"))
		x := filepath.Join(dir, "x.db")
		os.WriteFile(x+".tmp", []byte("someone's"), 0o644)
		mustExec(t, d, "VACUUM INTO ?", x)
		if b, err := os.ReadFile(x + ".tmp"); err != nil || string(b) != "someone's" {
			t.Fatalf("VACUUM INTO %s touched %s.tmp: %q, %v", x, x, b, err)
		}
		wantWords(t, x, "cat")
	})
	t.Run("DatabaseNamedTmp", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "x.tmp")
		d := openPets(t, path)
		mustExec(t, d, "VACUUM INTO ?", filepath.Join(dir, "x"))
		mustExec(t, d, "INSERT INTO pets VALUES ('dog', [4, 5, 6])")
		d.Close()
		wantWords(t, path, "cat", "dog")
	})
	t.Run("SymlinkedDatabase", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "real.db")
		link := filepath.Join(dir, "link.db")
		openPets(t, real).Close()
		if err := os.Symlink("real.db", link); err != nil {
			t.Fatal(err)
		}
		d := openPets(t, link)
		mustExec(t, d, "VACUUM")
		mustExec(t, d, "INSERT INTO pets VALUES ('dog', [4, 5, 6])")
		d.Close()
		if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("VACUUM replaced the symlink %s: %v, %v", link, st, err)
		}
		wantWords(t, real, "cat", "dog")
		if names := dirNames(t, dir); !slices.Equal(names, []string{"link.db", "real.db"}) {
			t.Fatalf("VACUUM left %q", names)
		}
	})
}

// TestOpen_RemovesKilledVacuum: a VACUUM killed midway leaves its copy,
// ".NAME.vacuum-DIGITS", beside the database; the next writable Open (which,
// holding the lock, knows no VACUUM of the file runs) removes it, and
// nothing else.
func TestOpen_RemovesKilledVacuum(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.db")
	openPets(t, path).Close()
	stale := filepath.Join(dir, ".v.db.vacuum-123456")
	keep := []string{".v.db.vacuum-12x", ".v.db.compact-99", ".w.db.vacuum-1", "v.db.vacuum-1"}
	for _, name := range append(keep, filepath.Base(stale)) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := db.Open(path, &db.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := os.Stat(stale); err != nil {
		t.Fatal("a read-only Open removed a file")
	}
	openPets(t, path).Close()
	want := append(slices.Clone(keep), "v.db")
	slices.Sort(want)
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Fatalf("after Open the directory holds %q, want %q", got, want)
	}
}
