package db_test

import (
	"path/filepath"
	"testing"
)

// TestExec_TrainPhrases: TRAIN ... WITH (phrases = true, ...) joins gensim's phrases before
// training, so a phrase is a word of the table, and DESCRIBE records the phrase options.
func TestExec_TrainPhrases(t *testing.T) {
	corpus := filepath.Join(sharedTestdata(t), "corpus", "gensim", "lee_background.cor")
	d := MustOpenDB(t)
	mustExec(t, d, "TRAIN w2v FROM ? WITH (phrases = true, phrases_min_count = 5, phrases_threshold = 10, min_count = 3, workers = 1, epochs = 1)", corpus)
	if v := mustExec(t, d, "SELECT VECTOR('prime_minister') FROM w2v").Rows[0][0].([]float32); len(v) != 100 {
		t.Errorf("VECTOR('prime_minister') has %d values", len(v))
	}
	found := map[string]any{}
	for _, r := range mustExec(t, d, "DESCRIBE w2v").Rows {
		found[r[0].(string)] = r[1]
	}
	if found["source.phrases"] != "true" && found["source.phrases"] != true || found["source.phrases_threshold"] == nil {
		t.Errorf("DESCRIBE lacks the phrase options: %v", found)
	}
	mustExec(t, d, "TRAIN plain FROM ? WITH (min_count = 3, workers = 1, epochs = 1)", corpus)
	if _, err := d.Exec(t.Context(), "SELECT VECTOR('prime_minister') FROM plain"); err == nil {
		t.Error("a table trained without phrases has the phrase prime_minister")
	}
}
