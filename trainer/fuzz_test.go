package trainer

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"
)

// FuzzTrain feeds arbitrary bytes as a corpus: training must not panic, and a model it
// returns must be consistent and finite.
func FuzzTrain(f *testing.F) {
	f.Add([]byte("hello world hello world\nthe cat\r\nsat\xEF\xBB\xBF"))
	f.Add([]byte("\xEF\xBB\xBFgrüße aus köln köln\n\n\n"))
	f.Add([]byte("a\xffb c\x00d ee ee ee"))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := DefaultOptions()
		o.MinCount, o.Workers, o.VectorSize, o.Epochs, o.Window = 1, 1, 8, 1, 2
		o.HS = len(data)%2 == 0
		o.SkipGram = len(data)%3 == 0
		c := Reader(bytes.NewReader(data))
		defer c.Close()
		m, err := Train(context.Background(), c, o)
		if err != nil {
			if !errors.Is(err, ErrEmptyVocabulary) {
				t.Fatalf("Train: %v", err)
			}
			return
		}
		if err := m.check(); err != nil {
			t.Fatal(err)
		}
		for _, v := range m.Vectors {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatal("non-finite vector")
			}
		}
	})
}

// FuzzEvaluate feeds arbitrary analogy and pair files to the evaluations.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(": s\nman king woman queen\nMAN KING\n"), []byte("# c\nman\tking\t7.5\nqueen\twoman\tx\n"))
	f.Add([]byte("no header\n"), []byte("a\tb\tc\td\n"))
	kv := &KeyedVectors{Dim: 3, Words: []string{"man", "king", "woman", "queen"},
		Vectors: []float32{1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1}}
	f.Fuzz(func(t *testing.T, analogies, pairs []byte) {
		if res, err := kv.EvaluateWordAnalogies(context.Background(), bytes.NewReader(analogies), 0); err == nil {
			if res.Total.Correct+res.Total.Incorrect+res.OOV != res.Questions {
				t.Fatalf("analogy counts do not add up: %+v", res)
			}
		}
		if res, err := kv.EvaluateWordPairs(context.Background(), bytes.NewReader(pairs), 0); err == nil && res.Pairs == 0 {
			t.Fatal("pairs result without pairs")
		}
	})
}
