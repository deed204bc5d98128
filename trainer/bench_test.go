package trainer_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/embeddb/embeddb/trainer"
)

// benchShards is how many Wikipedia shards of ../shared the training benchmarks read
// (EMBEDDB_BENCH_SHARDS overrides it; 40 is the whole 6.2M-token corpus of compare-train.sh).
func benchShards() int {
	if n, err := strconv.Atoi(os.Getenv("EMBEDDB_BENCH_SHARDS")); err == nil && n > 0 {
		return n
	}
	return 10
}

// BenchmarkTrain trains skip-gram and CBOW with the peers' parameters (vector_size 100,
// window 5, negative 5, sample 1e-3, min_count 5, 5 epochs) and 2 workers on Wikipedia
// shards from ../shared, and reports training words/s as gensim and run_timed.py count them
// (corpus tokens × epochs / training seconds, vocabulary pass excluded).
func BenchmarkTrain(b *testing.B) {
	dir := filepath.Join(trainer.SharedDirForTest(b), "testdata", "corpus", "wikipedia")
	var files []string
	for i := 0; i < benchShards(); i++ {
		p := filepath.Join(dir, "wiki_AA_"+pad2(i)+".txt.gz")
		if _, err := os.Stat(p); err != nil {
			b.Skipf("benchmark corpus missing: %v", err)
		}
		files = append(files, p)
	}
	for _, c := range []struct {
		name string
		sg   bool
		kind trainer.ModelKind
	}{{"sg", true, trainer.Word2Vec}, {"cbow", false, trainer.Word2Vec},
		{"fasttext-sg", true, trainer.FastText}, {"fasttext-cbow", false, trainer.FastText}} {
		sg := c.sg
		b.Run(c.name+"/workers=2", func(b *testing.B) {
			o := trainer.DefaultOptions()
			o.SkipGram, o.Workers, o.Kind = sg, 2, c.kind
			var words, secs float64
			cpu0 := cpuTime()
			for range b.N {
				m, err := trainer.Train(context.Background(), trainer.Files(files...), o)
				if err != nil {
					b.Fatal(err)
				}
				words += float64(m.Stats.RawWords) * float64(o.Epochs)
				secs += m.Stats.Seconds
			}
			b.ReportMetric(words/secs, "words/s")
			if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
				// Per CPU-second (vocabulary pass included): steadier than words/s when
				// other processes compete for the cores.
				b.ReportMetric(words/cpu, "words/cpu-s")
			}
		})
	}
}

func pad2(i int) string {
	if i < 10 {
		return "0" + strconv.Itoa(i)
	}
	return strconv.Itoa(i)
}
