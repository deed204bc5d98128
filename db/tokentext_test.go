package db_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/db/vecfile"
	"github.com/embeddb/embeddb/internal/vec"
)

// writeMatrix writes a rows × dim bfloat16 safetensors matrix of seeded
// random values and returns its path and raw bytes.
func writeMatrix(tb testing.TB, dir string, rows, dim int) (string, []byte) {
	tb.Helper()
	path := filepath.Join(dir, fmt.Sprintf("m%dx%d.safetensors", rows, dim))
	w, err := vecfile.Create(path, rows, dim, vecfile.WriteOptions{Format: vecfile.Safetensors,
		DType: vecfile.BFloat16, Tensor: "model.embed_tokens.weight"})
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, uint64(rows)))
	raw := make([]byte, rows*dim*2)
	for i := 0; i < rows*dim; i++ {
		binary.LittleEndian.PutUint16(raw[2*i:], vec.Float32ToBFloat16(rng.Float32()*2-1))
	}
	if err := w.WriteRaw(nil, raw); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, raw
}

const qwenRows, qwenDim = 151936, 8

// qwenDB opens a database with table qwen: Qwen's tokenizer over a
// 151936 × 8 random bfloat16 matrix, whose bytes it returns.
func qwenDB(t *testing.T) (*db.DB, []byte) {
	t.Helper()
	tokPath := filepath.Join(sharedTestdata(t), "qwen", "tokenizer.json")
	path, raw := writeMatrix(t, t.TempDir(), qwenRows, qwenDim)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT qwen FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)
	return d, raw
}

// rowOf returns row id of the raw bfloat16 matrix.
func rowOf(raw []byte, id, dim int) []float32 {
	out := make([]float32, dim)
	for j := range out {
		out[j] = vec.BFloat16ToFloat32(binary.LittleEndian.Uint16(raw[2*(id*dim+j):]))
	}
	return out
}

func TestTokenText_NearestByText(t *testing.T) {
	d, raw := qwenDB(t)
	// One token: the text is that token, shown decoded beside its
	// vocabulary form, and left out of its own answer.
	res := mustExec(t, d, "SELECT NEAREST('你好', 3) FROM qwen")
	if got := fmt.Sprint(res.Columns); got != "[word similarity token]" {
		t.Fatalf("NEAREST columns = %s", got)
	}
	if len(res.Rows) != 3 {
		t.Fatalf("NEAREST('你好', 3) gave %d rows", len(res.Rows))
	}
	byToken := mustExec(t, d, "SELECT NEAREST(TOKEN(108386), 3) FROM qwen")
	if !reflect.DeepEqual(res.Rows, byToken.Rows) {
		t.Errorf("NEAREST('你好') = %v, NEAREST(TOKEN(108386)) = %v", res.Rows, byToken.Rows)
	}
	for _, r := range res.Rows {
		if r[2] == "ä½łå¥½" || r[0] == "你好" {
			t.Errorf("NEAREST('你好') includes the token itself: %v", r)
		}
	}
	// VECTOR of text is the token's row.
	v := mustExec(t, d, "SELECT VECTOR('你好') FROM qwen").Rows[0][0].([]float32)
	if want := rowOf(raw, 108386, qwenDim); !reflect.DeepEqual(v, want) {
		t.Errorf("VECTOR('你好') = %v, want row 108386 %v", v, want)
	}
	// Several tokens: their mean, the tokens left out, and EXPLAIN says so.
	multi := mustExec(t, d, "SELECT NEAREST('Hi, 你好~', 5) FROM qwen").Rows
	for _, r := range multi {
		switch r[2] {
		case "Hi", ",", "Ġ", "ä½łå¥½", "~":
			t.Errorf("NEAREST('Hi, 你好~') includes its own token %v", r)
		}
	}
	plan := mustExec(t, d, "EXPLAIN SELECT NEAREST('Hi, 你好~', 5) FROM qwen").Rows
	if !strings.Contains(fmt.Sprint(plan), `the text "Hi, 你好~" is 5 tokens of the tokenizer of qwen: the query uses the mean of their vectors`) {
		t.Errorf("EXPLAIN = %v", plan)
	}
	plan = mustExec(t, d, "EXPLAIN SELECT NEAREST('你好', 5) FROM qwen").Rows
	if !strings.Contains(fmt.Sprint(plan), `the text "你好" is the token "ä½łå¥½" (id 108386)`) {
		t.Errorf("EXPLAIN = %v", plan)
	}
	// The vocabulary form still works as a word.
	if r := mustExec(t, d, "SELECT NEAREST('ä½łå¥½', 3) FROM qwen").Rows; !reflect.DeepEqual(r, res.Rows) {
		t.Errorf("NEAREST('ä½łå¥½') = %v, want %v", r, res.Rows)
	}
}

