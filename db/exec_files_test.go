package db_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/internal/vec"
)

// sharedTestdata returns ../shared/testdata, or skips the test.
func sharedTestdata(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EMBEDDB_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	dir = filepath.Join(dir, "testdata")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared test data not found at %s (set EMBEDDB_SHARED): %v", dir, err)
	}
	return dir
}

// TestExec_ExportImport exports a table in every format and imports it
// back: the rows must come back identical.
func TestExec_ExportImport(t *testing.T) {
	d := MustOpenDB(t)
	dir := t.TempDir()
	mustExec(t, d, "IMPORT v FROM 'testdata/vectors.txt'")
	want := mustExec(t, d, "SELECT word, vector FROM v").Rows
	for i, c := range []struct{ file, with string }{
		{"v.txt", "(format = 'word2vec')"},
		{"v.bin", "(format = 'word2vec', binary = true)"},
		{"v.vec", "(format = 'fasttext')"},
		{"v.glove", "(format = 'glove')"},
		{"v.npy", "(format = 'npy')"},
		{"v.safetensors", "(format = 'safetensors', words = '" + filepath.Join(dir, "st.words.txt") + "')"},
	} {
		path := filepath.Join(dir, c.file)
		res := mustExec(t, d, "EXPORT v TO '"+path+"' WITH "+c.with)
		if res.Rows[0][2] != int64(300) {
			t.Fatalf("EXPORT %s wrote %v rows", c.file, res.Rows[0][2])
		}
		name := fmt.Sprintf("back%d", i)
		imp := "IMPORT " + name + " FROM '" + path + "' WITH " + c.with
		mustExec(t, d, imp)
		got := mustExec(t, d, "SELECT word, vector FROM "+name).Rows
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: round trip changed the rows", c.file)
		}
	}
}

// TestExec_QwenTokenizer imports an embedding matrix of Qwen2.5's shape
// (151936 rows, bfloat16; random values, narrow rows to keep the test
// small) with Qwen's tokenizer, and checks the seed's example.
func TestExec_QwenTokenizer(t *testing.T) {
	shared := sharedTestdata(t)
	tokPath := filepath.Join(shared, "qwen", "tokenizer.json")
	const rows, dim = 151936, 8
	path, raw := writeMatrix(t, t.TempDir(), rows, dim)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT qwen FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)

	toks := mustExec(t, d, "SELECT TOKENS('Hi, 你好~') FROM qwen").Rows
	wantToks := [][]any{{"Hi", int64(13048), "Hi"}, {",", int64(11), ","}, {"Ġ", int64(220), " "}, {"ä½łå¥½", int64(108386), "你好"}, {"~", int64(93), "~"}}
	if !reflect.DeepEqual(toks, wantToks) {
		t.Fatalf("TOKENS = %v, want %v", toks, wantToks)
	}
	emb := mustExec(t, d, "SELECT EMBED('Hi, 你好~') FROM qwen")
	if fmt.Sprint(emb.Columns) != "[token id text vector]" || len(emb.Rows) != 5 {
		t.Fatalf("EMBED = %v, %d rows", emb.Columns, len(emb.Rows))
	}
	for _, r := range emb.Rows {
		id := r[1].(int64)
		row := r[3].([]float32)
		for j, f := range row {
			want := vec.BFloat16ToFloat32(binary.LittleEndian.Uint16(raw[2*(int(id)*dim+j):]))
			if f != want {
				t.Fatalf("EMBED row %d element %d = %v, the file holds %v", id, j, f, want)
			}
		}
	}
	near := mustExec(t, d, "SELECT NEAREST(TOKEN(108386), 5) FROM qwen").Rows
	if len(near) != 5 {
		t.Fatalf("NEAREST(TOKEN(108386)) gave %d rows", len(near))
	}
	for _, r := range near {
		if r[2] == "ä½łå¥½" {
			t.Fatalf("NEAREST(TOKEN(108386)) includes the token itself")
		}
	}
	desc := mustExec(t, d, "DESCRIBE qwen").Rows
	props := map[string]any{}
	for _, r := range desc {
		props[r[0].(string)] = r[1]
	}
	if props["type"] != "bfloat16" || props["rows"] != int64(rows) || props["vector_bytes"] != int64(rows*dim*2) || props["tokenizer"] != true {
		t.Fatalf("DESCRIBE qwen = %v", props)
	}
	// Rows past the tokenizer's vocabulary have no word but keep their id.
	if r := mustExec(t, d, "SELECT id, word FROM qwen WHERE id = 151935").Rows; len(r) != 1 || r[0][1] != "" {
		t.Fatalf("padding row = %v", r)
	}
	if r := mustExec(t, d, "SELECT id FROM qwen WHERE word = '<|im_start|>'").Rows; len(r) != 1 || r[0][0] != int64(151644) {
		t.Fatalf("<|im_start|> = %v, want id 151644", r)
	}
}

func TestExec_ImportBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	d := MustOpenDB(t)
	tests := []struct {
		name, content, with string
	}{
		{"short.txt", "3 2\na 1 2\nb 3 4\n", ""},
		{"dim.txt", "2 2\na 1 2\nb 3 4 5\n", ""},
		{"notnumber.txt", "1 2\na 1 x\n", ""},
		{"dup.txt", "2 2\na 1 2\na 3 4\n", ""},
		{"empty.txt", "", ""},
		{"nan.txt", "2 2\na 1 2\nb 3 nan\n", ""},
		{"inf.bin", "1 2\na \x00\x00\x80\x7f\x00\x00\x00\x00\n", ""},
	}
	for _, tt := range tests {
		path := write(tt.name, tt.content)
		_, err := d.Exec(context.Background(), "IMPORT t FROM ?", path)
		if err == nil {
			t.Errorf("IMPORT %s: no error", tt.name)
			continue
		}
		t.Logf("%s: %v", tt.name, err)
		if infos, _ := d.Tables(context.Background()); len(infos) != 0 {
			t.Fatalf("IMPORT %s failed but left %d tables", tt.name, len(infos))
		}
	}
	// A repeated word is found when the table's words are sorted; the
	// error still says where it is in the file.
	_, err := d.Exec(context.Background(), "IMPORT t FROM ?", filepath.Join(dir, "dup.txt"))
	if !errors.Is(err, vecfile.ErrDuplicate) || !strings.Contains(err.Error(), `dup.txt:3: duplicate word "a" (first on line 2)`) {
		t.Errorf("IMPORT of a repeated word = %v, want its lines", err)
	}
	// gensim keeps the first of duplicate words when asked.
	res := mustExec(t, d, "IMPORT t FROM ? WITH (duplicates = 'skip')", filepath.Join(dir, "dup.txt"))
	if res.Rows[0][1] != int64(1) || res.Rows[0][5] != int64(1) {
		t.Fatalf("IMPORT with duplicates = 'skip': %v", res.Rows[0])
	}
}
