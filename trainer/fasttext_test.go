package trainer

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"testing"
)

// TestNgramBuckets_Gensim checks the n-grams and their buckets against gensim's
// compute_ngrams_bytes and ft_ngram_hashes (testdata/ft_ngrams.json, gen_ft_goldens.py).
func TestNgramBuckets_Gensim(t *testing.T) {
	raw, err := os.ReadFile("testdata/ft_ngrams.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Cases []struct {
			Word    string
			MinN2   int      `json:"min_n"`
			MaxN2   int      `json:"max_n"`
			Bucket2 int      `json:"bucket"`
			Ngrams  []string `json:"ngrams"`
			Buckets []uint32 `json:"buckets"`
		}
		Hashes map[string]uint32
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) < 100 {
		t.Fatalf("golden has %d cases", len(g.Cases))
	}
	for _, c := range g.Cases {
		var wantGrams []string
		for _, h := range c.Ngrams {
			b, err := hex.DecodeString(h)
			if err != nil {
				t.Fatal(err)
			}
			wantGrams = append(wantGrams, string(b))
		}
		if got := Ngrams(c.Word, c.MinN2, c.MaxN2); !reflect.DeepEqual(got, wantGrams) && len(got)+len(wantGrams) > 0 {
			t.Errorf("Ngrams(%q, %d, %d) = %q, want %q", c.Word, c.MinN2, c.MaxN2, got, wantGrams)
		}
		got := NgramBuckets(nil, c.Word, c.MinN2, c.MaxN2, c.Bucket2)
		if !reflect.DeepEqual(got, c.Buckets) && len(got)+len(c.Buckets) > 0 {
			t.Errorf("NgramBuckets(%q, %d, %d, %d) = %v, want %v", c.Word, c.MinN2, c.MaxN2, c.Bucket2, got, c.Buckets)
		}
	}
	for w, want := range g.Hashes {
		if got := HashBytes([]byte(w)); got != want {
			t.Errorf("HashBytes(%q) = %d, want %d", w, got, want)
		}
	}
}

func fastTextOptions() Options {
	o := DefaultOptions()
	o.Kind = FastText
	o.VectorSize = 16
	o.MinCount = 2
	o.Workers = 1
	o.Bucket = 5000
	o.Epochs = 3
	return o
}

func leeCorpus(tb testing.TB) Corpus {
	return Files(sharedFile(tb, "corpus/gensim/lee_background.cor"))
}