func TestTokenText_EmbedText(t *testing.T) {
	d, raw := qwenDB(t)
	ids := []int{13048, 11, 220, 108386, 93} // Hi, 你好~
	mean := make([]float64, qwenDim)
	mx := make([]float64, qwenDim)
	for j := range mx {
		mx[j] = math.Inf(-1)
	}
	for _, id := range ids {
		for j, f := range rowOf(raw, id, qwenDim) {
			mean[j] += float64(f) / float64(len(ids))
			mx[j] = max(mx[j], float64(f))
		}
	}
	for _, c := range []struct {
		sql  string
		want []float64
	}{
		{"SELECT EMBED_TEXT('Hi, 你好~') FROM qwen", mean},
		{"SELECT EMBED_TEXT('Hi, 你好~', pool = 'mean') FROM qwen", mean},
		{"SELECT EMBED_TEXT('Hi, 你好~', pool = 'max') FROM qwen", mx},
		{"SELECT VECTOR('Hi, 你好~') FROM qwen", mean},
	} {
		got := mustExec(t, d, c.sql).Rows[0][0].([]float32)
		for j := range got {
			if math.Abs(float64(got[j])-c.want[j]) > 1e-6 {
				t.Errorf("%s = %v, want %v", c.sql, got, c.want)
				break
			}
		}
	}
	// Documents embedded with the model table, then searched by text.
	mustExec(t, d, "CREATE TABLE docs (dim = 8)")
	mustExec(t, d, `INSERT INTO docs VALUES
		('greeting', EMBED_TEXT('Hello there, how are you?', model = 'qwen')),
		('weather', EMBED_TEXT('Rain is expected tomorrow in the north.', model = 'qwen')),
		('chinese', EMBED_TEXT('我们明天早上八点见面。', model = 'qwen'))`)
	got := mustExec(t, d, "SELECT NEAREST(EMBED_TEXT('我们明天早上八点见面。', model = 'qwen'), 1) FROM docs").Rows
	if len(got) != 1 || got[0][0] != "chinese" {
		t.Errorf("NEAREST(EMBED_TEXT(...)) FROM docs = %v, want chinese first", got)
	}

	for _, c := range []struct{ sql, msg string }{
		{"SELECT EMBED_TEXT('hi', pool = 'sif') FROM qwen", "pool = 'sif' weighs tokens by their counts, and the rows of qwen have none"},
		{"SELECT EMBED_TEXT('hi', pool = 'median') FROM qwen", `pool must be 'mean', 'max' or 'sif', found "median"`},
		{"SELECT EMBED_TEXT('hi', poll = 'max') FROM qwen", "EMBED_TEXT has no option poll"},
		{"SELECT EMBED_TEXT('', pool = 'max') FROM qwen", "the text has no token"},
		{"SELECT EMBED_TEXT(3) FROM qwen", "EMBED_TEXT expects text"},
		{"SELECT EMBED_TEXT('hi', model = 'nope') FROM qwen", `unknown table "nope"`},
		{"SELECT EMBED_TEXT('hi') FROM docs", "table docs has no tokenizer"},
	} {
		_, err := d.Exec(t.Context(), c.sql)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Exec(%q) error = %v, want one containing %q", c.sql, err, c.msg)
		}
	}
}

