package trainer

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestEvaluate_CaseSensitive compares both evaluations, case-sensitive and not, with gensim's
// on vectors-small.txt.gz with a few rows capitalised (testdata/eval_case.json, made by
// testdata/gen_case_goldens.py).
func TestEvaluate_CaseSensitive(t *testing.T) {
	raw, err := os.ReadFile("testdata/eval_case.json")
	if err != nil {
		t.Fatal(err)
	}
	type figures struct {
		AnalogyAccuracy    float64 `json:"analogy_accuracy"`
		Correct, Incorrect int
		Pearson, Spearman  float64
		OOVRatio           float64 `json:"oov_ratio"`
	}
	var g struct {
		Rename          map[string]string
		CaseSensitive   figures `json:"case_sensitive"`
		CaseInsensitive figures `json:"case_insensitive"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	kv := loadText(t, "testdata/vectors-small.txt.gz")
	for i, w := range kv.Words {
		if r, ok := g.Rename[w]; ok {
			kv.Words[i] = r
		}
	}
	qw := sharedFile(t, "eval/questions-words.txt")
	ws := sharedFile(t, "eval/wordsim353.tsv")
	for _, cs := range []bool{true, false} {
		kv.CaseSensitive = cs
		want := g.CaseInsensitive
		if cs {
			want = g.CaseSensitive
		}
		f, err := os.Open(qw)
		if err != nil {
			t.Fatal(err)
		}
		a, err := kv.EvaluateWordAnalogies(context.Background(), f, 0)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if a.Total.Correct != want.Correct || a.Total.Incorrect != want.Incorrect {
			t.Errorf("CaseSensitive=%v: analogies %d correct, %d incorrect; gensim %d, %d", cs, a.Total.Correct, a.Total.Incorrect, want.Correct, want.Incorrect)
		}
		f, err = os.Open(ws)
		if err != nil {
			t.Fatal(err)
		}
		p, err := kv.EvaluateWordPairs(context.Background(), f, 0)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p.Spearman-want.Spearman) > 1e-6 || math.Abs(p.Pearson-want.Pearson) > 1e-5 || math.Abs(p.OOVRatio-want.OOVRatio) > 1e-9 {
			t.Errorf("CaseSensitive=%v: pairs %+v; gensim %+v", cs, p, want)
		}
	}
}
