package trainer

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// loadText reads a gzipped word2vec text file, parsing numbers as gensim does (float64,
// then float32).
func loadText(t testing.TB, path string) *KeyedVectors {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan()
	hdr := strings.Fields(sc.Text())
	dim, _ := strconv.Atoi(hdr[1])
	kv := &KeyedVectors{Dim: dim}
	for sc.Scan() {
		p := strings.Fields(sc.Text())
		kv.Words = append(kv.Words, p[0])
		for _, s := range p[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			kv.Vectors = append(kv.Vectors, float32(v))
		}
	}
	return kv
}

// TestEvaluate_GensimParity evaluates testdata/vectors-small.txt.gz and compares with what
// gensim 4.2 computed on the same file (testdata/eval.json, from testdata/gen_goldens.py).
func TestEvaluate_GensimParity(t *testing.T) {
	var golden struct {
		Analogies []struct {
			RestrictVocab int     `json:"restrict_vocab"`
			Score         float64 `json:"score"`
			Sections      []struct {
				Section   string `json:"section"`
				Correct   int    `json:"correct"`
				Incorrect int    `json:"incorrect"`
			} `json:"sections"`
		} `json:"analogies"`
		Pairs []struct {
			File          string  `json:"file"`
			RestrictVocab int     `json:"restrict_vocab"`
			Pearson       float64 `json:"pearson"`
			Spearman      float64 `json:"spearman"`
			OOVRatio      float64 `json:"oov_ratio"`
		} `json:"pairs"`
	}
	b, err := os.ReadFile("testdata/eval.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	kv := loadText(t, "testdata/vectors-small.txt.gz")
	qw := sharedFile(t, "eval/questions-words.txt")
	for _, g := range golden.Analogies {
		t.Run("analogies/restrict="+strconv.Itoa(g.RestrictVocab), func(t *testing.T) {
			f, err := os.Open(qw)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := kv.EvaluateWordAnalogies(context.Background(), f, g.RestrictVocab)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(res.Accuracy-g.Score) > 5e-5 {
				t.Errorf("accuracy = %.6f, want %.6f", res.Accuracy, g.Score)
			}
			all := append(res.Sections, res.Total)
			if len(all) != len(g.Sections) {
				t.Fatalf("%d sections, want %d", len(all), len(g.Sections))
			}
			for i, s := range g.Sections {
				got := all[i]
				if got.Name != s.Section || got.Correct != s.Correct || got.Incorrect != s.Incorrect {
					t.Errorf("section %d = %+v, want %+v", i, got, s)
				}
			}
		})
	}
	for _, g := range golden.Pairs {
		t.Run("pairs/"+g.File+"/restrict="+strconv.Itoa(g.RestrictVocab), func(t *testing.T) {
			f, err := os.Open(sharedFile(t, "eval/"+g.File))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := kv.EvaluateWordPairs(context.Background(), f, g.RestrictVocab)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"pearson", res.Pearson, g.Pearson}, {"spearman", res.Spearman, g.Spearman}, {"oov", res.OOVRatio, g.OOVRatio}} {
				if math.Abs(c.got-c.want) > 5e-5 {
					t.Errorf("%s = %.6f, want %.6f", c.name, c.got, c.want)
				}
			}
		})
	}
}

// TestEvaluateWordAnalogies_Small checks 3CosAdd, OOV skipping, case folding and sections
// on hand-made vectors.
func TestEvaluateWordAnalogies_Small(t *testing.T) {
	kv := &KeyedVectors{Dim: 2,
		Words: []string{"king", "queen", "man", "woman", "apple"},
		Vectors: []float32{
			1, 1, // king
			1, -1, // queen
			0.9, 1.1, // man
			1.1, -0.9, // woman
			-1, 0, // apple
		}}
	in := ": royals\nman king woman queen\nMAN KING WOMAN QUEEN\nman king woman apple\nman king woman pear\nbad line\n: other\nking queen man woman\n"
	res, err := kv.EvaluateWordAnalogies(context.Background(), strings.NewReader(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Questions != 5 || res.OOV != 1 {
		t.Errorf("questions, oov = %d, %d, want 5, 1", res.Questions, res.OOV)
	}
	want := []AnalogySection{{"royals", 2, 1}, {"other", 1, 0}}
	for i, w := range want {
		if res.Sections[i] != w {
			t.Errorf("section %d = %+v, want %+v", i, res.Sections[i], w)
		}
	}
	if res.Total != (AnalogySection{"Total accuracy", 3, 1}) || res.Accuracy != 0.75 {
		t.Errorf("total = %+v (%v), want 3/1 (0.75)", res.Total, res.Accuracy)
	}
	if _, err := kv.EvaluateWordAnalogies(context.Background(), strings.NewReader("man king woman queen\n"), 0); err == nil {
		t.Error("no section header: got no error")
	}
}

func TestEvaluateWordPairs_Small(t *testing.T) {
	kv := &KeyedVectors{Dim: 2, Words: []string{"a", "b", "c", "d"},
		Vectors: []float32{1, 0, 0.8, 0.6, 0, 1, -1, 0}}
	in := "# comment\na\tb\t9\na\tc\t5\nA\tD\t1\na\tzz\t3\nbroken line\n"
	res, err := kv.EvaluateWordPairs(context.Background(), strings.NewReader(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pairs != 3 || res.OOV != 1 || math.Abs(res.OOVRatio-25) > 1e-9 {
		t.Errorf("pairs, oov, ratio = %d, %d, %v, want 3, 1, 25", res.Pairs, res.OOV, res.OOVRatio)
	}
	if math.Abs(res.Spearman-1) > 1e-9 {
		t.Errorf("spearman = %v, want 1", res.Spearman)
	}
	if _, err := kv.EvaluateWordPairs(context.Background(), strings.NewReader("x\ty\t1\n"), 0); err == nil {
		t.Error("all OOV: got no error")
	}
}

func TestRankAverage(t *testing.T) {
	got := rankAverage([]float64{10, 20, 10, 30})
	want := []float64{1.5, 3, 1.5, 4}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("rankAverage = %v, want %v", got, want)
		}
	}
}

// BenchmarkEvaluateWordAnalogies measures the full questions-words set against 30,000 rows
// of random 100-dimensional vectors (the size of the compare-train.sh evaluation).
func BenchmarkEvaluateWordAnalogies(b *testing.B) {
	qw, err := os.ReadFile(sharedFile(b, "eval/questions-words.txt"))
	if err != nil {
		b.Fatal(err)
	}
	// Vocabulary: every question word first, then filler, 30,000 rows.
	seen := map[string]bool{}
	kv := &KeyedVectors{Dim: 100}
	for _, w := range strings.Fields(strings.ToLower(string(qw))) {
		if w != ":" && !seen[w] {
			seen[w] = true
			kv.Words = append(kv.Words, w)
		}
	}
	for i := len(kv.Words); i < 30000; i++ {
		kv.Words = append(kv.Words, "filler"+strconv.Itoa(i))
	}
	x := uint64(1)
	for range len(kv.Words) * kv.Dim {
		x = x*6364136223846793005 + 1442695040888963407
		kv.Vectors = append(kv.Vectors, float32(int32(x>>32))/(1<<31))
	}
	b.ResetTimer()
	for range b.N {
		res, err := kv.EvaluateWordAnalogies(context.Background(), strings.NewReader(string(qw)), 30000)
		if err != nil || res.Total.Correct+res.Total.Incorrect != 19544 {
			b.Fatalf("res = %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(19544*b.N)/b.Elapsed().Seconds(), "questions/s")
}