// TestTokenText_SIF checks pool = 'sif' on a table whose rows have counts
// (loaded through the library): weights a/(a + p(w)), a = 1e-3.
func TestTokenText_SIF(t *testing.T) {
	d := MustOpenDB(t)
	w, err := d.BulkLoad(t.Context(), "v", db.TableSpec{Dim: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	// a, b and ab, with counts 10, 30 and 60.
	if err := w.Append([]string{"a", "b", "ab"}, []int64{10, 30, 60}, []float32{1, 0, 0, 1, 1, 1}); err != nil {
		t.Fatal(err)
	}
	tok := `{"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true},
"decoder": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}`
	if err := w.SetBlob("tokenizer", strings.NewReader(tok)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	// "a b" is a, Ġ (no such token, and no unk: dropped), b.
	wa, wb := 1e-3/(1e-3+0.1), 1e-3/(1e-3+0.3)
	want := []float32{float32(wa / (wa + wb)), float32(wb / (wa + wb))}
	got := mustExec(t, d, "SELECT EMBED_TEXT('a b', pool = 'sif') FROM v").Rows[0][0].([]float32)
	if math.Abs(float64(got[0]-want[0])) > 1e-6 || math.Abs(float64(got[1]-want[1])) > 1e-6 {
		t.Errorf("EMBED_TEXT('a b', pool = 'sif') = %v, want %v", got, want)
	}
	if got := mustExec(t, d, "SELECT EMBED_TEXT('ab b') FROM v").Rows[0][0].([]float32); !reflect.DeepEqual(got, []float32{0.5, 1}) {
		t.Errorf("EMBED_TEXT('ab b') = %v, want [0.5 1]", got)
	}
	// A token whose row was deleted has no vector.
	mustExec(t, d, "DELETE FROM v WHERE word = 'a'")
	if _, err := d.Exec(t.Context(), "SELECT EMBED_TEXT('a b') FROM v"); err == nil || !strings.Contains(err.Error(), "row 0 of v was deleted") {
		t.Errorf("EMBED_TEXT over a deleted row: %v", err)
	}
}

func TestTokenText_ImportChecks(t *testing.T) {
	dir := t.TempDir()
	path, _ := writeMatrix(t, dir, 1000, 4)
	tokPath := filepath.Join(sharedTestdata(t), "qwen", "tokenizer.json")
	d := MustOpenDB(t)
	_, err := d.Exec(t.Context(), "IMPORT tiny FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)
	want := fmt.Sprintf("has token ids 0 to 151668 (151669 ids), but %s has 1000 rows", path)
	if !errors.Is(err, db.ErrTokenizerMismatch) || !strings.Contains(err.Error(), want) {
		t.Fatalf("IMPORT of a 1000-row matrix with Qwen's tokenizer: %v, want ErrTokenizerMismatch saying %q", err, want)
	}
	if r := mustExec(t, d, "SHOW TABLES").Rows; len(r) != 0 {
		t.Errorf("the refused IMPORT left tables %v", r)
	}
	// The same through a sharded checkpoint's index.
	index := filepath.Join(dir, "model.safetensors.index.json")
	if err := os.WriteFile(index, []byte(`{"metadata": {}, "weight_map": {"model.embed_tokens.weight": "`+filepath.Base(path)+`"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = d.Exec(t.Context(), "IMPORT tiny FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", index, tokPath)
	if !errors.Is(err, db.ErrTokenizerMismatch) || !strings.Contains(err.Error(), "(151669 ids), but "+index+" has 1000 rows") {
		t.Errorf("IMPORT of a sharded 1000-row matrix with Qwen's tokenizer: %v", err)
	}
	big, _ := writeMatrix(t, dir, 151669, 2)
	if err := os.WriteFile(index, []byte(`{"metadata": {}, "weight_map": {"model.embed_tokens.weight": "`+filepath.Base(big)+`"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d, "IMPORT fits FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", index, tokPath)
	if r := mustExec(t, d, "SELECT TOKENS('你好') FROM fits").Rows; len(r) != 1 || r[0][2] != "你好" {
		t.Errorf("TOKENS on the sharded import = %v", r)
	}
	// A tensor that is not there: the error lists the tensors there are.
	_, err = d.Exec(t.Context(), "IMPORT tiny FROM ? WITH (tensor = 'lm_head.weight')", path)
	if err == nil || !strings.Contains(err.Error(), "model.embed_tokens.weight") {
		t.Errorf("IMPORT of a missing tensor: %v, want the tensors listed", err)
	}
}

// TestTokenText_SpecialTokens uses Llama 2's tokenizer (it adds BOS) over
// a matrix of its size.
func TestTokenText_SpecialTokens(t *testing.T) {
	tokPath := filepath.Join(sharedTestdata(t), "tokenizers", "llama2", "tokenizer.json")
	path, _ := writeMatrix(t, t.TempDir(), 32000, 4)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT mistral FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)
	got := mustExec(t, d, "SELECT TOKENS('Hello world') FROM mistral").Rows
	want := [][]any{{"<s>", int64(1), "<s>"}, {"▁Hello", int64(22557), " Hello"}, {"▁world", int64(1526), " world"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TOKENS('Hello world') = %v, want %v", got, want)
	}
	got = mustExec(t, d, "SELECT TOKENS('Hello world', add_special_tokens = false) FROM mistral").Rows
	if !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("TOKENS('Hello world', add_special_tokens = false) = %v, want %v", got, want[1:])
	}
	emb := mustExec(t, d, "SELECT EMBED('Hello world', add_special_tokens = false) FROM mistral")
	if len(emb.Rows) != 2 || fmt.Sprint(emb.Columns) != "[token id text vector]" {
		t.Errorf("EMBED = %v %v", emb.Columns, emb.Rows)
	}
	// A character outside the vocabulary falls back to its bytes.
	got = mustExec(t, d, "SELECT TOKENS('🦙', add_special_tokens = false) FROM mistral").Rows
	if len(got) < 2 || got[1][0] != "<0xF0>" && got[0][0] != "<0xF0>" {
		t.Errorf("TOKENS('🦙') = %v, want byte-fallback tokens", got)
	}
}

// TestTokenText_CheckDatabase: a tokenizer with more ids than the table
// has rows (stored through the library, which IMPORT now refuses) is a
// problem CHECK DATABASE reports.
func TestTokenText_CheckDatabase(t *testing.T) {
	d := MustOpenDB(t)
	w, err := d.BulkLoad(t.Context(), "v", db.TableSpec{Dim: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Append([]string{"a", "b"}, nil, []float32{1, 0, 0, 1}); err != nil {
		t.Fatal(err)
	}
	tok := `{"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true},
"decoder": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}`
	if err := w.SetBlob("tokenizer", strings.NewReader(tok)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(mustExec(t, d, "CHECK DATABASE").Rows)
	if !strings.Contains(got, "tokenizer: token ids run to 2, but the table has rows 0 to 1 only") {
		t.Errorf("CHECK DATABASE = %s", got)
	}
	// And EMBED_TEXT of a token past the rows says so.
	if _, err := d.Exec(t.Context(), "SELECT EMBED_TEXT('ab') FROM v"); err == nil || !strings.Contains(err.Error(), `token "ab" has id 2, but v has rows 0 to 1 only`) {
		t.Errorf("EMBED_TEXT('ab') error = %v", err)
	}
}

// TestTokenText_WordPiece: a BERT-style WordPiece tokenizer (the real one
// of all-MiniLM-L6-v2) works end to end: TOKENS shows [CLS] and [SEP]
// around lower-cased pieces, "##" pieces read as the rest of a word, and
// EMBED_TEXT pools them.
func TestTokenText_WordPiece(t *testing.T) {
	tokPath := filepath.Join("..", "trainer", "tokenize", "testdata", "wordpiece", "all-minilm-l6-v2", "tokenizer.json")
	path, _ := writeMatrix(t, t.TempDir(), 30522, 4)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT minilm FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)
	got := mustExec(t, d, "SELECT TOKENS('Hello, Tokenizing!') FROM minilm").Rows
	want := [][]any{{"[CLS]", int64(101), "[CLS]"}, {"hello", int64(7592), " hello"}, {",", int64(1010), ","},
		{"token", int64(19204), " token"}, {"##izing", int64(6026), "izing"}, {"!", int64(999), "!"}, {"[SEP]", int64(102), "[SEP]"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TOKENS('Hello, Tokenizing!') = %v, want %v", got, want)
	}
	emb := mustExec(t, d, "SELECT EMBED_TEXT('Hello, Tokenizing!') FROM minilm")
	if len(emb.Rows) != 1 {
		t.Errorf("EMBED_TEXT = %v", emb.Rows)
	}
}

// TestTokenText_EmbedDocuments embeds a table of documents' text column
// into a table of vectors with INSERT ... SELECT EMBED_TEXT(...), and
// searches it by text: issue 19's "one vector per text" over a user's
// own documents.
func TestTokenText_EmbedDocuments(t *testing.T) {
	tokPath := filepath.Join("..", "trainer", "tokenize", "testdata", "wordpiece", "all-minilm-l6-v2", "tokenizer.json")
	path, _ := writeMatrix(t, t.TempDir(), 30522, 4)
	d := MustOpenDB(t)
	mustExec(t, d, "IMPORT minilm FROM ? WITH (tensor = 'model.embed_tokens.weight', tokenizer = ?)", path, tokPath)
	mustExec(t, d, `CREATE TABLE docs (dim = 4, title TEXT);
		INSERT INTO docs (word, title, vector) VALUES
			('d1', 'hello world', [0, 0, 0, 1]), ('d2', 'tokenizing text', [0, 0, 1, 0]), ('d3', 'a cat sat', [0, 1, 0, 0]);
		CREATE TABLE docvecs (dim = 4, title TEXT)`)
	mustExec(t, d, "INSERT INTO docvecs (word, title, vector) SELECT word, title, EMBED_TEXT(title, model = 'minilm') FROM docs")
	for _, title := range []string{"hello world", "tokenizing text", "a cat sat"} {
		want := mustExec(t, d, "SELECT EMBED_TEXT(?) FROM minilm", title).Rows[0][0]
		got := mustExec(t, d, "SELECT vector FROM docvecs WHERE title = ?", title).Rows
		if len(got) != 1 || !reflect.DeepEqual(got[0][0], want) {
			t.Errorf("docvecs vector of %q = %v, want EMBED_TEXT's %v", title, got, want)
		}
	}
	near := mustExec(t, d, "SELECT NEAREST(EMBED_TEXT('tokenizing text', model = 'minilm'), 1) FROM docvecs").Rows
	if len(near) != 1 || near[0][0] != "d2" {
		t.Errorf("NEAREST by text = %v, want d2 first", near)
	}
}