func TestFastText_Train(t *testing.T) {
	c := leeCorpus(t)
	for _, sg := range []bool{true, false} {
		for _, hs := range []bool{false, true} {
			o := fastTextOptions()
			o.SkipGram, o.HS = sg, hs
			if hs {
				o.Negative = 0
			}
			m, err := Train(context.Background(), c, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Ngrams) != o.Bucket*o.VectorSize || len(m.VocabVectors()) != len(m.Vectors) {
				t.Fatalf("sg=%v hs=%v: %d n-gram values, %d word rows", sg, hs, len(m.Ngrams), len(m.VocabVectors()))
			}
			// A known word's vector is the mean of its row and its n-grams' rows.
			i := 7
			rows := NgramBuckets(nil, m.Words[i], o.MinN, o.MaxN, o.Bucket)
			want := make([]float64, o.VectorSize)
			for d := range want {
				want[d] = float64(m.VocabVectors()[i*o.VectorSize+d])
				for _, b := range rows {
					want[d] += float64(m.Ngrams[int(b)*o.VectorSize+d])
				}
				want[d] /= float64(len(rows) + 1)
			}
			got, ok := m.WordVector(m.Words[i])
			if !ok {
				t.Fatal("known word has no vector")
			}
			for d := range want {
				if math.Abs(float64(got[d])-want[d]) > 1e-5 {
					t.Fatalf("sg=%v hs=%v: vector of %q[%d] = %v, want %v", sg, hs, m.Words[i], d, got[d], want[d])
				}
			}
			// An unseen word's vector comes from its n-grams: a misspelling of a frequent
			// word lands near it.
			oov := m.Words[3] + "x"
			for _, w := range m.Words {
				if w == oov {
					t.Fatalf("%q is in the vocabulary", oov)
				}
			}
			v, ok := m.WordVector(oov)
			if !ok {
				t.Fatal("OOV word has no vector")
			}
			base, _ := m.WordVector(m.Words[3])
			if s := cosine(v, base); s < 0.5 {
				t.Errorf("sg=%v hs=%v: cosine(%q, %q) = %.3f, want > 0.5", sg, hs, oov, m.Words[3], s)
			}
		}
	}
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func TestFastText_Deterministic(t *testing.T) {
	c := leeCorpus(t)
	o := fastTextOptions()
	o.SkipGram = true
	a, err := Train(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Vectors, b.Vectors) || !reflect.DeepEqual(a.Ngrams, b.Ngrams) {
		t.Error("two runs with workers = 1 and one seed differ")
	}
}

func TestFastText_NoOOVWithoutNgrams(t *testing.T) {
	o := fastTextOptions()
	o.Bucket = 0
	m, err := Train(context.Background(), Text("alpha beta gamma alpha beta gamma\nalpha beta"), o)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.WordVector("delta"); ok {
		t.Error("bucket = 0: an unseen word got a vector")
	}
	if v, ok := m.WordVector("alpha"); !ok || len(v) != 16 {
		t.Error("bucket = 0: a known word has no vector")
	}
}

func TestFastText_StateAndUpdate(t *testing.T) {
	c := leeCorpus(t)
	o := fastTextOptions()
	o.SkipGram = true
	m, err := Train(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := Restore(m.Words, m.Counts, m.Vectors, bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.VocabVectors(), m.VocabVectors()) || r.Options.Kind != FastText {
		t.Fatal("restored state lost the word rows or the model kind")
	}
	if err := r.Update(context.Background(), Text("zyxwv qwert zyxwv qwert"), o); err == nil {
		t.Fatal("Update without the n-gram matrix succeeded")
	}
	if err := r.SetSubwords(m.Ngrams, nil); err != nil {
		t.Fatal(err)
	}
	o2 := o
	o2.MinN = 2
	if err := r.Update(context.Background(), Text("x"), o2); err == nil {
		t.Fatal("Update with another min_n succeeded")
	}
	if err := r.Update(context.Background(), Text("zyxwv qwert zyxwv qwert the of"), o); err != nil {
		t.Fatal(err)
	}
	if len(r.Words) != len(m.Words)+2 || len(r.Ngrams) != len(m.Ngrams) {
		t.Fatalf("after update: %d words (had %d), %d n-gram values", len(r.Words), len(m.Words), len(r.Ngrams))
	}
}

func TestOptions_FastTextParams(t *testing.T) {
	o := DefaultOptions()
	if _, ok := o.Params()["min_n"]; ok {
		t.Error("a Word2Vec model reports min_n")
	}
	for _, kv := range []struct {
		k string
		v any
	}{{"model", "fasttext"}, {"min_n", 2}, {"max_n", 5}, {"bucket", 1000}} {
		if err := o.Set(kv.k, kv.v); err != nil {
			t.Fatal(err)
		}
	}
	p := o.Params()
	if p["model"] != "fasttext" || p["min_n"] != int64(2) || p["max_n"] != int64(5) || p["bucket"] != int64(1000) || p["word_ngrams"] != int64(1) {
		t.Errorf("Params() = %v", p)
	}
	for _, bad := range []struct {
		k string
		v any
	}{{"model", "glove"}, {"word_ngrams", 2}, {"bucket", -1}, {"min_n", int64(1000)}} {
		if err := o.Set(bad.k, bad.v); err == nil {
			t.Errorf("Set(%q, %v) succeeded", bad.k, bad.v)
		}
	}
}
