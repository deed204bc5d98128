package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/query"
	"github.com/embeddb/embeddb/trainer"
)

// TestExec_ErrorCatalogue lists wrong statements (well-formed, but they
// cannot run) with the exact message each gets. Every one is positioned.
// The parser's own catalogue of malformed statements is in package query.
func TestExec_ErrorCatalogue(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE pets (dim = 3);
		INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]);
		CREATE TABLE flat (dim = 2);
		TRAIN w2v FROM '../testdata/train-data.txt' WITH (vector_size = 8, min_count = 1, workers = 1)`)
	tests := []struct {
		sql  string
		want string
		is   error
	}{
		{"SELECT * FROM w2x", `1:15: unknown table "w2x" (did you mean w2v?)`, db.ErrNoTable},
		{"SELECT NEAREST('pythn', 5) FROM w2v", `1:16: word "pythn" not in vocabulary of w2v (did you mean "python"?)`, db.ErrNoWord},
		{"SELECT VECTOR('zzzz') FROM w2v", `1:15: word "zzzz" not in vocabulary of w2v`, db.ErrNoWord},
		{"SELECT VECTOR() FROM w2v", `1:8: VECTOR takes 1 argument, found 0`, db.ErrSemantic},
		{"SELECT VECTOR('a', 'b') FROM w2v", `1:8: VECTOR takes 1 argument, found 2`, db.ErrSemantic},
		{"SELECT SIMILARITY('python') FROM w2v", `1:8: SIMILARITY takes 2 arguments, found 1`, db.ErrSemantic},
		{"SELECT NEAREST('python', 0) FROM w2v", `1:26: NEAREST's count must be a positive integer, found 0`, db.ErrSemantic},
		{"SELECT NEAREST('python', 'five') FROM w2v", `1:26: NEAREST's count must be a positive integer, found 'five'`, db.ErrSemantic},
		{"SELECT NEAREST() FROM w2v", `1:8: NEAREST takes 1 or 2 arguments, found 0`, db.ErrSemantic},
		{"SELECT NEAREST([1, 2], 3) FROM pets", `1:16: pets has dimension 3, the query vector has length 2`, nil},
		{"SELECT NEAREST(VECTOR('cat') - VECTOR('cat'), 3) FROM pets", `1:30: the query vector is zero: nothing is near it`, db.ErrSemantic},
		{"SELECT NEAREST('cat', 3) + 1 FROM pets", `1:8: NEAREST returns rows: use it alone in the select list, as in SELECT NEAREST(...) FROM table`, db.ErrSemantic},
		{"SELECT word, NEAREST('cat', 3) FROM pets", `1:14: NEAREST returns rows: use it alone in the select list, as in SELECT NEAREST(...) FROM table`, db.ErrSemantic},
		{"SELECT TOKENS('hi') FROM pets", `1:8: table pets has no tokenizer (IMPORT it WITH (tokenizer = 'tokenizer.json'))`, db.ErrNoTokenizer},
		{"SELECT TOKEN(99) FROM pets", `1:14: no row with id 99 in pets (ids run from 0 to 1)`, db.ErrNoWord},
		{"SELECT TOKEN('x') FROM pets", `1:14: TOKEN expects a row id (a non-negative integer), found a string`, db.ErrSemantic},
		{"SELECT colour FROM pets", `1:8: unknown column "colour" (the columns of pets are id, word, count, vector)`, db.ErrSemantic},
		{"SELECT word", `1:8: column word needs a FROM table`, db.ErrSemantic},
		{"SELECT *", `1:8: SELECT * needs a FROM table`, db.ErrSemantic},
		{"SELECT 1 WHERE 1 = 1", `1:18: WHERE needs a FROM table`, db.ErrSemantic},
		{"SELECT word FROM pets WHERE count", `1:29: WHERE needs a condition, found an integer`, db.ErrSemantic},
		{"SELECT word FROM pets WHERE word > 3", `1:34: cannot compare column "word" (TEXT) with integer 3`, db.ErrSemantic},
		// A lookup through the words index reports the mismatch the row-wise
		// comparison would, instead of finding no row.
		{"SELECT word FROM pets WHERE word = 3", `1:34: cannot compare column "word" (TEXT) with integer 3`, db.ErrSemantic},
		{"SELECT word FROM pets WHERE id = 'x'", `1:32: cannot compare column "id" (INTEGER) with text "x"`, db.ErrSemantic},
		{"SELECT word FROM pets WHERE word IN ('cat', 2)", `1:45: cannot compare column "word" (TEXT) with integer 2`, db.ErrSemantic},
		{"DELETE FROM pets WHERE count = 1 AND word = 3", `1:43: cannot compare column "word" (TEXT) with integer 3`, db.ErrSemantic},
		{"SELECT word FROM pets WHERE word LIKE 3", `1:34: LIKE compares strings, found a string LIKE an integer`, db.ErrSemantic},
		{"SELECT word FROM pets WHERE NOT count", `1:29: NOT needs a boolean, found an integer`, db.ErrSemantic},
		{"SELECT 1 / 0", `1:10: division by zero`, db.ErrSemantic},
		{"SELECT [1, 2] + [1, 2, 3]", `1:15: cannot add vectors of lengths 2 and 3`, nil},
		{"SELECT [1, 2] * [1, 2]", `1:15: vectors can be added and subtracted, not combined with * (use DOT for a dot product)`, db.ErrSemantic},
		{"SELECT 2 / [1, 2]", `1:10: a vector can be multiplied or divided by a number, not combined with /`, db.ErrSemantic},
		{"SELECT 'a' + 1", `1:12: cannot add a string and an integer`, db.ErrSemantic},
		{"SELECT -'a'", `1:8: cannot negate a string`, db.ErrSemantic},
		{"SELECT [1, 'x']", `1:12: vector elements must be numbers, found a string`, db.ErrSemantic},
		{"SELECT COUNT(*), word FROM pets", `1:18: cannot mix aggregates with per-row values in one select list: column word is in no aggregate (add GROUP BY word?)`, db.ErrSemantic},
		{"SELECT FROBNICATE(1)", `1:8: unknown function FROBNICATE (functions are AVG, COSINE, COUNT, DIM, DISTANCE, DOESNT_MATCH, DOT, EMBED, EMBED_TEXT, JSON_EXTRACT, MAX, MEAN_VECTOR, MIN, NEAREST, NEAREST_COSMUL, NORM, SIMILARITY, SUM, TOKEN, TOKENS, VECTOR or WMDISTANCE)`, query.ErrSyntax},
		{"SELECT word FROM pets ORDER BY 3", `1:32: ORDER BY position 3 is not in the select list (1 to 1)`, db.ErrSemantic},
		{"SELECT word FROM pets LIMIT -1", `1:29: LIMIT must be a non-negative integer, found -1`, db.ErrSemantic},
		{"SELECT word FROM pets LIMIT 2.5", `1:29: LIMIT must be a non-negative integer, found 2.5`, db.ErrSemantic},
		{"SELECT word FROM pets LIMIT 'ten'", `1:29: LIMIT must be a non-negative integer, found a string`, db.ErrSemantic},
		{"INSERT INTO pets VALUES ('cow', -2, [1, 2, 3])", `1:33: count must be a non-negative integer, found -2`, db.ErrSemantic},
		{"CREATE TABLE pets (dim = 3)", `1:14: table "pets" already exists`, db.ErrTableExists},
		{"CREATE TABLE p2 (dim = 0)", `1:18: dim must be an integer from 1 to 65536, found 0`, db.ErrSemantic},
		{"CREATE TABLE p2 (dims = 3)", `1:18: unknown option "dims" for CREATE TABLE (did you mean dim?)`, db.ErrSemantic},
		{"CREATE TABLE p2 (metric = 'l1', dim = 2)", `1:18: metric must be cosine, dot or euclidean, found 'l1'`, db.ErrSemantic},
		{"CREATE TABLE p2 (type = 'float32')", `1:1: CREATE TABLE needs the vector length: CREATE TABLE p2 (dim = N)`, db.ErrSemantic},
		{"INSERT INTO pets VALUES ('cat', [1, 2, 3])", `1:25: word "cat" is already in pets (use INSERT OR REPLACE to overwrite it)`, db.ErrWordExists},
		{"INSERT INTO pets VALUES ('cow', [1, 2])", `1:25: table pets has dimension 3, got a vector of length 2`, nil},
		{"INSERT INTO pets VALUES ('cow')", `1:25: the row has 1 value, expected 2 (word, vector)`, db.ErrSemantic},
		{"INSERT INTO pets VALUES (3, [1, 2, 3])", `1:26: word must be a string, found an integer`, db.ErrSemantic},
		{"INSERT INTO pets VALUES ('cow', 'moo')", `1:33: vector must be a vector such as [0.1, 0.2], found a string`, db.ErrSemantic},
		{"INSERT INTO pets (id, word, vector) VALUES (1, 'a', [1, 2, 3])", `1:19: id cannot be set: rows get the table's next id`, db.ErrSemantic},
		{"INSERT INTO pets (word, colour) VALUES ('a', 1)", `1:25: unknown column "colour" (INSERT sets word, count and vector)`, db.ErrSemantic},
		{"SELECT COSINE([1, 2], [1, 2, 3])", `1:8: COSINE needs two vectors of one length, found lengths 2 and 3`, nil},
		{"INSERT INTO pets VALUES ('', [1, 2, 3])", `1:25: a word cannot be empty`, db.ErrInvalidName},
		{"INSERT INTO pets VALUES ('cow', 1, [1, 2, 3]), ('cow', [1, 2])", `1:48: table pets has dimension 3, got a vector of length 2`, nil},
		{"DELETE FROM nope", `1:13: unknown table "nope"`, db.ErrNoTable},
		{"DROP TABLE nope", `1:12: unknown table "nope"`, db.ErrNoTable},
		{"ALTER TABLE pets RENAME TO w2v", `1:28: table "w2v" already exists`, db.ErrTableExists},
		{"TRAIN w2v FROM '../testdata/train-data.txt'", `1:7: table "w2v" already exists (TRAIN ... WITH (update = true) continues training it)`, db.ErrTableExists},
		{"TRAIN x FROM 'missing.txt'", `1:14: cannot read training file: stat missing.txt: no such file or directory`, nil},
		{"TRAIN x FROM '../testdata/train-data.txt' WITH (vectorsize = 10)", `1:49: unknown parameter "vectorsize" (did you mean vector_size?)`, nil},
		{"TRAIN x FROM '../testdata/train-data.txt' WITH (window = 0)", `1:49: window must be at least 1, found 0`, nil},
		{"TRAIN x FROM '../testdata/train-data.txt' WITH (update = true)", `1:49: cannot update table "x": it does not exist`, db.ErrNoTable},
		{"TRAIN pets FROM '../testdata/train-data.txt' WITH (update = true)", `1:52: table "pets" cannot continue training: it was not trained by embeddb`, db.ErrSemantic},
		{"TRAIN x FROM '../testdata/train-data.txt' WITH (min_count = 100)", `1:1: no word occurs at least min_count = 100 times in the training text`, trainer.ErrEmptyVocabulary},
		{"CREATE INDEX ON pets USING ivfflat", `1:28: unknown index method "ivfflat" (embeddb has hnsw)`, db.ErrSemantic},
		{"CREATE INDEX ON pets USING hnsw WITH (m = 1)", `1:39: m must be an integer from 2 to 100, found 1`, db.ErrSemantic},
		{"CREATE INDEX ON pets USING hnsw WITH (ef = 10)", `1:39: unknown option "ef" for CREATE INDEX (did you mean m?)`, db.ErrSemantic},
		{"CREATE INDEX ON pets USING hnsw WITH (m = 16, ef_construction = 20)", `1:47: ef_construction must be at least 2 × m = 32, found 20`, db.ErrSemantic},
		{"DROP INDEX ON pets", `1:15: table pets has no index`, db.ErrNoIndex},
		{"SET ef_search = -3", `1:17: ef_search must be an integer from 1 to 16777216 (0: the index's default), found -3`, db.ErrSemantic},
		{"SET exact = maybe", `1:13: exact must be on or off, found 'maybe'`, db.ErrSemantic},
		{"SET colour = 1", `1:1: unknown setting "colour" (settings are ef_search, exact, recall)`, db.ErrSemantic},
		{"EVALUATE w2v WITH (restrict_vocab = 5)", `1:1: EVALUATE needs WITH (analogies = 'file') or WITH (pairs = 'file')`, db.ErrSemantic},
		{"EVALUATE w2v WITH (analogies = 'missing.txt')", `1:32: cannot read analogies file: open missing.txt: no such file or directory`, nil},
		{"EXPLAIN SELECT * FROM nope", `1:23: unknown table "nope"`, db.ErrNoTable},
		{"IMPORT v FROM 'testdata/vectors.txt' WITH (format = 'xml')", `1:44: format must be word2vec, glove, fasttext, npy, safetensors, parquet, arrow, spark, jsonl or csv, found 'xml'`, db.ErrSemantic},
		{"IMPORT v FROM 'testdata/vectors.txt' WITH (limits = 3)", `1:44: unknown option "limits" for IMPORT (did you mean limit?)`, db.ErrSemantic},
		{"IMPORT pets FROM 'testdata/vectors.txt'", `1:8: table "pets" already exists (IMPORT ... WITH (replace = true) replaces it)`, db.ErrTableExists},
		{"EXPORT pets TO 'x.bin' WITH (binary = 'sometimes')", `1:30: binary must be true or false, found 'sometimes'`, db.ErrSemantic},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := d.Exec(context.Background(), tt.sql)
			if err == nil {
				t.Fatalf("Exec(%q) succeeded, want %q", tt.sql, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Exec(%q) =\n  %s\nwant\n  %s", tt.sql, err, tt.want)
			}
			var qe *query.Error
			if !errors.As(err, &qe) || !qe.Pos.IsValid() {
				t.Errorf("Exec(%q): error %v has no position", tt.sql, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Exec(%q): error %v does not match %v", tt.sql, err, tt.is)
			}
		})
	}
	if len(tests) < 50 {
		t.Fatalf("only %d cases", len(tests))
	}
}

