package trainer

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/embeddb/embeddb/trainer/tokenize"
)

// TestPhrases_Gensim compares the detected phrases, their scores and the phrased sentences
// with gensim's Phrases (testdata/phrases.json, made by testdata/gen_phrases_goldens.py).
func TestPhrases_Gensim(t *testing.T) {
	raw, err := os.ReadFile("testdata/phrases.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Cases []struct {
			Name            string
			Params          map[string]any
			CorpusWordCount int64 `json:"corpus_word_count"`
			Phrases         map[string]float64
			Sentences       [][]string
		}
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	path := sharedFile(t, "corpus/gensim/lee_background.cor")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			o := DefaultOptions()
			o.Phrases = true
			for k, v := range c.Params {
				switch k {
				case "connector_words":
					o.PhrasesConnectorWords = "english"
				case "min_count", "threshold", "scoring", "delimiter":
					if err := o.Set("phrases_"+k, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			p, err := LearnPhrases(context.Background(), Files(path), o)
			if err != nil {
				t.Fatal(err)
			}
			if p.CorpusWords != c.CorpusWordCount {
				t.Errorf("corpus words %d, gensim %d", p.CorpusWords, c.CorpusWordCount)
			}
			if len(p.Scores) != len(c.Phrases) {
				t.Errorf("%d phrases, gensim %d", len(p.Scores), len(c.Phrases))
			}
			for ph, want := range c.Phrases {
				if got, ok := p.Scores[ph]; !ok || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("phrase %q: score %v (found %v), gensim %v", ph, got, ok, want)
				}
			}
			tk := tokenize.Simple{}
			var buf []byte
			for i, line := range strings.SplitN(string(text), "\n", len(c.Sentences)+1)[:len(c.Sentences)] {
				var got []string
				for _, w := range p.Apply(nil, tk.Tokens([]byte(line)), &buf) {
					got = append(got, string(w))
				}
				if want := c.Sentences[i]; !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
					t.Errorf("sentence %d: %q, gensim %q", i, got, want)
				}
			}
		})
	}
}

// TestTrain_Phrases trains with phrases = true: the vocabulary has gensim's phrases as words.
func TestTrain_Phrases(t *testing.T) {
	o := DefaultOptions()
	o.Workers, o.VectorSize, o.Epochs, o.MinCount = 1, 8, 1, 5
	if err := o.Set("phrases", true); err != nil {
		t.Fatal(err)
	}
	m, err := Train(context.Background(), Files(sharedFile(t, "corpus/gensim/lee_background.cor")), o)
	if err != nil {
		t.Fatal(err)
	}
	var phrases []string
	for _, w := range m.Words {
		if strings.Contains(w, "_") {
			phrases = append(phrases, w)
		}
	}
	if len(phrases) < 20 {
		t.Fatalf("%d phrases in the vocabulary: %v", len(phrases), phrases)
	}
	if p := m.Options.Params(); p["phrases"] != true || p["phrases_threshold"] != 10.0 {
		t.Errorf("Params() = %v", p)
	}
}
