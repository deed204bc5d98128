package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/embeddb/embeddb/db"
	"github.com/embeddb/embeddb/trainer"
)

// TestExec_FastText trains a FastText table and asks it for words it never saw: VECTOR gives
// the mean of the word's n-gram rows, bit for bit what the trainer's model gives for the same
// training (workers = 1), and NEAREST of such a word leaves nothing out.
func TestExec_FastText(t *testing.T) {
	corpus := filepath.Join(sharedTestdata(t), "corpus", "gensim", "lee_background.cor")
	d := MustOpenDB(t)
	mustExec(t, d, "TRAIN ft FROM ? WITH (model = 'fasttext', vector_size = 24, min_n = 3, max_n = 6, bucket = 20000, sg = 1, min_count = 2, workers = 1, epochs = 2)", corpus)

	o := trainer.DefaultOptions()
	for k, v := range map[string]any{"model": "fasttext", "vector_size": 24, "bucket": 20000, "sg": 1, "min_count": 2, "workers": 1, "epochs": 2} {
		if err := o.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	m, err := trainer.Train(context.Background(), trainer.Files(corpus), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"governmentt", "unseenword", "x", "東京", "australia"} {
		res := mustExec(t, d, "SELECT VECTOR(?) FROM ft", word)
		want, ok := m.WordVector(word)
		if !ok {
			t.Fatalf("trainer has no vector for %q", word)
		}
		if got := res.Rows[0][0]; !reflect.DeepEqual(got, want) {
			t.Errorf("VECTOR(%q) = %v, want %v", word, got, want)
		}
	}

	res := mustExec(t, d, "SELECT NEAREST('governmentt', 3) FROM ft")
	found := false
	for _, r := range res.Rows {
		found = found || r[0] == "government"
	}
	if len(res.Rows) != 3 || !found {
		t.Errorf("NEAREST('governmentt', 3) = %v, want government among them", res.Rows)
	}
	res = mustExec(t, d, "SELECT NEAREST(VECTOR('governmentt') - VECTOR('government') + VECTOR('nation'), 3) FROM ft")
	if len(res.Rows) != 3 {
		t.Errorf("NEAREST of an expression with an unseen word = %v", res.Rows)
	}
	res = mustExec(t, d, "SELECT SIMILARITY('governmentt', 'government') FROM ft")
	if s := res.Rows[0][0].(float32); s < 0.5 {
		t.Errorf("SIMILARITY('governmentt', 'government') = %v", s)
	}

	// Continued training keeps the n-grams and still answers unseen words.
	mustExec(t, d, "TRAIN ft FROM ? WITH (update = true, epochs = 1)", corpus)
	res = mustExec(t, d, "SELECT VECTOR('governmentt') FROM ft")
	if v := res.Rows[0][0].([]float32); len(v) != 24 {
		t.Errorf("after update: VECTOR of an unseen word has %d values", len(v))
	}
	if _, err := d.Exec(context.Background(), "TRAIN ft FROM ? WITH (update = true, min_n = 2)", corpus); err == nil {
		t.Error("update with another min_n succeeded")
	}

	// A Word2Vec table still refuses an unseen word.
	mustExec(t, d, "TRAIN w2v FROM ? WITH (vector_size = 8, min_count = 2, workers = 1, epochs = 1)", corpus)
	if _, err := d.Exec(context.Background(), "SELECT VECTOR('governmentt') FROM w2v"); !errors.Is(err, db.ErrNoWord) {
		t.Errorf("VECTOR of an unseen word on Word2Vec: err = %v, want ErrNoWord", err)
	}
}
