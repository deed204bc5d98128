package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
)

// keepColumnsWord is the i-th word of the corpora below: letters only, as
// the tokenizer keeps them.
func keepColumnsWord(i int) string {
	s := ""
	for i += 26 * 26; i > 0; i /= 26 {
		s += string(rune('a' + i%26))
	}
	return s
}

// writeCorpus writes a text of words lo to hi-1 and returns its path.
func writeCorpus(t *testing.T, name string, lo, hi int, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	var sb strings.Builder
	for range 2000 {
		for j := range 12 {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(keepColumnsWord(lo + rng.IntN(hi-lo)))
		}
		sb.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// columnValues returns word -> "lang rank score" of every row of table.
func columnValues(t *testing.T, d *db.DB, table string) map[string]string {
	t.Helper()
	res, err := d.Exec(context.Background(), "SELECT word, lang, rank, score FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range res.Rows {
		out[r[0].(string)] = strings.TrimSuffix(fmt.Sprintln(r[1:]...), "\n")
	}
	return out
}

// TestTrainUpdate_KeepsColumns: TRAIN ... WITH (update = true) keeps the
// table's columns: the words it had keep their values, new words get each
// column's DEFAULT or NULL, the scalar indexes list the new rows (CHECK
// DATABASE, and a lookup through each gives the scan's rows).
func TestTrainUpdate_KeepsColumns(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	a, b := writeCorpus(t, "a.txt", 0, 150, 1), writeCorpus(t, "b.txt", 100, 250, 2)
	mustExec(t, d, "TRAIN w2v FROM '"+a+"' WITH (vector_size = 16, min_count = 3, epochs = 1, seed = 1, workers = 1)")
	mustExec(t, d, "ALTER TABLE w2v ADD COLUMN lang TEXT DEFAULT 'en'; ALTER TABLE w2v ADD COLUMN rank INTEGER; ALTER TABLE w2v ADD COLUMN score REAL NOT NULL DEFAULT 0.5")
	mustExec(t, d, "UPDATE w2v SET lang = 'xx', rank = count, score = 1.5 WHERE count > 75")
	mustExec(t, d, "CREATE INDEX ON w2v (lang); CREATE INDEX ON w2v (rank); CREATE INDEX ON w2v (count)")
	before := columnValues(t, d, "w2v")
	mustExec(t, d, "TRAIN w2v FROM '"+b+"' WITH (update = true)")
	after := columnValues(t, d, "w2v")
	kept, added := 0, 0
	for w, v := range after {
		want, had := before[w]
		if !had {
			want = "en <nil> 0.5"
			added++
		} else {
			kept++
		}
		if v != want {
			t.Errorf("after the update, %s has %s, want %s", w, v, want)
		}
	}
	if kept != len(before) || added == 0 {
		t.Errorf("the update kept %d of %d words and added %d", kept, len(before), added)
	}
	checkScalarConsistent(t, d, "w2v", []string{"lang = 'xx'", "rank > 80", "lang = 'en' AND count > 150"})
	if _, err := d.Exec(ctx, "INSERT INTO w2v (word, vector) VALUES ('zzz', ?)", make([]float32, 16)); err != nil {
		t.Fatal(err)
	}
	checkScalarConsistent(t, d, "w2v", []string{"lang = 'en' AND word = 'zzz'"})
}

// TestImportReplace_KeepsColumns: IMPORT ... WITH (replace = true) of a
// vector file keeps the table's columns by word, with DEFAULT or NULL for
// new words; a NOT NULL column without DEFAULT is an error before the file
// is read, naming the column, and leaves the table as it was.
func TestImportReplace_KeepsColumns(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	dir := t.TempDir()
	vec := filepath.Join(dir, "v.vec")
	if err := os.WriteFile(vec, []byte("3 2\napple 1 0\npear 0 1\nkiwi 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "CREATE TABLE docs (dim = 2, lang TEXT, rank INTEGER DEFAULT 7, score REAL)")
	mustExec(t, d, "INSERT INTO docs (word, lang, rank, score, vector) VALUES ('apple', 'fr', 1, 0.25, [0.5, 0.5]), ('plum', 'de', 2, 0.75, [0.1, 0.9])")
	mustExec(t, d, "CREATE INDEX ON docs (rank); CREATE INDEX ON docs (lang)")
	mustExec(t, d, "IMPORT docs FROM '"+vec+"' WITH (format = 'word2vec', replace = true)")
	got := columnValues(t, d, "docs")
	want := map[string]string{"apple": "fr 1 0.25", "pear": "<nil> 7 <nil>", "kiwi": "<nil> 7 <nil>"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after IMPORT ... replace: %v, want %v", got, want)
	}
	checkScalarConsistent(t, d, "docs", []string{"rank = 7", "lang = 'fr'", "rank < 2"})

	mustExec(t, d, "CREATE TABLE req (dim = 2, must INTEGER NOT NULL)")
	mustExec(t, d, "INSERT INTO req (word, must, vector) VALUES ('apple', 1, [1, 1])")
	sql := "IMPORT req FROM '" + vec + "' WITH (format = 'word2vec', replace = true)"
	_, err := d.Exec(ctx, sql)
	wantErr := `NOT NULL constraint failed: table "req": column "must" is NOT NULL without a DEFAULT, so the rows of new words would have no value; nothing was loaded (drop the column, or add it again with a DEFAULT, first)`
	if err == nil || !strings.HasSuffix(err.Error(), wantErr) || !strings.HasPrefix(err.Error(), fmt.Sprintf("1:%d: ", strings.Index(sql, "replace")+1)) {
		t.Errorf("Exec(%q) = %v, want %s at the replace option", sql, err, wantErr)
	}
	if got, _ := outcome(d, "SELECT word, must, vector FROM req"); got != "apple 1 [1 1]" {
		t.Errorf("after the failed IMPORT, req holds %s", got)
	}
}

// checkScalarConsistent checks CHECK DATABASE and that each condition gives
// the same rows through table's scalar indexes as with them dropped.
func checkScalarConsistent(t *testing.T, d *db.DB, table string, conds []string) {
	t.Helper()
	if got, err := outcome(d, "CHECK DATABASE"); got != "ok" {
		t.Fatalf("CHECK DATABASE = %s %s", got, err)
	}
	var through []string
	for _, c := range conds {
		got, err := outcome(d, "SELECT word FROM "+table+" WHERE "+c+" ORDER BY word")
		if err != "" {
			t.Fatal(err)
		}
		through = append(through, got)
	}
	res, err := d.Exec(context.Background(), "DESCRIBE "+table)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, r := range res.Rows {
		if r[0] == "scalar_indexes" {
			cols = strings.Split(fmt.Sprint(r[1]), ", ")
		}
	}
	for _, c := range cols {
		mustExec(t, d, "DROP INDEX ON "+table+" ("+c+")")
	}
	for i, c := range conds {
		if want, _ := outcome(d, "SELECT word FROM "+table+" WHERE "+c+" ORDER BY word"); through[i] != want {
			t.Errorf("WHERE %s: through the indexes %q, scanned %q", c, through[i], want)
		}
	}
	for _, c := range cols {
		mustExec(t, d, "CREATE INDEX ON "+table+" ("+c+")")
	}
}
