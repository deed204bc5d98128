package db_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/ftbin"
)

// TestExec_FastTextBin imports the .bin files of Facebook's fastText and of gensim: every
// word's VECTOR, known or unseen, equals gensim's load_facebook_model(...).wv[word] to 1e-6
// (testdata/ftbin.golden.json, made by testdata/gen_ftbin.py). Exporting the imported table
// gives back the model the file held.
func TestExec_FastTextBin(t *testing.T) {
	raw, err := os.ReadFile("testdata/ftbin.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]struct {
		Vocab   int
		Vectors map[string][]float64
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	d := MustOpenDB(t)
	for i, name := range []string{"ft-fb.bin", "ft-gensim.bin"} {
		g := golden[name]
		if len(g.Vectors) == 0 {
			t.Fatalf("golden has no vectors for %s", name)
		}
		table := []string{"fb", "gs"}[i]
		src := filepath.Join("testdata", name)
		mustExec(t, d, "IMPORT "+table+" FROM ? WITH (format = 'fasttext')", src)
		if n := mustExec(t, d, "SELECT COUNT(*) FROM "+table).Rows[0][0]; n != int64(g.Vocab) {
			t.Errorf("%s: %v rows, gensim has %d words", name, n, g.Vocab)
		}
		for word, want := range g.Vectors {
			got := mustExec(t, d, "SELECT VECTOR(?) FROM "+table, word).Rows[0][0].([]float32)
			for k := range want {
				if math.Abs(float64(got[k])-want[k]) > 1e-6 {
					t.Fatalf("%s: VECTOR(%q)[%d] = %v, gensim %v", name, word, k, got[k], want[k])
				}
			}
		}
		out := filepath.Join(t.TempDir(), "out.bin")
		mustExec(t, d, "EXPORT "+table+" TO ? WITH (format = 'fasttext')", out)
		a, err := readBin(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := readBin(out)
		if err != nil {
			t.Fatal(err)
		}
		if !equalBins(a, b) {
			t.Errorf("%s: the export holds another model than the file imported", name)
		}
		if _, err := d.Exec(context.Background(), "EXPORT "+table+" TO ? WITH (format = 'fasttext')", out); !errors.Is(err, fs.ErrExist) {
			t.Errorf("export over an existing file: err = %v, want fs.ErrExist", err)
		}
		mustExec(t, d, "EXPORT "+table+" TO ? WITH (format = 'fasttext', overwrite = true)", out)
	}
	// A FastText table continues training from an imported .bin, as gensim's does.
	lee := filepath.Join(sharedTestdata(t), "corpus", "gensim", "lee_background.cor")
	mustExec(t, d, "TRAIN gs FROM ? WITH (update = true, epochs = 1, workers = 1)", lee)

	// .vec text stays format = 'fasttext' too.
	vec := filepath.Join(t.TempDir(), "x.vec")
	mustExec(t, d, "EXPORT gs TO ? WITH (format = 'fasttext')", vec)
	if head, _ := os.ReadFile(vec); !bytes.HasPrefix(head, []byte("2")) || strings.Contains(string(head[:20]), "\x00") {
		t.Errorf(".vec export starts %q", head[:20])
	}
	// Errors: a Word2Vec table has no .bin; a corrupt .bin names the byte.
	mustExec(t, d, "CREATE TABLE pets (dim = 2)")
	if _, err := d.Exec(context.Background(), "EXPORT pets TO ? WITH (format = 'fasttext')", filepath.Join(t.TempDir(), "p.bin")); err == nil || !strings.Contains(err.Error(), "not a FastText table") {
		t.Errorf("EXPORT of a plain table as .bin: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.bin")
	raw, _ = os.ReadFile("testdata/ft-gensim.bin")
	os.WriteFile(bad, raw[:len(raw)/2], 0o644)
	if _, err := d.Exec(context.Background(), "IMPORT broken FROM ? WITH (format = 'fasttext')", bad); err == nil || !strings.Contains(err.Error(), "byte") {
		t.Errorf("IMPORT of a truncated .bin: %v", err)
	}
	if n := mustExec(t, d, "SHOW TABLES").Rows; len(n) != 3 {
		t.Errorf("after a failed IMPORT: %d tables, want 3", len(n))
	}
}

func readBin(path string) (*ftbin.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return ftbin.Read(f, st.Size())
}

func equalBins(a, b *ftbin.Model) bool {
	var x, y bytes.Buffer
	a.NTokens, b.NTokens = 0, 0 // embeddb records the sum of the counts
	return ftbin.Write(&x, a) == nil && ftbin.Write(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}