// TestExec_ErrorsCutLongInput checks that a message quoting a word, a name
// or a value from the statement quotes its first 80 characters only: a
// 5 MB word must not make a 5 MB message.
func TestExec_ErrorsCutLongInput(t *testing.T) {
	d := MustOpenDB(t)
	mustExec(t, d, `CREATE TABLE pets (dim = 3)`)
	long := strings.Repeat("x", 5000)
	cut := strings.Repeat("x", 79) + "..." // a token keeps its opening quote
	tests := []struct{ name, sql string }{
		{"Word", "INSERT INTO pets VALUES ('" + long + "', [1, 2, 3])"},
		{"Column", "SELECT " + long + " FROM pets"},
		{"Table", "SELECT * FROM " + long},
		{"OptionValue", "CREATE TABLE q (metric = '" + long + "')"},
		{"Option", "CREATE TABLE q (dim = 3, " + long + " = 1)"},
		{"Token", "SELECT 1 '" + long + "'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Exec(context.Background(), tt.sql)
			if err == nil {
				t.Fatalf("Exec(%.40q...) succeeded, want an error", tt.sql)
			}
			msg := err.Error()
			if !strings.Contains(msg, cut) || strings.Contains(msg, strings.Repeat("x", 81)) || len(msg) > 400 {
				t.Errorf("Exec(%.40q...) = %.500q, want the long text cut to 80 characters and an ellipsis", tt.sql, msg)
			}
		})
	}
}
